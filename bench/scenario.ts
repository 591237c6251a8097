import { join } from 'node:path';
import autocannon, { type Options, type RawRequest } from 'autocannon';
import type { Child } from './harness.js';
import type { LoopDelay } from './ipc.js';

/** One timed round of a scenario. */
interface Round {
  requests: number;
  seconds: number;
  /** CPU seconds the serving process used during the round. */
  cpu: number;
  p50: number;
  p99: number;
  bad: number;
  loopMax: number;
}

export interface ScenarioResult {
  name: string;
  rps: number;
  /** Server CPU per answered request: what the route costs, whatever else the machine runs. */
  cpuUs: number;
  p50: number;
  p99: number;
  bad: number;
  loopMax: number;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;

export const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

/**
 * One HTTP scenario against one child process: `warm` runs unmeasured; each `round` is timed with
 * the child's event loop and CPU sampled. With BENCH_CPU_PROF set to a directory, the child writes
 * a V8 CPU profile of every measured round there.
 */
export class HttpScenario {
  readonly rounds: Round[] = [];

  constructor(
    readonly name: string,
    private readonly child: Child,
    private readonly opts: Options,
    private readonly connections = 50,
  ) {}

  private get base(): Options {
    return { connections: this.connections, timeout: 30, ...this.opts };
  }

  async warm(seconds: number): Promise<void> {
    if (seconds > 0) await autocannon({ ...this.base, duration: seconds });
  }

  async round(seconds: number): Promise<void> {
    const profileDir = process.env.BENCH_CPU_PROF;
    await this.child.call('eldStart');
    if (profileDir) await this.child.call('profileStart');
    const cpu = this.child.cpuSeconds();
    const r = await autocannon({ ...this.base, duration: seconds });
    const used = this.child.cpuSeconds() - cpu;
    const loop = await this.child.call<LoopDelay>('eldStop');
    if (profileDir) await this.child.call('profileStop', { file: join(profileDir, `${this.name.replace(/[^\w]+/g, '-')}-${this.rounds.length + 1}.cpuprofile`) });
    this.rounds.push({ requests: r['2xx'], seconds: r.duration, cpu: used, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts, loopMax: loop.maxMs });
  }

  /** The rounds merged: total rate, median percentiles, worst loop delay. */
  result(): ScenarioResult {
    const requests = this.rounds.reduce((a, r) => a + r.requests, 0);
    const seconds = this.rounds.reduce((a, r) => a + r.seconds, 0);
    const result = {
      name: this.name,
      rps: requests / seconds,
      cpuUs: (this.rounds.reduce((a, r) => a + r.cpu, 0) / Math.max(1, requests)) * 1e6,
      p50: median(this.rounds.map((r) => r.p50)),
      p99: median(this.rounds.map((r) => r.p99)),
      bad: this.rounds.reduce((a, r) => a + r.bad, 0),
      loopMax: Math.max(...this.rounds.map((r) => r.loopMax)),
    };
    console.log(`  ${result.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.cpuUs.toFixed(0)} µs CPU/req, ${result.bad} failed`);
    return result;
  }
}

/** Warm-up for every scenario, then rounds that interleave them, so a shift in background load hits each alike. */
export async function measure(scenarios: HttpScenario[], opts: { duration: number; rounds: number; warmup: number; afterRound?: () => Promise<void> }): Promise<ScenarioResult[]> {
  const perRound = Math.max(1, opts.duration / opts.rounds);
  for (const scenario of scenarios) await scenario.warm(opts.warmup);
  for (let round = 1; round <= opts.rounds; round++) {
    console.log(`  round ${round}/${opts.rounds}`);
    for (const scenario of scenarios) await scenario.round(perRound);
    await opts.afterRound?.();
  }
  return scenarios.map((s) => s.result());
}

/** Spreads requests over many credentials or bodies, round robin. */
export function roundRobin(method: string, path: string, shape: (i: number) => Partial<RawRequest>, count: number): Options['requests'] {
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
