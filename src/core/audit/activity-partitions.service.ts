import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Periodic } from '../background/periodic.js';
import type { DroppedEntry } from './activity-chain.entity.js';
import { GENESIS_HASH } from './activity-chain.js';
import { ActivitySealer, SEAL_LOCK } from './activity-sealer.service.js';

/** Monthly partitions created this many months ahead of the current one. */
const MONTHS_AHEAD = 3;

export interface MonthPartition {
  name: string;
  /** First day of the month (UTC), YYYY-MM-01. */
  month: string;
}

const monthStart = (d: Date, add = 0): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Keeps the activity partitions: creates the months ahead (an insert never lands in the default
 * partition in normal operation), and, with ACTIVITY_RETENTION_MONTHS, drops whole months older
 * than that after sealing a retention checkpoint over them, so verification still starts from
 * the oldest kept entry. One instance does it at a time (the sealer's advisory lock).
 */
@Injectable()
export class ActivityPartitions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActivityPartitions');
  private readonly loop: Periodic;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: ActivitySealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new Periodic('partition maintenance', config.audit.maintenanceIntervalMs, () => this.maintain(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start(1_000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Creates the partitions ahead, then applies retention when configured. */
  async maintain(now = new Date()): Promise<void> {
    for (let i = 0; i <= MONTHS_AHEAD; i++) await this.ensureMonth(monthStart(now, i));
    if (this.config.audit.retentionMonths) await this.applyRetention(this.config.audit.retentionMonths, now);
  }

  /** Creates the month's partition (moving its rows out of the default partition); false if it existed. */
  async ensureMonth(month: Date): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
      const [row] = (await m.query('SELECT activity_partition_ensure($1::date) AS created', [isoDay(monthStart(month))])) as { created: boolean }[];
      if (row?.created) this.logger.log(`created activity partition for ${isoDay(monthStart(month)).slice(0, 7)}`);
      return !!row?.created;
    });
  }

  async partitions(): Promise<MonthPartition[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'activities'::regclass AND c.relname ~ '^activities_p[0-9]{6}$' ORDER BY c.relname`,
    )) as { name: string }[];
    return rows.map((r) => ({ name: r.name, month: `${r.name.slice(12, 16)}-${r.name.slice(16, 18)}-01` }));
  }

  /**
   * Drops the monthly partitions that end before the start of the month `months` months ago.
   * First everything is sealed; then, under the sealer's lock, a retention checkpoint is written
   * at the entry just below the oldest kept one, listing the hashes of dropped entries above it,
   * and the older checkpoints go. Returns the dropped partitions.
   */
  async applyRetention(months: number, now = new Date()): Promise<string[]> {
    const cutoff = isoDay(monthStart(now, -months));
    const doomed = (await this.partitions()).filter((p) => p.month < cutoff);
    if (!doomed.length) return [];
    await this.sealer.sealAll();
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
      const names = doomed.map((p) => p.name);
      const oids = names.map((n) => `'${n}'::regclass`).join(', ');
      const [unsealed] = (await m.query(`SELECT 1 FROM activities WHERE tableoid IN (${oids}) AND seq IS NULL LIMIT 1`)) as unknown[];
      if (unsealed) {
        this.logger.warn('retention postponed: rows of the months to drop are not sealed yet');
        return [];
      }
      const head = await this.sealer.head(m);
      const [kept] = (await m.query(`SELECT min(seq)::text AS seq FROM activities WHERE tableoid NOT IN (${oids}) AND seq IS NOT NULL`)) as { seq: string | null }[];
      const base = kept?.seq ? (BigInt(kept.seq) - 1n).toString() : head.seq;
      const [previous] = (await m.query(`SELECT seq::text AS seq, hash, dropped FROM activity_checkpoints WHERE reason = 'retention' ORDER BY seq LIMIT 1`)) as {
        seq: string;
        hash: Buffer;
        dropped: DroppedEntry[];
      }[];
      const earlier = new Map((previous?.dropped ?? []).map((d) => [d.seq, d.hash]));
      let baseHash: Buffer | undefined;
      if (base === '0') baseHash = GENESIS_HASH;
      else if (base === head.seq) baseHash = head.hash;
      else if (previous?.seq === base) baseHash = previous.hash;
      else if (earlier.has(base)) baseHash = Buffer.from(earlier.get(base)!, 'base64');
      else {
        const [row] = (await m.query(`SELECT hash FROM activities WHERE seq = $1 AND seq IS NOT NULL LIMIT 1`, [base])) as { hash: Buffer }[];
        baseHash = row?.hash;
      }
      if (!baseHash) throw new Error(`retention: no hash for entry ${base}`);
      const stragglers = (await m.query(`SELECT seq::text AS seq, hash FROM activities WHERE tableoid IN (${oids}) AND seq > $1 ORDER BY seq`, [base])) as {
        seq: string;
        hash: Buffer;
      }[];
      const dropped: DroppedEntry[] = [
        ...[...earlier.entries()].filter(([seq]) => BigInt(seq) > BigInt(base)).map(([seq, hash]) => ({ seq, hash })),
        ...stragglers.map((s) => ({ seq: s.seq, hash: s.hash.toString('base64') })),
      ].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
      await this.sealer.writeCheckpoint(m, { seq: base, hash: baseHash }, dropped, 'retention');
      await m.query(`DELETE FROM activity_checkpoints WHERE seq < $1`, [base]);
      for (const name of names) await m.query(`DROP TABLE "${name}"`);
      this.logger.log(`retention: dropped ${names.join(', ')}; chain kept from entry ${base}`);
      return names;
    });
  }
}
