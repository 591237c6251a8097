import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, MoreThan, Repository } from 'typeorm';
import { editDistance, MIN_NAME_DISTANCE, NETWORK_NAME, nameKey } from './network-name.js';
import { randomInt } from 'node:crypto';
import { Network, NetworkReferralCode } from './network.entity.js';

const REFERRAL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Networks and their names. The names are kept in memory for the distance rule (every check
 * compares with every name) and topped up from the table before each check, so names created on
 * another instance count too.
 */
@Injectable()
export class NetworksService {
  private names: string[] = [];
  private seen = new Set<string>();
  private loadedUntil = new Date(0);

  constructor(@InjectRepository(Network) private readonly networks: Repository<Network>) {}

  private async refreshNames(): Promise<void> {
    const rows = await this.networks.find({ select: { nameKey: true, createdAt: true }, where: { createdAt: MoreThan(new Date(this.loadedUntil.getTime() - 5_000)) } });
    for (const row of rows) {
      if (!this.seen.has(row.nameKey)) {
        this.seen.add(row.nameKey);
        this.names.push(row.nameKey);
      }
      if (row.createdAt > this.loadedUntil) this.loadedUntil = row.createdAt;
    }
  }

  /** Whether a name is well formed and at least MIN_NAME_DISTANCE edits from every existing name. */
  async nameAvailable(name: string): Promise<boolean> {
    const trimmed = name.trim();
    if (!NETWORK_NAME.test(trimmed)) return false;
    await this.refreshNames();
    const key = nameKey(trimmed);
    return this.names.every((existing) => editDistance(key, existing, MIN_NAME_DISTANCE) >= MIN_NAME_DISTANCE);
  }

  async create(m: EntityManager, input: { name: string; ownerUserId: string; referrerNetworkId?: string | null }): Promise<Network> {
    const network = m.create(Network, { name: input.name.trim(), nameKey: nameKey(input.name), ownerUserId: input.ownerUserId, referrerNetworkId: input.referrerNetworkId ?? null });
    await m.save(network);
    return network;
  }

  findById(id: string, m: EntityManager = this.networks.manager): Promise<Network | null> {
    return m.findOne(Network, { where: { id } });
  }

  findByName(name: string, m: EntityManager = this.networks.manager): Promise<Network | null> {
    return m.findOne(Network, { where: { nameKey: nameKey(name) } });
  }

  findByIds(ids: string[]): Promise<Network[]> {
    return ids.length ? this.networks.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  /** The network a user owns (one per user). */
  findByOwner(userId: string, m: EntityManager = this.networks.manager): Promise<Network | null> {
    return m.findOne(Network, { where: { ownerUserId: userId }, order: { createdAt: 'ASC' } });
  }

  countReferredBy(networkId: string): Promise<number> {
    return this.networks.count({ where: { referrerNetworkId: networkId } });
  }

  /** Networks that existed at the end of each UTC day since `since` (day key → count). */
  async totalPerDay(since: Date): Promise<Map<string, number>> {
    const rows = (await this.networks.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day, (SELECT count(*)::int FROM network_networks n WHERE n.created_at < d + interval '1 day') AS count
         FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'), date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day') d`,
      [since],
    )) as { day: string; count: number }[];
    return new Map(rows.map((r) => [r.day, r.count]));
  }

  /** The network's referral code, made on first request (6 characters A-Z 0-9). */
  async referralCode(networkId: string): Promise<string> {
    const repo = this.networks.manager.getRepository(NetworkReferralCode);
    for (;;) {
      const found = await repo.findOne({ where: { networkId } });
      if (found) return found.code;
      const code = Array.from({ length: 6 }, () => REFERRAL_ALPHABET[randomInt(REFERRAL_ALPHABET.length)]).join('');
      await repo.createQueryBuilder().insert().values({ networkId, code }).orIgnore().execute();
    }
  }

  async networkOfReferralCode(code: string): Promise<string | null> {
    const row = await this.networks.manager.getRepository(NetworkReferralCode).findOne({ where: { code: code.trim().toUpperCase() } });
    return row?.networkId ?? null;
  }

  count(): Promise<number> {
    return this.networks.count();
  }
}
