import { cpus, loadavg } from 'node:os';
import autocannon, { type Options, type RawRequest } from 'autocannon';
import { Child, DATABASE_URL, GATEWAY_PATH, login, LOGIN_PATH, ME_PATH, PASSWORD, recreateDatabase, serviceEnv, USER_AGENT } from './harness.js';
import type { LoopDelay } from './ipc.js';

/**
 * One benchmark run: a bare node:http yardstick, the gateway endpoint, users/me and login (against
 * the raw argon2id rate), each with autocannon at the same concurrency, the service in a child
 * process on a fresh local PostgreSQL database.
 *
 * Env: BENCH_DATABASE_URL, BENCH_CONNECTIONS (50), BENCH_DURATION (10 s per scenario, split into
 * BENCH_ROUNDS (5) interleaved rounds), BENCH_WARMUP (2 s),
 * BENCH_SCENARIOS (gateway,me,login; the yardstick always runs), BENCH_USERS (200 distinct logins), BENCH_SESSIONS (200 session cookies, round robin), BENCH_CPU_PROF (a
 * directory: the service writes a V8 CPU profile there on exit).
 */
const env = process.env;
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 5));
const USERS = Number(env.BENCH_USERS ?? 200);
const SESSIONS = Math.min(Number(env.BENCH_SESSIONS ?? 200), USERS);
const SCENARIOS = (env.BENCH_SCENARIOS ?? 'gateway,me,login').split(',').map((x) => x.trim());


interface ScenarioResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  bad: number;
  loop: LoopDelay;
}

interface Round {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  bad: number;
  loopMax: number;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

/** Rounds of one scenario merged: total rate, median percentiles, worst loop delay. */
function merge(name: string, rounds: Round[]): ScenarioResult {
  const requests = rounds.reduce((a, r) => a + r.requests, 0);
  const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
  const result = {
    name,
    rps: requests / seconds,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    ok: requests,
    bad: rounds.reduce((a, r) => a + r.bad, 0),
    loop: { maxMs: Math.max(...rounds.map((r) => r.loopMax)), p99Ms: 0, meanMs: 0 },
  };
  console.log(`  ${name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.bad} failed`);
  return result;
}

/** One HTTP scenario: `warm` runs unmeasured; each round is timed with the child's loop sampled. */
class HttpScenario {
  readonly rounds: Round[] = [];

  constructor(
    readonly name: string,
    private readonly child: Child,
    private readonly opts: Options,
  ) {}

  private get base(): Options {
    return { connections: CONNECTIONS, timeout: 30, ...this.opts };
  }

  async warm(seconds: number): Promise<void> {
    if (seconds > 0) await autocannon({ ...this.base, duration: seconds });
  }

  async round(seconds: number): Promise<void> {
    await this.child.call('eldStart');
    const r = await autocannon({ ...this.base, duration: seconds });
    const loop = await this.child.call<LoopDelay>('eldStop');
    this.rounds.push({ requests: r['2xx'], seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts, loopMax: loop.maxMs });
  }

