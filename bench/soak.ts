import { cpus, loadavg } from 'node:os';
import autocannon, { type Options } from 'autocannon';
import { ADMIN_PASSWORD, Child, DATABASE_URL, GATEWAY_PATH, login, LOGIN_PATH, ME_PATH, PASSWORD, recreateDatabase, serviceEnv, USER_AGENT, nodeArgs } from './harness.js';
import type { LoopDelay } from './ipc.js';

/**
 * Soak: measures the capacity of a mixed workload (logins, some wrong; users/me; the gateway;
 * admin lists), then holds about 70% of it for SOAK_SECONDS (600), sampling the service's
 * resident memory and event-loop delay every SOAK_SAMPLE_SECONDS (10). Passes when no request
 * failed (a wrong password answered 401 is expected), RSS after warm-up (the first fifth) stays
 * within 10%, and the event-loop delay p99 stays under 50 ms.
 *
 * Env: BENCH_DATABASE_URL, SOAK_SECONDS, SOAK_LOAD (0.7), SOAK_CONNECTIONS (50), BENCH_USERS (200).
 */
const env = process.env;
const SECONDS = Number(env.SOAK_SECONDS ?? 600);
const LOAD = Number(env.SOAK_LOAD ?? 0.7);
const CONNECTIONS = Number(env.SOAK_CONNECTIONS ?? 50);
const SAMPLE_SECONDS = Number(env.SOAK_SAMPLE_SECONDS ?? 10);
const USERS = Number(env.BENCH_USERS ?? 200);

type Kind = 'login' | 'wrong_login' | 'me' | 'gateway' | 'admin_users' | 'admin_activities';
/** Out of 1000 requests. Logins are few: each costs an argon2id hash, the rest microseconds. */
const MIX: [Kind, number][] = [
  ['login', 6],
  ['wrong_login', 2],
  ['me', 450],
  ['gateway', 450],
  ['admin_users', 46],
  ['admin_activities', 46],
];
const EXPECTED: Record<Kind, number> = { login: 200, wrong_login: 401, me: 200, gateway: 200, admin_users: 200, admin_activities: 200 };

interface Tally {
  sent: Record<Kind, number>;
  unexpected: Record<string, number>;
}

function workload(emails: string[], cookies: string[], adminCookie: string, tally: Tally): Options['requests'] {
  const schedule: Kind[] = MIX.flatMap(([kind, n]) => Array.from({ length: n }, () => kind));
  // Spread each kind through the cycle instead of in runs.
  for (let i = schedule.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [schedule[i], schedule[j]] = [schedule[j]!, schedule[i]!];
  }
  let n = 0;
  // Each account in turn takes one cycle's sign-ins, right and wrong passwords alike, so a mistyped
  // password is followed by a correct one (which clears the account's failures), as with real users;
  // picking accounts by request number instead would give the same few accounts every wrong password.
  const signInsPerCycle = MIX.filter(([k]) => k === 'login' || k === 'wrong_login').reduce((a, [, count]) => a + count, 0);
  let signIns = 0;
  return [
    {
      setupRequest: (req, context: Record<string, unknown>) => {
        const i = n++;
        const kind = schedule[i % schedule.length]!;
        context.kind = kind;
        tally.sent[kind]++;
        const cookie = cookies[i % cookies.length]!;
        const email = kind === 'login' || kind === 'wrong_login' ? emails[Math.floor(signIns++ / signInsPerCycle) % emails.length]! : emails[i % emails.length]!;
        const base = { ...req, headers: { ...req.headers, 'user-agent': USER_AGENT } };
        switch (kind) {
          case 'login':
          case 'wrong_login':
            return {
              ...base,
              method: 'POST',
              path: LOGIN_PATH,
              headers: { ...base.headers, 'content-type': 'application/json' },
              body: JSON.stringify({ email, password: kind === 'login' ? PASSWORD : 'Wrong!Passw0rd#1' }),
            };
          case 'me':
            return { ...base, method: 'GET', path: ME_PATH, headers: { ...base.headers, cookie } };
          case 'gateway':
            return { ...base, method: 'GET', path: GATEWAY_PATH, headers: { ...base.headers, cookie } };
          case 'admin_users':
            return { ...base, method: 'GET', path: '/api/v2/barong/admin/users?limit=25', headers: { ...base.headers, cookie: adminCookie } };
          case 'admin_activities':
            return { ...base, method: 'GET', path: '/api/v2/barong/admin/activities?limit=25', headers: { ...base.headers, cookie: adminCookie } };
        }
      },
      onResponse: (status, _body, context: Record<string, unknown>) => {
        const kind = context.kind as Kind;
        if (status !== EXPECTED[kind]) tally.unexpected[`${kind} ${status}`] = (tally.unexpected[`${kind} ${status}`] ?? 0) + 1;
      },
    },
  ];
}

