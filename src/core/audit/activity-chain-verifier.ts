import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CHAIN_COLUMNS, GENESIS_HASH, sameBytes, type ChainRow } from './activity-chain.js';
import type { DroppedEntry } from './activity-chain.entity.js';
import { ActivitySealer, checkpointExtra } from './activity-sealer.service.js';

export type InvalidReason = 'altered' | 'inserted' | 'deleted' | 'checkpoint_altered' | 'head_altered';

export interface InvalidEntry {
  /** Position in the chain of the first bad entry (for `deleted`, the missing position). */
  seq: string;
  /** The activity id, when a row is there to name. */
  id: string | null;
  reason: InvalidReason;
}

export interface VerifyResult {
  valid: boolean;
  /** Entries whose hash was recomputed and matched. */
  checked: number;
  first_invalid: InvalidEntry | null;
  /** The checkpoint verification started from (0: the start of the chain). */
  from_seq: string;
  /** The last sealed entry. */
  head_seq: string;
  /** Rows written but not sealed yet (sealed within seconds; not covered by this answer). */
  unsealed: number;
}

interface CheckpointRow {
  seq: string;
  hash: Buffer;
  dropped: DroppedEntry[];
  reason: string;
  mac: Buffer;
}

const RANGE = 5_000n;

/**
 * Walks the hash chain from a checkpoint to the head, recomputing every entry's hash: an edited
 * row no longer matches its hash, a deleted row leaves a gap in the sequence, an inserted row
 * repeats a position or cannot carry a valid hash (the key is not in the database). Runs in one
 * REPEATABLE READ snapshot so a concurrent sealing batch cannot look like tampering.
 */
@Injectable()
export class ActivityChainVerifier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: ActivitySealer,
  ) {}

  verify(fromSeq?: string): Promise<VerifyResult> {
    return this.dataSource.transaction('REPEATABLE READ', (m) => this.run(m, fromSeq));
  }

  private async run(m: EntityManager, fromSeq?: string): Promise<VerifyResult> {
    const key = this.sealer.key;
    const checkpoints = (await m.query(`SELECT seq::text AS seq, hash, dropped, reason, mac FROM activity_checkpoints ORDER BY seq`)) as CheckpointRow[];
    const [headRow] = (await m.query(`SELECT seq::text AS seq, hash, mac FROM activity_chain_head WHERE id = 1`)) as { seq: string; hash: Buffer; mac: Buffer }[];
    const [{ n: unsealed } = { n: 0 }] = (await m.query(`SELECT count(*)::int AS n FROM activities WHERE seq IS NULL`)) as { n: number }[];
    const headSeq = headRow?.seq ?? '0';
    const answer = (checked: number, first: InvalidEntry | null, from: string): VerifyResult => ({
      valid: !first,
      checked,
      first_invalid: first,
      from_seq: from,
      head_seq: headSeq,
      unsealed,
    });

    for (const cp of checkpoints) {
      if (!sameBytes(cp.mac, key.mark('checkpoint', cp.seq, cp.hash, checkpointExtra(cp.reason, cp.dropped)))) {
        return answer(0, { seq: cp.seq, id: null, reason: 'checkpoint_altered' }, cp.seq);
      }
    }
    if (headRow && !sameBytes(headRow.mac, key.mark('head', headRow.seq, headRow.hash))) {
      return answer(0, { seq: headRow.seq, id: null, reason: 'head_altered' }, '0');
    }
    const oldest = checkpoints[0];
    let start: CheckpointRow | undefined = oldest;
    if (fromSeq !== undefined) start = [...checkpoints].reverse().find((cp) => BigInt(cp.seq) <= BigInt(fromSeq)) ?? oldest;
    // Without a retention checkpoint the chain is whole from its first entry.
    if (start && start === oldest && start.reason !== 'retention' && fromSeq === undefined) start = undefined;
    const from = start?.seq ?? '0';
    const dropped = new Map<string, Buffer>((oldest?.reason === 'retention' ? oldest.dropped : []).map((d) => [d.seq, Buffer.from(d.hash, 'base64')]));
    const marks = new Map(checkpoints.map((cp) => [cp.seq, cp.hash]));

    let last = BigInt(from);
    let prev = start?.hash ?? GENESIS_HASH;
    let checked = 0;
    const end = BigInt(headSeq);
    const skipDropped = (): void => {
      for (let next = (last + 1n).toString(); dropped.has(next); next = (last + 1n).toString()) {
        prev = dropped.get(next)!;
        last += 1n;
      }
    };

    while (last < end) {
      skipDropped();
      if (last >= end) break;
      const rows = (await m.query(
        `SELECT ${CHAIN_COLUMNS}, a.seq::text AS seq, a.hash FROM activities a WHERE a.seq > $1 AND a.seq <= $2 ORDER BY a.seq, a.id`,
        [last.toString(), (last + RANGE).toString()],
      )) as (ChainRow & { seq: string; hash: Buffer })[];
      if (!rows.length) return answer(checked, { seq: (last + 1n).toString(), id: null, reason: 'deleted' }, from);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        skipDropped();
        const seq = BigInt(row.seq);
        if (seq === last) return answer(checked, { seq: row.seq, id: row.id, reason: 'inserted' }, from);
        if (seq > last + 1n) return answer(checked, { seq: (last + 1n).toString(), id: null, reason: 'deleted' }, from);
        const hash = key.entry(prev, row.seq, row);
        if (!sameBytes(row.hash, hash)) {
          // A forged row next to the real one at the same position is an insertion.
          const twin = rows[i + 1];
          const inserted = twin && twin.seq === row.seq && sameBytes(twin.hash, key.entry(prev, twin.seq, twin));
          return answer(checked, { seq: row.seq, id: row.id, reason: inserted ? 'inserted' : 'altered' }, from);
        }
        const mark = marks.get(row.seq);
        if (mark && !sameBytes(mark, hash)) return answer(checked, { seq: row.seq, id: row.id, reason: 'altered' }, from);
        checked++;
        prev = hash;
        last = seq;
      }
    }
    skipDropped();
    if (headRow && last === end && !sameBytes(headRow.hash, prev)) return answer(checked, { seq: headSeq, id: null, reason: 'altered' }, from);
    const [beyond] = (await m.query(`SELECT a.id::text AS id, a.seq::text AS seq FROM activities a WHERE a.seq > $1 ORDER BY a.seq LIMIT 1`, [headSeq])) as { id: string; seq: string }[];
    if (beyond) return answer(checked, { seq: beyond.seq, id: beyond.id, reason: 'inserted' }, from);
    return answer(checked, null, from);
  }
}
