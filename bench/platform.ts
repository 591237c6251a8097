import { cpus, loadavg } from 'node:os';
import type { Options } from 'autocannon';
import { benchDatabaseUrl, Child, recreateDatabase, serviceEnv, nodeArgs } from './harness.js';
import { HttpScenario, measure, roundRobin, type ScenarioResult } from './scenario.js';

/**
 * The platform face's hot path in one run with the bare node:http yardstick: POST
 * /v1/auth/sessions/verify with a session JWT and with a session token, spread over many
 * sessions, at the same concurrency, rounds interleaved; the service in a child process on a fresh
 * local PostgreSQL database.
 *
 * Env: BENCH_DATABASE_URL, BENCH_CONNECTIONS (50), BENCH_DURATION (10 s per scenario, in
 * BENCH_ROUNDS (5) rounds), BENCH_WARMUP (2 s), BENCH_SESSIONS (200), BENCH_CPU_PROF (a directory: the
 * service writes a V8 CPU profile of each measured round there).
 */
const env = process.env;
const DATABASE_URL = benchDatabaseUrl('platform_bench');
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 5));
const SESSIONS = Number(env.BENCH_SESSIONS ?? 200);
const VERIFY_PATH = '/v1/auth/sessions/verify';

/**
 * POST bodies over the sessions, round robin across all connections (so concurrent requests name
 * different sessions), encoded once: the load generator shares the cores with the service.
 */
function verifyRequests(field: 'session_jwt' | 'session_token', values: string[]): Options['requests'] {
  const bodies = values.map((v) => Buffer.from(JSON.stringify({ [field]: v })));
  return roundRobin('POST', VERIFY_PATH, (i) => ({ body: bodies[i] }), bodies.length);
}

const scenario = (name: string, child: Child, opts: Options): HttpScenario => new HttpScenario(name, child, opts, CONNECTIONS);

async function main(): Promise<void> {
  console.log(`platform bench: ${CONNECTIONS} connections, ${DURATION} s per scenario in ${ROUNDS} rounds (+${WARMUP} s warm-up), ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
  await recreateDatabase(DATABASE_URL);
  const yardstick = Child.start('yardstick', './yardstick.js', { PATH: env.PATH });
  const service = Child.start('service', './platform-server.js', serviceEnv({ DATABASE_URL }), nodeArgs());
  const children = [yardstick, service];
  try {
    await Promise.all(children.map((c) => c.ready));
    const yardstickUrl = `http://127.0.0.1:${await yardstick.call<number>('port')}`;
    const serviceUrl = `http://127.0.0.1:${await service.call<number>('port')}`;
    console.log(`seeding a tenant app with ${SESSIONS} users and sessions...`);
    const seeded = await service.call<{ secretKey: string; tokens: string[]; jwts: string[] }>('seed', { count: SESSIONS });
    const headers = { authorization: `Bearer ${seeded.secretKey}`, 'content-type': 'application/json', 'user-agent': 'platform-bench/1.0' };
    const check = await fetch(serviceUrl + VERIFY_PATH, { method: 'POST', headers, body: JSON.stringify({ session_jwt: seeded.jwts[0] }) });
    if (check.status !== 200) throw new Error(`sessions/verify answered ${check.status}: ${await check.text()}`);
    console.log('measuring...');
    const scenarios = [
      scenario('yardstick (bare node:http)', yardstick, { url: yardstickUrl }),
      scenario('GET jwks/default (framework baseline, no DB)', service, { url: serviceUrl + '/v1/auth/jwks/default', headers: { authorization: headers.authorization } }),
      scenario('POST sessions/verify (session_jwt)', service, { url: serviceUrl, headers, requests: verifyRequests('session_jwt', seeded.jwts) }),
      scenario('POST sessions/verify (session_token)', service, { url: serviceUrl, headers, requests: verifyRequests('session_token', seeded.tokens) }),
    ];
    const [bare, baseline, jwt, token] = (await measure(scenarios, { duration: DURATION, rounds: ROUNDS, warmup: WARMUP })) as [ScenarioResult, ScenarioResult, ScenarioResult, ScenarioResult];
    const rows = [
      { r: bare, target: undefined as number | undefined },
      { r: baseline, target: undefined as number | undefined },
      { r: jwt, target: 0.25 },
      { r: token, target: 0.2 },
    ];
    console.log('');
    console.log('| scenario | req/s | p50 ms | p99 ms | ratio | target | server CPU µs/req | CPU ratio | max loop delay ms | failed | verdict |');
    console.log('|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|');
    for (const { r, target } of rows) {
      const ratio = r.rps / bare.rps;
      const met = target === undefined || (ratio >= target && r.p99 <= 15 && r.bad === 0);
      console.log(
        `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(ratio * 100).toFixed(1)}% | ${target ? `>= ${target * 100}%, p99 <= 15 ms` : '-'} | ${r.cpuUs.toFixed(0)} | ${r.cpuUs ? ((bare.cpuUs / r.cpuUs) * 100).toFixed(1) + '%' : '-'} | ${r.loopMax.toFixed(1)} | ${r.bad} | ${target ? (met ? 'met' : 'MISSED') : '-'} |`,
      );
    }
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
