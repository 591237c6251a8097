import { cpus, loadavg } from 'node:os';
import { Child, DATABASE_URL, GATEWAY_PATH, login, LOGIN_PATH, ME_PATH, nodeArgs, PASSWORD, PING_PATH, recreateDatabase, serviceEnv, USER_AGENT } from './harness.js';
import type { Options } from 'autocannon';
import { HttpScenario, measure, median, pct, roundRobin, type ScenarioResult } from './scenario.js';

/**
 * One benchmark run: a bare node:http yardstick, the gateway endpoint, users/me and login (against
 * the raw argon2id rate), each with autocannon at the same concurrency, the service in a child
 * process on a fresh local PostgreSQL database.
 *
 * Env: BENCH_DATABASE_URL, BENCH_CONNECTIONS (50), BENCH_DURATION (10 s per scenario, split into
 * BENCH_ROUNDS (5) interleaved rounds), BENCH_WARMUP (2 s),
 * BENCH_SCENARIOS (ping,gateway,me,login; the yardstick and the NestJS baseline always run), BENCH_USERS (200 distinct logins), BENCH_SESSIONS (200 session cookies, round robin), BENCH_CPU_PROF (a
 * directory: the service writes a V8 CPU profile of each measured round there).
 */
const env = process.env;
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 5));
const USERS = Number(env.BENCH_USERS ?? 200);
const SESSIONS = Math.min(Number(env.BENCH_SESSIONS ?? 200), USERS);
const SCENARIOS = (env.BENCH_SCENARIOS ?? 'ping,gateway,me,login').split(',').map((x) => x.trim());


const scenario = (name: string, child: Child, opts: Options): HttpScenario => new HttpScenario(name, child, opts, CONNECTIONS);

async function main(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`barong bench: ${CONNECTIONS} connections, ${DURATION} s per scenario in ${ROUNDS} rounds (+${WARMUP} s warm-up), ${cpus().length} CPUs, load ${load}, node ${process.version}`);
  await recreateDatabase(DATABASE_URL);
  const yardstick = Child.start('yardstick', './yardstick.js', { PATH: env.PATH });
  const baseline = Child.start('nest-baseline', './nest-baseline.js', { PATH: env.PATH, NODE_ENV: 'production' });
  const service = Child.start('service', './server.js', serviceEnv(), nodeArgs());
  const children = [yardstick, baseline, service];
  try {
    await Promise.all(children.map((c) => c.ready));
    const yardstickUrl = `http://127.0.0.1:${await yardstick.call<number>('port')}`;
    const serviceUrl = `http://127.0.0.1:${await service.call<number>('port')}`;
    const baselineUrl = `http://127.0.0.1:${await baseline.call<number>('port')}/ping`;

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
    const scenarios: HttpScenario[] = [
      scenario('yardstick (bare node:http)', yardstick, { url: yardstickUrl, headers }),
      scenario('framework baseline (bare NestJS on Fastify) GET /ping', baseline, { url: baselineUrl, headers }),
    ];
    if (want('ping')) scenarios.push(scenario('service GET /api/v2/barong/identity/ping', service, { url: serviceUrl + PING_PATH, headers }));
    if (want('gateway')) {
      scenarios.push(
        scenario('gateway GET /api/v2/auth/.../users/me', service, {
          url: serviceUrl,
          headers,
          requests: roundRobin('GET', GATEWAY_PATH, (i) => ({ headers: { cookie: cookies[i]! } }), cookies.length),
        }),
      );
    }
    if (want('me')) {
      scenarios.push(
        scenario('GET /api/v2/barong/resource/users/me', service, {
          url: serviceUrl,
          headers,
          requests: roundRobin('GET', ME_PATH, (i) => ({ headers: { cookie: cookies[i]! } }), cookies.length),
        }),
      );
    }
    if (want('login')) {
      scenarios.push(
        scenario('login POST identity/sessions', service, {
          url: serviceUrl,
          headers: { ...headers, 'content-type': 'application/json' },
          requests: roundRobin('POST', LOGIN_PATH, (i) => ({ body: JSON.stringify({ email: emails[i], password: PASSWORD }) }), emails.length),
        }),
      );
    }
    // The raw hash rate is measured between the rounds too, so background load hits it alike.
    const argonRounds: { done: number; seconds: number; p50: number; p99: number }[] = [];
    const perRound = Math.max(1, DURATION / ROUNDS);
    const results = await measure(scenarios, {
      duration: DURATION,
      rounds: ROUNDS,
      warmup: WARMUP,
      afterRound: async () => {
        if (want('login')) argonRounds.push(await service.call('argon2', { concurrency: CONNECTIONS, durationMs: perRound * 1000 }));
      },
    });
    const [bare, ...rest] = results as [ScenarioResult, ...ScenarioResult[]];
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
    for (const reference of [byName('framework'), byName('service GET')]) if (reference) rows.push({ r: reference, base: 'yardstick', ratio: reference.rps / bare.rps });
    if (gateway) rows.push({ r: gateway, base: 'yardstick', ratio: gateway.rps / bare.rps, target: 0.3, p99Max: 10 });
    if (me) rows.push({ r: me, base: 'yardstick', ratio: me.rps / bare.rps, target: 0.2, p99Max: 15 });
    if (logins && argon) rows.push({ r: logins, base: 'argon2id', ratio: logins.rps / argon.rate, target: 0.9, p99OverP50: 1.5 });
    console.log('');
    console.log('| scenario | req/s | p50 ms | p99 ms | ratio | vs | target | server CPU µs/req | max loop delay ms | failed | verdict |');
    console.log('|---|---:|---:|---:|---:|---|---|---:|---:|---:|---|');
    for (const { r, base, ratio, target, p99Max, p99OverP50 } of rows) {
      const goals = [target !== undefined ? `>= ${pct(target)}` : '', p99Max !== undefined ? `p99 <= ${p99Max} ms` : '', p99OverP50 !== undefined ? `p99 <= ${p99OverP50} x p50` : '']
        .filter(Boolean)
        .join(', ');
      const met =
        (target === undefined || ratio >= target) && (p99Max === undefined || r.p99 <= p99Max) && (p99OverP50 === undefined || r.p99 <= p99OverP50 * r.p50) && r.bad === 0;
      console.log(
        `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${pct(ratio)} | ${base} | ${goals || '-'} | ${r.cpuUs.toFixed(0)} | ${r.loopMax.toFixed(1)} | ${r.bad} | ${goals ? (met ? 'met' : 'MISSED') : '-'} |`,
      );
    }
    if (argon) console.log(`| raw argon2id (${CONNECTIONS} in flight) | ${argon.rate.toFixed(1)} | ${argon.p50.toFixed(1)} | ${argon.p99.toFixed(1)} | - | - | - | - | - | 0 | - |`);
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
