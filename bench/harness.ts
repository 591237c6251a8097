import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Reply } from './ipc.js';

/** What the benchmark and the soak share: the database, the service child, signing in. */
const env = process.env;
/** The local server's Unix socket when there is one: loopback TCP costs a kernel round trip per query. */
const LOCAL_SOCKET_DIR = '/var/run/postgresql';

/** A benchmark's database (recreated by each run): BENCH_DATABASE_URL, else `name` on the local server. */
export function benchDatabaseUrl(name: string): string {
  if (env.BENCH_DATABASE_URL) return env.BENCH_DATABASE_URL;
  return existsSync(`${LOCAL_SOCKET_DIR}/.s.PGSQL.5432`) ? `postgres://postgres@localhost/${name}?host=${LOCAL_SOCKET_DIR}` : `postgres://postgres@127.0.0.1:5432/${name}`;
}

export const DATABASE_URL = benchDatabaseUrl('barong_bench');
export const PASSWORD = 'Bench!Passw0rd#2026';
export const ADMIN_PASSWORD = 'Adm1n!Bench#Passw0rd';
export const USER_AGENT = 'barong-bench/1.0';
export const GATEWAY_PATH = '/api/v2/auth/api/v2/barong/resource/users/me';
export const ME_PATH = '/api/v2/barong/resource/users/me';
export const LOGIN_PATH = '/api/v2/barong/identity/sessions';
export const PING_PATH = '/api/v2/barong/identity/ping';

/** A forked child answering request/response messages. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    this.ready = new Promise((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`${name} exited with code ${code}`)));
      proc.on('message', (raw) => {
        const msg = raw as Reply;
        if (msg.id === 0) return resolve();
        const waiter = this.pending.get(msg.id);
        if (!waiter) return;
        this.pending.delete(msg.id);
        if (msg.ok) waiter.resolve(msg.result);
        else waiter.reject(new Error(`${name}: ${msg.error}`));
      });
    });
  }

  static start(name: string, file: string, childEnv: NodeJS.ProcessEnv, execArgv: string[] = []): Child {
    const path = fileURLToPath(new URL(file, import.meta.url));
    return new Child(name, fork(path, [], { env: childEnv, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  call<T>(op: string, args?: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ id, op, args });
    });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
  }

  /** CPU seconds the process has used so far (user + system, from /proc; 0 where there is none). */
  cpuSeconds(): number {
    try {
      const fields = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return 0;
    }
  }
}

export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[\w-]+$/.test(name)) throw new Error(`unexpected database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export async function login(baseUrl: string, email: string, password: string = PASSWORD): Promise<string | undefined> {
  const res = await fetch(baseUrl + LOGIN_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
    body: JSON.stringify({ email, password }),
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('_barong_session='));
  if (!cookie) throw new Error('login set no session cookie');
  return cookie.split(';')[0]!.slice('_barong_session='.length);
}


/** Extra V8/Node flags for the service child (BENCH_NODE_ARGS, e.g. `--trace-gc`), for looking into a figure. */
export function nodeArgs(): string[] {
  return (env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/** One per run, so every instance started by the run opens the same sealed keys. */
const SECRET_KEY = randomBytes(32).toString('base64url');

/** The service's environment: production mode on the bench database, quiet logs. */
export function serviceEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL,
    RUN_MIGRATIONS: 'true',
    SECRET_KEY,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'barong-bench-')),
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'admin@bench.example',
    ADMIN_PASSWORD: ADMIN_PASSWORD,
    BARONG_DOMAIN: 'bench.example',
    ...(env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: env.UV_THREADPOOL_SIZE } : {}),
    ...(env.PASSWORD_HASH_THREADS ? { PASSWORD_HASH_THREADS: env.PASSWORD_HASH_THREADS } : {}),
    ...extra,
  };
}
