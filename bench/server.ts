import { hash } from '@node-rs/argon2';
import { ARGON2_PARAMS } from '../src/core/crypto/password-hasher.js';
import { SessionsService } from '../src/identity/sessions/sessions.service.js';
import { UsersService } from '../src/identity/users/users.service.js';
import { runServiceChild } from './service-child.js';
import { DEFAULT_APP_ID } from '../src/identity/tenants/app.entity.js';

/**
 * The service under test (see service-child) with the main benchmark's operations: seeding
 * members, opening sessions, and the raw argon2 rate measured on this process's own thread pool.
 */
runServiceChild((app) => ({
  /** Active members with one password; hashed a few at a time. */
  seed: async (args) => {
    const count = Number(args.count);
    const users = app.get(UsersService);
    const emails: string[] = [];
    const next = async (i: number): Promise<void> => {
      const email = `bench-${i}@bench.example`;
      await users.create({ appId: DEFAULT_APP_ID, email, password: String(args.password), role: 'member', state: 'active' });
      emails.push(email);
    };
    for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => next(i + k)));
    return emails;
  },
  /** Sessions opened directly (fallback when the login route is not there). */
  openSessions: async (args) => {
    const users = app.get(UsersService);
    const sessions = app.get(SessionsService);
    const tokens: string[] = [];
    for (const email of args.emails as string[]) {
      const user = await users.findByEmail(email, DEFAULT_APP_ID);
      if (!user) throw new Error(`no user ${email}`);
      tokens.push((await sessions.open(user, { ip: String(args.ip), userAgent: String(args.userAgent) })).token);
    }
    return tokens;
  },
  /** argon2id hashes at the configured parameters with `concurrency` in flight for `durationMs`. */
  argon2: async (args) => {
    const concurrency = Number(args.concurrency);
    const until = Date.now() + Number(args.durationMs);
    const latencies: number[] = [];
    let done = 0;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; Date.now() < until; i++) {
        const started = performance.now();
        await hash(`bench-password-${w}-${i}`, ARGON2_PARAMS);
        latencies.push(performance.now() - started);
        done++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    return { done, seconds, rate: done / seconds, p50: pct(50), p99: pct(99) };
  },
}));