const freshTally = (): Tally => ({ sent: Object.fromEntries(MIX.map(([k]) => [k, 0])) as Record<Kind, number>, unexpected: {} });

async function main(): Promise<void> {
  console.log(`soak: ${SECONDS} s at ${LOAD * 100}% of capacity, ${CONNECTIONS} connections, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await recreateDatabase(DATABASE_URL);
  // Wrong passwords all come from one address here: the per-IP guess budget would refuse them.
  const service = Child.start('service', './server.js', serviceEnv({ BARONG_LOGIN_MAX_FAILURES_PER_IP: '1000000' }), nodeArgs());
  try {
    await service.ready;
    const url = `http://127.0.0.1:${await service.call<number>('port')}`;
    const emails = await service.call<string[]>('seed', { count: USERS, password: PASSWORD });
    const cookies: string[] = [];
    for (const email of emails) cookies.push(`_barong_session=${await login(url, email)}`);
    const adminCookie = `_barong_session=${await login(url, 'admin@bench.example', ADMIN_PASSWORD)}`;
    const base = { url, connections: CONNECTIONS, timeout: 30 };

    const probeTally = freshTally();
    const probe = await autocannon({ ...base, duration: 10, requests: workload(emails, cookies, adminCookie, probeTally) });
    const capacity = probe.requests.average;
    const rate = Math.max(1, Math.floor(capacity * LOAD));
    console.log(`capacity of the mix: ${capacity.toFixed(0)} req/s (${JSON.stringify(probeTally.unexpected)} unexpected); soaking at ${rate} req/s`);

    const tally = freshTally();
    const samples: { at: number; rss: number; loop: LoopDelay }[] = [];
    const started = Date.now();
    let running = true;
    const sampler = (async () => {
      while (running) {
        await service.call('eldStart');
        await new Promise((r) => setTimeout(r, SAMPLE_SECONDS * 1000));
        const loop = await service.call<LoopDelay>('eldStop');
        const rss = await service.call<number>('rss');
        samples.push({ at: (Date.now() - started) / 1000, rss, loop });
        console.log(`  t=${((Date.now() - started) / 1000).toFixed(0)} s rss ${(rss / 2 ** 20).toFixed(1)} MiB, loop p99 ${loop.p99Ms.toFixed(1)} ms, max ${loop.maxMs.toFixed(1)} ms`);
      }
    })();
    const result = await autocannon({ ...base, duration: SECONDS, overallRate: rate, requests: workload(emails, cookies, adminCookie, tally) });
    running = false;
    await sampler;

    const warm = samples.filter((s) => s.at >= SECONDS / 5);
    const rss = (warm.length ? warm : samples).map((s) => s.rss);
    const rssGrowth = rss.length ? (Math.max(...rss) - Math.min(...rss)) / Math.min(...rss) : 0;
    // Garbage collection makes RSS a saw (it climbs to the next collection and drops); what a leak
    // moves is the floor: the lowest sample of the last half after warm-up against the first half's.
    const half = Math.floor(rss.length / 2);
    const floorDrift = half ? (Math.min(...rss.slice(half)) - Math.min(...rss.slice(0, half))) / Math.min(...rss.slice(0, half)) : 0;
    const loopP99 = Math.max(...samples.map((s) => s.loop.p99Ms));
    const errors = result.errors + result.timeouts + Object.values(tally.unexpected).reduce((a, b) => a + b, 0);
    const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
    console.log('');
    console.log('| figure | value | target | verdict |');
    console.log('|---|---:|---|---|');
    console.log(`| requests | ${result.requests.total} at ${result.requests.average.toFixed(0)} req/s (${JSON.stringify(tally.sent)}) | ~${rate} req/s | - |`);
    console.log(`| latency p50 / p99 | ${result.latency.p50} / ${result.latency.p99} ms | - | - |`);
    console.log(`| errors | ${errors} ${JSON.stringify(tally.unexpected)} | 0 | ${verdict(errors === 0)} |`);
    console.log(`| RSS after warm-up, lowest to highest (the collector's saw) | ${(Math.min(...rss) / 2 ** 20).toFixed(1)}-${(Math.max(...rss) / 2 ** 20).toFixed(1)} MiB (${(rssGrowth * 100).toFixed(1)}%) | - | - |`);
    console.log(`| RSS floor, last half after warm-up against the first | ${floorDrift >= 0 ? '+' : ''}${(floorDrift * 100).toFixed(1)}% | within 10% | ${verdict(Math.abs(floorDrift) <= 0.1)} |`);
    console.log(`| event-loop delay p99 (worst ${SAMPLE_SECONDS} s window) | ${loopP99.toFixed(1)} ms | < 50 ms | ${verdict(loopP99 < 50)} |`);
    await service.call('stop').catch(() => undefined);
    await Promise.race([service.exited, new Promise((r) => setTimeout(r, 10_000))]);
  } finally {
    service.kill();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
