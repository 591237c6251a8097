import { cpus, loadavg } from 'node:os';
import { benchDatabaseUrl, Child, recreateDatabase, serviceEnv, nodeArgs } from './harness.js';
import { HttpScenario, measure, pct, roundRobin, type ScenarioResult } from './scenario.js';

/**
 * The network face's benchmark, in one run with the bare node:http yardstick: POST
 * /network/auth-client (a new client each time), POST /network/find-locations over the full
 * location set with typo'd queries (at 50 and at 10 connections), and an authenticated GET
 * /network/clients. Rounds interleave the scenarios so background load hits them alike.
 *
 * Env: BENCH_DATABASE_URL, BENCH_DURATION (10 s per scenario), BENCH_ROUNDS (5), BENCH_WARMUP (2 s),
 * BENCH_NETWORKS (400 networks to spread new clients over), BENCH_QUERIES (5000 distinct queries).
 */
const env = process.env;
const DATABASE_URL = benchDatabaseUrl('barong_bench_network');
const DURATION = Number(env.BENCH_DURATION ?? 10);
const ROUNDS = Math.max(1, Number(env.BENCH_ROUNDS ?? 5));
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const NETWORKS = Number(env.BENCH_NETWORKS ?? 400);
const QUERIES = Number(env.BENCH_QUERIES ?? 5000);
const LIST_NETWORKS = 50;
const CLIENTS_PER_LISTED_NETWORK = 5;

/** A small deterministic PRNG, so every run searches the same queries. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Location names with one typo (a dropped, swapped, doubled or replaced letter after the first), some cut to a prefix. */
function typoQueries(names: string[], count: number): string[] {
  const rand = prng(2026);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const out = new Set<string>();
  while (out.size < count) {
    let name = names[Math.floor(rand() * names.length)]!;
    if (name.length < 5) continue;
    if (rand() < 0.3) name = name.slice(0, Math.max(5, Math.floor(name.length * (0.5 + rand() / 2))));
    const i = 1 + Math.floor(rand() * (name.length - 2));
    const kind = Math.floor(rand() * 4);
    const typo =
      kind === 0 ? name.slice(0, i) + name.slice(i + 1)
      : kind === 1 ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2)
      : kind === 2 ? name.slice(0, i) + name[i] + name.slice(i)
      : name.slice(0, i) + letters[Math.floor(rand() * 26)] + name.slice(i + 1);
    out.add(typo);
  }
  return [...out];
}

async function main(): Promise<void> {
  console.log(`network bench: ${DURATION} s per scenario in ${ROUNDS} rounds (+${WARMUP} s warm-up), ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
  await recreateDatabase(DATABASE_URL);
  const yardstick = Child.start('yardstick', './yardstick.js', { PATH: env.PATH });
  const started = Date.now();
  const service = Child.start('service', './network-server.js', serviceEnv({ DATABASE_URL }), nodeArgs());
  const children = [yardstick, service];
  try {
    await Promise.all(children.map((c) => c.ready));
    console.log(`service listening after ${Date.now() - started} ms`);
    const yardstickUrl = `http://127.0.0.1:${await yardstick.call<number>('port')}`;
    const serviceUrl = `http://127.0.0.1:${await service.call<number>('port')}`;
    const names = await service.call<string[]>('locationsReady');
    console.log(`location index ready ${Date.now() - started} ms after start: ${names.length} locations`);
    console.log(`seeding ${NETWORKS} networks...`);
    const jwts = await service.call<string[]>('seedNetworks', { count: NETWORKS, withClients: LIST_NETWORKS, clients: CLIENTS_PER_LISTED_NETWORK });
    const listJwts = jwts.slice(0, LIST_NETWORKS);
    const clientJwts = jwts.slice(LIST_NETWORKS);
    const queries = typoQueries(names, QUERIES);
    const json = { 'content-type': 'text/json' };

    const scenarios = [
      new HttpScenario('yardstick (bare node:http)', yardstick, { url: yardstickUrl, connections: 50 }),
      new HttpScenario('POST /network/auth-client (new client)', service, {
        url: serviceUrl,
        connections: 50,
        requests: roundRobin('POST', '/network/auth-client', (i) => ({ body: JSON.stringify({ description: `bench ${i}`, device_spec: 'bench' }), headers: { ...json, authorization: `Bearer ${clientJwts[i]}` } }), clientJwts.length),
      }),
      new HttpScenario('POST /network/find-locations, 50 conns', service, {
        url: serviceUrl,
        connections: 50,
        requests: roundRobin('POST', '/network/find-locations', (i) => ({ body: JSON.stringify({ query: queries[i] }), headers: json }), queries.length),
      }),
      new HttpScenario('POST /network/find-locations, 10 conns', service, {
        url: serviceUrl,
        connections: 10,
        requests: roundRobin('POST', '/network/find-locations', (i) => ({ body: JSON.stringify({ query: queries[(i * 7919) % queries.length] }), headers: json }), queries.length),
      }),
      new HttpScenario('GET /network/clients (admin JWT)', service, {
        url: serviceUrl,
        connections: 50,
        requests: roundRobin('GET', '/network/clients', (i) => ({ headers: { authorization: `Bearer ${listJwts[i]}` } }), listJwts.length),
      }),
    ];
    console.log('measuring...');
    const [bare, authClient, find50, find10, clients] = (await measure(scenarios, { duration: DURATION, rounds: ROUNDS, warmup: WARMUP })) as [ScenarioResult, ...ScenarioResult[]];
    const rows: { r: ScenarioResult; goal: string; met?: boolean }[] = [
      { r: bare, goal: '-' },
      { r: authClient!, goal: '>= 1,500 req/s', met: authClient!.rps >= 1500 },
      { r: find50!, goal: '>= 2,000 req/s', met: find50!.rps >= 2000 },
      { r: find10!, goal: 'p99 <= 20 ms', met: find10!.p99 <= 20 },
      { r: clients!, goal: `>= 20% of yardstick (${pct(clients!.rps / bare.rps)})`, met: clients!.rps / bare.rps >= 0.2 },
    ];
    console.log('');
    console.log('| scenario | req/s | p50 ms | p99 ms | server CPU µs/req | max loop delay ms | failed | target | verdict |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---|---|');
    for (const { r, goal, met } of rows) {
      const verdict = met === undefined ? '-' : met && r.bad === 0 ? 'met' : 'MISSED';
      console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.cpuUs.toFixed(0)} | ${r.loopMax.toFixed(1)} | ${r.bad} | ${goal} | ${verdict} |`);
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
