import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Messages between the benchmark driver and its child processes. */
export interface Request {
  id: number;
  op: string;
  args?: Record<string, unknown>;
}

export interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface LoopDelay {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

/** Event-loop delay sampling a driver can start and stop in a child process. */
export class LoopDelaySampler {
  private histogram?: IntervalHistogram;

  start(): void {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
  }

  stop(): LoopDelay {
    const h = this.histogram;
    if (!h) return { maxMs: 0, p99Ms: 0, meanMs: 0 };
    h.disable();
    this.histogram = undefined;
    return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, meanMs: h.mean / 1e6 };
  }
}

/** A V8 CPU profile of just the measured window (not start-up or seeding), written as a .cpuprofile file. */
class CpuProfiler {
  private session?: Session;

  async start(): Promise<void> {
    if (this.session) return;
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.post('Profiler.start');
  }

  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
  }
}

/** Serves driver requests in a forked child: `handlers[op](args)` answers each; every child can be profiled. */
export function serveIpc(own: Record<string, (args: Record<string, unknown>) => unknown>): void {
  const profiler = new CpuProfiler();
  const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
    profileStart: () => profiler.start(),
    profileStop: (args) => profiler.stop(String(args.file)),
    ...own,
  };
  process.on('message', (raw) => {
    const msg = raw as Request;
    void (async () => {
      try {
        const handler = handlers[msg.op];
        if (!handler) throw new Error(`unknown op ${msg.op}`);
        const result = await handler(msg.args ?? {});
        process.send?.({ id: msg.id, ok: true, result } satisfies Reply);
      } catch (err) {
        process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Reply);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}
