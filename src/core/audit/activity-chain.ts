import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ActivityView } from './activity-view.js';

/** The hash before the first entry. */
export const GENESIS_HASH = Buffer.alloc(32);

/** Columns of a row as text, as the chain covers them (created_at with its microseconds, in UTC). */
export const CHAIN_COLUMNS = `a.id::text AS id, a.user_id::text AS user_id, a.target_uid, a.category, a.user_ip, a.user_ip_country,
  a.user_agent, a.topic, a.action, a.result, a.data,
  to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`;

/** An entry as the chain hashes it: the activity view plus who it concerns and its category. */
export interface ChainRow extends ActivityView {
  user_id: string | null;
  target_uid: string | null;
  category: string;
}

/** Canonical content of an entry: every column an auditor reads, in a fixed order. */
export function canonical(r: ChainRow): string {
  return JSON.stringify([r.id, r.user_id, r.target_uid, r.category, r.user_ip, r.user_ip_country, r.user_agent, r.topic, r.action, r.result, r.data, r.created_at]);
}

/**
 * The chain's key, derived from SECRET_KEY: someone who can write the database but does not hold
 * the key cannot compute the hashes of forged entries or checkpoints.
 */
export class ChainKey {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'barong-nest', 'activity-chain', 32));
  }

  /** hash(n) = HMAC(key, hash(n-1) || seq || canonical(row n)). */
  entry(prev: Buffer, seq: string, row: ChainRow): Buffer {
    return createHmac('sha256', this.key).update(prev).update(`\n${seq}\n`).update(canonical(row)).digest();
  }

  /** The MAC of a checkpoint or of the chain head. */
  mark(kind: string, seq: string, hash: Buffer, extra = ''): Buffer {
    return createHmac('sha256', this.key).update(`${kind}\n${seq}\n`).update(hash).update(extra).digest();
  }
}

export function sameBytes(a: Buffer | null | undefined, b: Buffer): boolean {
  return !!a && a.length === b.length && timingSafeEqual(a, b);
}
