/**
 * Shared short-lived counters and markers (rate limits, API-key nonces, TOTP replay guards).
 * Redis when REDIS_URL is set, so every instance sees the same numbers; process memory otherwise.
 */
export abstract class CounterStore {
  /** Adds one to `key` and returns the new count; the key expires `ttlSeconds` after its first hit. */
  abstract hit(key: string, ttlSeconds: number): Promise<number>;
  abstract count(key: string): Promise<number>;
  /**
   * Sets `key` only when absent; true when this call set it (a first use). With the shared store
   * down, a claim fails closed (a replay guard must not pass) unless `degradable`: a counting marker
   * may fall back to this instance's memory like the counters do.
   */
  abstract claim(key: string, ttlMs: number, degradable?: boolean): Promise<boolean>;
  abstract reset(key: string): Promise<void>;
  abstract close(): Promise<void>;
  /** Whether the backing store answers (readiness); process memory always does. */
  async ping(): Promise<boolean> {
    return true;
  }
}