  result(): ScenarioResult {
    return merge(this.name, this.rounds);
  }
}

/** Spreads requests over many sessions (cookie) or users (login body), round robin. */
function roundRobin(method: string, path: string, shape: (i: number) => Partial<RawRequest>, count: number): Options['requests'] {
  let i = 0;
  return [
    {
      method,
      path,
      setupRequest: (req) => {
        const extra = shape(i++ % count);
        return { ...req, ...extra, headers: { ...req.headers, ...extra.headers } };
      },
    },
  ];
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`barong bench: ${CONNECTIONS} connections, ${DURATION} s per scenario in ${ROUNDS} rounds (+${WARMUP} s warm-up), ${cpus().length} CPUs, load ${load}, node ${process.version}`);
  await recreateDatabase(DATABASE_URL);
  const yardstick = Child.start('yardstick', './yardstick.js', { PATH: env.PATH });
  const profile = env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : [];
  const service = Child.start('service', './server.js', serviceEnv(), profile);
  const children = [yardstick, service];
  try {
    await Promise.all(children.map((c) => c.ready));
    const yardstickUrl = `http://127.0.0.1:${await yardstick.call<number>('port')}`;
    const serviceUrl = `http://127.0.0.1:${await service.call<number>('port')}`;

    console.log(`seeding ${USERS} users...`);
    const emails = await service.call<string[]>('seed', { count: USERS, password: PASSWORD });
    const tokens: string[] = [];
    for (const email of emails.slice(0, SESSIONS)) {
      const token = await login(serviceUrl, email);
      if (!token) break;
      tokens.push(token);
    }
    if (tokens.length < SESSIONS) {
      console.log('login route not available: opening sessions directly');
      tokens.splice(0, tokens.length, ...(await service.call<string[]>('openSessions', { emails: emails.slice(0, SESSIONS), ip: '127.0.0.1', userAgent: USER_AGENT })));
    }
    const cookies = tokens.map((t) => `_barong_session=${t}`);
    const headers = { 'user-agent': USER_AGENT };

    console.log('measuring...');
    const want = (name: string): boolean => SCENARIOS.includes(name);
    const scenarios: HttpScenario[] = [new HttpScenario('yardstick (bare node:http)', yardstick, { url: yardstickUrl, headers })];
    if (want('gateway')) {
      scenarios.push(
        new HttpScenario('gateway GET /api/v2/auth/.../users/me', service, {
          url: serviceUrl,
          headers,
          requests: roundRobin('GET', GATEWAY_PATH, (i) => ({ headers: { cookie: cookies[i]! } }), cookies.length),
        }),
      );
    }
    if (want('me')) {
      scenarios.push(
        new HttpScenario('GET /api/v2/barong/resource/users/me', service, {
          url: serviceUrl,
          headers,
          requests: roundRobin('GET', ME_PATH, (i) => ({ headers: { cookie: cookies[i]! } }), cookies.length),
        }),
      );
    }
    if (want('login')) {
      scenarios.push(
        new HttpScenario('login POST identity/sessions', service, {
          url: serviceUrl,
          headers: { ...headers, 'content-type': 'application/json' },
          requests: roundRobin('POST', LOGIN_PATH, (i) => ({ body: JSON.stringify({ email: emails[i], password: PASSWORD }) }), emails.length),
        }),
      );
    }
    // Rounds interleave every scenario (and the raw hash rate), so a shift in background load hits
    // each of them alike instead of skewing the ratios.
    const argonRounds: { done: number; seconds: number; p50: number; p99: number }[] = [];
    const perRound = Math.max(1, DURATION / ROUNDS);
    for (const scenario of scenarios) await scenario.warm(WARMUP);
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`  round ${round}/${ROUNDS}`);
      for (const scenario of scenarios) await scenario.round(perRound);
      if (want('login')) argonRounds.push(await service.call('argon2', { concurrency: CONNECTIONS, durationMs: perRound * 1000 }));
    }
    const [bare, ...rest] = scenarios.map((sc) => sc.result()) as [ScenarioResult, ...ScenarioResult[]];
    const byName = (prefix: string): ScenarioResult | undefined => rest.find((r) => r.name.startsWith(prefix));
    const gateway = byName('gateway');
    const me = byName('GET /api');
    const logins = byName('login');
    const argon = argonRounds.length
      ? {
          rate: argonRounds.reduce((a, r) => a + r.done, 0) / argonRounds.reduce((a, r) => a + r.seconds, 0),
          p50: median(argonRounds.map((r) => r.p50)),
          p99: median(argonRounds.map((r) => r.p99)),
        }
      : undefined;
    if (argon) console.log(`  raw argon2id hash: ${argon.rate.toFixed(1)} /s, p50 ${argon.p50.toFixed(1)} ms, p99 ${argon.p99.toFixed(1)} ms`);

    const rows: { r: ScenarioResult; base: string; ratio: number; target?: number; p99Max?: number; p99OverP50?: number }[] = [{ r: bare, base: 'yardstick', ratio: 1 }];
    if (gateway) rows.push({ r: gateway, base: 'yardstick', ratio: gateway.rps / bare.rps, target: 0.3, p99Max: 10 });
    if (me) rows.push({ r: me, base: 'yardstick', ratio: me.rps / bare.rps, target: 0.2, p99Max: 15 });
    if (logins && argon) rows.push({ r: logins, base: 'argon2id', ratio: logins.rps / argon.rate, target: 0.9, p99OverP50: 1.5 });
    console.log('');
    console.log('| scenario | req/s | p50 ms | p99 ms | ratio | vs | target | max loop delay ms | failed | verdict |');
    console.log('|---|---:|---:|---:|---:|---|---|---:|---:|---|');
    for (const { r, base, ratio, target, p99Max, p99OverP50 } of rows) {
      const goals = [target !== undefined ? `>= ${pct(target)}` : '', p99Max !== undefined ? `p99 <= ${p99Max} ms` : '', p99OverP50 !== undefined ? `p99 <= ${p99OverP50} x p50` : '']
        .filter(Boolean)
        .join(', ');
      const met =
        (target === undefined || ratio >= target) && (p99Max === undefined || r.p99 <= p99Max) && (p99OverP50 === undefined || r.p99 <= p99OverP50 * r.p50) && r.bad === 0;
      console.log(
        `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${pct(ratio)} | ${base} | ${goals || '-'} | ${r.loop.maxMs.toFixed(1)} | ${r.bad} | ${goals ? (met ? 'met' : 'MISSED') : '-'} |`,
      );
    }
    if (argon) console.log(`| raw argon2id (${CONNECTIONS} in flight) | ${argon.rate.toFixed(1)} | ${argon.p50.toFixed(1)} | ${argon.p99.toFixed(1)} | - | - | - | - | 0 | - |`);
    await service.call('stop').catch(() => undefined);
    await Promise.race([service.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  } finally {
    for (const c of children) c.kill();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
