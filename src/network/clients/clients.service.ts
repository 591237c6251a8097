import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { GeoIp } from '../../access/restrictions/geoip.js';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { uuidv7 } from '../../core/database/uuid.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { NetworkTokens, type NetworkTokenSubject } from '../auth/network-tokens.service.js';
import { businessError } from '../common/business-error.js';
import { NetworkClient, NetworkDevice } from './client.entity.js';

/** Active clients a network may have at once. */
export const CLIENT_LIMIT = 128;
export const PUBLIC_PROVIDE_MODE = 3;
/** A client's activity is trusted this long; removals are announced to every instance (NetworkTokens.announce). */
const CHECK_CACHE_MS = 60_000;

export interface ClientView {
  client: NetworkClient;
  device: NetworkDevice | null;
}

export interface PublicProvider {
  clientId: string;
  networkId: string;
  countryCode: string;
}

const clientError = (message: string, more: Record<string, unknown> = {}) => businessError(message, { client_limit_exceeded: false, ...more });

/** Devices and clients of networks, and the client JWTs. */
@Injectable()
export class ClientsService implements OnModuleInit {
  private readonly activeCache = new Map<string, { ok: boolean; until: number }>();
  /** Bumped by every announced change: a check read before it is not cached. */
  private activeGeneration = 0;
  private providersCache?: { at: number; list: PublicProvider[] };
  /** Client lists per network, for a second; every local change to a network's clients evicts its entry. */
  private readonly listCache = new Map<string, { until: number; views: ClientView[] }>();

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(NetworkClient) private readonly clients: Repository<NetworkClient>,
    private readonly tokens: NetworkTokens,
    private readonly geoip: GeoIp,
    private readonly activities: ActivitiesService,
  ) {}

  onModuleInit(): void {
    this.tokens.setClientCheck((networkId, c) => this.isActive(networkId, c.clientId, c.deviceId));
    this.tokens.onChange((change) => {
      this.activeGeneration++;
      if (!change) this.activeCache.clear();
      else if (change.kind === 'clients') for (const key of this.activeCache.keys()) if (key.startsWith(`${change.id}:`)) this.activeCache.delete(key);
    });
    void this.geoip.ensureLoaded();
  }

  private async isActive(networkId: string, clientId: string, deviceId: string): Promise<boolean> {
    const key = `${networkId}:${clientId}:${deviceId}`;
    const now = Date.now();
    const cached = this.activeCache.get(key);
    if (cached && cached.until > now) return cached.ok;
    const generation = this.activeGeneration;
    const ok = await this.clients.exists({ where: { id: clientId, networkId, deviceId, active: true } });
    // A removal heard while this was read may not be in it: answer from it once, do not keep it.
    if (generation !== this.activeGeneration) return ok;
    if (this.activeCache.size > 50_000) this.activeCache.clear();
    this.activeCache.set(key, { ok, until: now + CHECK_CACHE_MS });
    return ok;
  }

  /** Evicts a network's cached client list (call after a change commits). */
  changed(networkId: string): void {
    this.listCache.delete(networkId);
    this.providersCache = undefined;
  }

  private countryOf(ip: string): string | null {
    return this.geoip.lookup(ip)?.country.toLowerCase() ?? null;
  }

  /**
   * Inserts a client (and, without `deviceId`, a new device) if the network has a free slot, in one
   * statement: the slot counter's row lock makes the limit exact under concurrency.
   */
  async insertClient(
    m: EntityManager,
    input: { networkId: string; deviceId?: string; sourceClientId?: string | null; description: string; deviceSpec: string; countryCode: string | null },
  ): Promise<{ clientId: string; deviceId: string } | undefined> {
    const clientId = uuidv7();
    const deviceId = input.deviceId ?? uuidv7();
    const device = input.deviceId
      ? ''
      : `, dev AS (INSERT INTO network_devices (id, network_id, name, spec, created_at) SELECT $3, network_id, $4, $5, now() FROM slot RETURNING id)`;
    this.changed(input.networkId);
    const rows = (await m.query(
      `WITH slot AS (
         INSERT INTO network_client_slots (network_id, active_clients) VALUES ($1, 1)
         ON CONFLICT (network_id) DO UPDATE SET active_clients = network_client_slots.active_clients + 1
         WHERE network_client_slots.active_clients < $2
         RETURNING network_id)${device}
       INSERT INTO network_clients (id, network_id, device_id, source_client_id, description, device_spec, provide_mode, country_code, active, created_at, auth_time)
       SELECT $6, $1, $3, $7, $4, $5, -1, $8, true, now(), now() FROM ${input.deviceId ? 'slot' : 'dev'}
       RETURNING id`,
      [input.networkId, CLIENT_LIMIT, deviceId, input.description, input.deviceSpec, clientId, input.sourceClientId ?? null, input.countryCode],
    )) as { id: string }[];
    return rows.length ? { clientId, deviceId } : undefined;
  }

  async authClient(
    p: NetworkPrincipal,
    subject: NetworkTokenSubject,
    input: { clientId?: string; description?: string; deviceSpec?: string },
    meta: RequestMeta,
  ): Promise<{ by_client_jwt: string; client_id: string }> {
    const description = (input.description ?? '').slice(0, 256);
    const deviceSpec = (input.deviceSpec ?? '').slice(0, 1024);
    if (input.clientId) {
      const client = await this.clients.findOne({ where: { id: input.clientId.toLowerCase(), networkId: p.networkId, active: true } });
      if (!client) throw clientError('Client does not exist.');
      const patch: Partial<NetworkClient> = { authTime: new Date(), countryCode: this.countryOf(meta.ip) ?? client.countryCode };
      if (input.description !== undefined) patch.description = description;
      if (input.deviceSpec !== undefined) patch.deviceSpec = deviceSpec;
      await this.clients.update({ id: client.id }, patch);
      this.changed(p.networkId);
      return { by_client_jwt: await this.tokens.clientJwt(subject, { clientId: client.id, deviceId: client.deviceId }), client_id: client.id };
    }
    const derived = p.kind === 'network_client' ? { deviceId: p.deviceId, sourceClientId: p.clientId } : {};
    const created = await this.insertClient(this.dataSource.manager, { networkId: p.networkId, description, deviceSpec, countryCode: this.countryOf(meta.ip), ...derived });
    if (!created) throw businessError('Client limit exceeded.', { client_limit_exceeded: true });
    this.changed(p.networkId);
    return { by_client_jwt: await this.tokens.clientJwt(subject, created), client_id: created.clientId };
  }

  async removeClient(p: NetworkPrincipal, clientId: string, meta: RequestMeta): Promise<void> {
    const removed = await this.dataSource.transaction(async (m) => {
      const result = await m.update(NetworkClient, { id: clientId.toLowerCase(), networkId: p.networkId, active: true }, { active: false });
      if (!result.affected) return false;
      await m.query('UPDATE network_client_slots SET active_clients = greatest(active_clients - 1, 0) WHERE network_id = $1', [p.networkId]);
      await this.tokens.announce(m, { kind: 'clients', id: p.networkId });
      await this.activities.record({ userId: p.userId, topic: 'network', action: 'remove client', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, client_id: clientId } }, m);
      return true;
    });
    this.changed(p.networkId);
    if (!removed) throw clientError('Client does not exist.');
  }

  /** The active clients of a network with their devices. */
  async list(networkId: string): Promise<ClientView[]> {
    const now = Date.now();
    const cached = this.listCache.get(networkId);
    if (cached && cached.until > now) return cached.views;
    const views = await this.load(networkId);
    if (this.listCache.size > 10_000) this.listCache.clear();
    this.listCache.set(networkId, { until: now + 1_000, views });
    return views;
  }

  private async load(networkId: string): Promise<ClientView[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.device_id, c.network_id, c.description, c.device_spec, c.provide_mode, c.created_at, c.auth_time, d.name AS device_name
         FROM network_clients c LEFT JOIN network_devices d ON d.id = c.device_id
        WHERE c.network_id = $1 AND c.active`,
      [networkId],
    )) as { id: string; device_id: string; network_id: string; description: string; device_spec: string; provide_mode: number; created_at: Date; auth_time: Date; device_name: string | null }[];
    return rows.map((r) => ({
      client: Object.assign(new NetworkClient(), { id: r.id, deviceId: r.device_id, networkId: r.network_id, description: r.description, deviceSpec: r.device_spec, provideMode: r.provide_mode, createdAt: r.created_at, authTime: r.auth_time }),
      device: r.device_name === null ? null : Object.assign(new NetworkDevice(), { id: r.device_id, name: r.device_name }),
    }));
  }

  findActive(networkId: string, clientId: string, m: EntityManager = this.dataSource.manager): Promise<NetworkClient | null> {
    return m.findOne(NetworkClient, { where: { id: clientId.toLowerCase(), networkId, active: true } });
  }

  async findActiveByIds(ids: string[]): Promise<NetworkClient[]> {
    return ids.length ? this.clients.find({ where: { id: In(ids), active: true } }) : [];
  }

  async deviceName(deviceId: string): Promise<string> {
    const device = await this.dataSource.manager.findOne(NetworkDevice, { where: { id: deviceId } });
    return device?.name ?? '';
  }

  /** Renames a device of the caller's network; false when the network has no such device. */
  async setDeviceName(networkId: string, deviceId: string, name: string): Promise<boolean> {
    const result = await this.dataSource.manager.update(NetworkDevice, { id: deviceId.toLowerCase(), networkId }, { name: name.slice(0, 256) });
    this.changed(networkId);
    return (result.affected ?? 0) > 0;
  }

  async setProvideMode(networkId: string, clientId: string, mode: number): Promise<boolean> {
    const result = await this.clients.update({ id: clientId.toLowerCase(), networkId, active: true }, { provideMode: mode });
    this.changed(networkId);
    return (result.affected ?? 0) > 0;
  }

  /** Active clients in public provide mode with a known location (cached for a second). */
  async publicProviders(): Promise<PublicProvider[]> {
    const now = Date.now();
    if (this.providersCache && now - this.providersCache.at < 1_000) return this.providersCache.list;
    const rows = (await this.dataSource.query(
      `SELECT id, network_id, country_code FROM network_clients WHERE active AND provide_mode = $1 AND country_code IS NOT NULL`,
      [PUBLIC_PROVIDE_MODE],
    )) as { id: string; network_id: string; country_code: string }[];
    const list = rows.map((r) => ({ clientId: r.id, networkId: r.network_id, countryCode: r.country_code }));
    this.providersCache = { at: now, list };
    return list;
  }

  /** Clients of a network that provide (any provide mode above none). */
  providersOf(networkId: string): Promise<NetworkClient[]> {
    return this.clients.createQueryBuilder('c').where('c.networkId = :networkId AND c.active AND c.provideMode > 0', { networkId }).getMany();
  }

  /** Totals at the end of each day since `since`: devices and clients in public provide mode. */
  async totalsPerDay(since: Date): Promise<{ day: string; devices: number; providers: number }[]> {
    return (await this.dataSource.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day,
              (SELECT count(*)::int FROM network_devices v WHERE v.created_at < d + interval '1 day') AS devices,
              (SELECT count(*)::int FROM network_clients c WHERE c.active AND c.provide_mode = 3 AND c.created_at < d + interval '1 day') AS providers
         FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'), date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day') d`,
      [since],
    )) as { day: string; devices: number; providers: number }[];
  }
}
