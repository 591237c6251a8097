import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Periodic } from '../background/periodic.js';
import { CHAIN_COLUMNS, ChainKey, GENESIS_HASH, type ChainRow } from './activity-chain.js';

/** Advisory lock of the one sealer (and of retention, which must not interleave with sealing). */
export const SEAL_LOCK = 4_242_011;
/** A periodic checkpoint every this many entries. */
export const CHECKPOINT_EVERY = 10_000n;
const BATCH = 2_000;

interface Head {
  seq: string;
  hash: Buffer;
}

/**
 * Seals committed activities into the hash chain, soon after they commit. Writers take no lock
 * and wait for nothing: they insert rows with `seq` null. One sealer at a time (whichever
 * instance gets the advisory lock for a batch) reads rows its snapshot shows as committed and
 * still unsealed, gives them the next sequence numbers and hashes, adds them to the per-day
 * rollup and moves the chain head, all in one transaction. A writing transaction still in
 * flight is simply not visible yet, and its rows get sealed by a later batch.
 */
@Injectable()
export class ActivitySealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActivitySealer');
  readonly key: ChainKey;
  private readonly loop: Periodic;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = new ChainKey(config.secretKey);
    this.loop = new Periodic('sealing', config.audit.sealIntervalMs, () => this.sealAll(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Seals everything committed so far; returns how many entries were sealed. */
  async sealAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction((m) => this.sealBatch(m, BATCH));
      total += n;
      if (n < BATCH) return total;
    }
  }

  /** One batch in the caller's transaction; 0 when another instance holds the sealer lock. */
  async sealBatch(m: EntityManager, limit: number): Promise<number> {
    const [lock] = (await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEAL_LOCK])) as { locked: boolean }[];
    if (!lock?.locked) return 0;
    // Walk the partial index of unsealed rows in order (a merge of the partitions' indexes), even
    // before the planner has statistics saying the unsealed rows are few.
    await m.query('SET LOCAL enable_sort = off');
    await m.query('SET LOCAL enable_bitmapscan = off');
    const rows = (await m.query(`SELECT ${CHAIN_COLUMNS} FROM activities a WHERE a.seq IS NULL ORDER BY a.created_at LIMIT $1`, [limit])) as ChainRow[];
    if (!rows.length) return 0;
    const head = await this.head(m);
    let seq = BigInt(head.seq);
    let prev = head.hash;
    const ids: string[] = [];
    const times: string[] = [];
    const seqs: string[] = [];
    const hashes: Buffer[] = [];
    const checkpoints: Head[] = [];
    const counts = new Map<string, number>();
    for (const row of rows) {
      seq += 1n;
      prev = this.key.entry(prev, seq.toString(), row);
      ids.push(row.id);
      times.push(row.created_at);
      seqs.push(seq.toString());
      hashes.push(prev);
      if (seq % CHECKPOINT_EVERY === 0n) checkpoints.push({ seq: seq.toString(), hash: prev });
      const bucket = [row.created_at.slice(0, 10), row.category, row.topic, row.action, row.result].join('\u0000');
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    const [applied] = (await m.query(`SELECT activity_seal_apply($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bytea[]) AS n`, [ids, times, seqs, hashes])) as { n: number }[];
    if (applied?.n !== rows.length) throw new Error(`sealing raced: ${applied?.n} of ${rows.length} rows updated`);
    const buckets = [...counts.entries()].map(([k, n]) => [...k.split('\u0000'), n] as [string, string, string, string, string, number]);
    await m.query(
      `INSERT INTO activity_daily_counts (day, category, topic, action, result, n)
       SELECT * FROM unnest($1::date[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::bigint[])
       ON CONFLICT (day, category, topic, action, result) DO UPDATE SET n = activity_daily_counts.n + EXCLUDED.n`,
      [0, 1, 2, 3, 4, 5].map((i) => buckets.map((b) => b[i])),
    );
    for (const cp of checkpoints) await this.writeCheckpoint(m, cp, [], 'periodic');
    await m.query(
      `INSERT INTO activity_chain_head (id, seq, hash, mac, updated_at) VALUES (1, $1, $2, $3, now())
       ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, mac = EXCLUDED.mac, updated_at = now()`,
      [seq.toString(), prev, this.key.mark('head', seq.toString(), prev)],
    );
    return rows.length;
  }

  async head(m: EntityManager = this.dataSource.manager): Promise<Head> {
    const [row] = (await m.query('SELECT seq::text AS seq, hash FROM activity_chain_head WHERE id = 1')) as Head[];
    return row ?? { seq: '0', hash: GENESIS_HASH };
  }

  async writeCheckpoint(m: EntityManager, cp: Head, dropped: { seq: string; hash: string }[], reason: 'periodic' | 'retention'): Promise<void> {
    const mac = this.key.mark('checkpoint', cp.seq, cp.hash, checkpointExtra(reason, dropped));
    await m.query(
      `INSERT INTO activity_checkpoints (seq, hash, dropped, reason, mac) VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (seq) DO UPDATE SET hash = EXCLUDED.hash, dropped = EXCLUDED.dropped, reason = EXCLUDED.reason, mac = EXCLUDED.mac, created_at = now()`,
      [cp.seq, cp.hash, JSON.stringify(dropped), reason, mac],
    );
  }
}

/** What a checkpoint's MAC covers besides its seq and hash. */
export function checkpointExtra(reason: string, dropped: readonly { seq: string; hash: string }[]): string {
  return `${reason}\n${dropped.map((d) => `${d.seq}:${d.hash}`).join(',')}`;
}
