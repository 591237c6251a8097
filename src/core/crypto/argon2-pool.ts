import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The thread body, as a CommonJS script (so it runs the same from the build and from the test
 * runner's TypeScript). It lowers its own scheduling priority first: on Linux the nice value of
 * setpriority(PRIO_PROCESS, 0) is the calling thread's, so only the hashing threads yield.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { setPriority } = require('node:os');
const argon2 = require(workerData.argon2);
try { setPriority(0, workerData.niceness); } catch {}
parentPort.on('message', (job) => {
  let reply;
  try {
    reply = { id: job.id, value: job.digest === undefined ? argon2.hashSync(job.password, workerData.params) : argon2.verifySync(job.digest, job.password) };
  } catch (err) {
    reply = { id: job.id, error: String((err && err.message) || err) };
  }
  parentPort.postMessage(reply);
});
`;

interface Job {
  id: number;
  password: string;
  digest?: string;
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

interface Reply {
  id: number;
  value?: string | boolean;
  error?: string;
}

/**
 * argon2id on threads of its own, one job per thread at a time, at a lower scheduling priority
 * than the event loop. On the shared libuv pool, four memory-hard hashes on a two-core machine took
 * the cores from the event loop and from PostgreSQL for tens of milliseconds at a time (the soak's
 * event-loop delay); niced, they use what the rest leaves, and a login's own queries and response
 * are not queued behind other users' hashes.
 */
export class Argon2Pool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly params: object,
    private readonly size = availableParallelism(),
    private readonly niceness = 10,
  ) {}

  hash(password: string): Promise<string> {
    return this.submit(password, undefined);
  }

  verify(digest: string, password: string): Promise<boolean> {
    return this.submit(password, digest);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('password hashing stopped'));
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }

  private submit<T>(password: string, digest: string | undefined): Promise<T> {
    if (this.closed) return Promise.reject(new Error('password hashing stopped'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, password, digest, resolve: resolve as (value: never) => void, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.postMessage({ id: job.id, password: job.password, digest: job.digest });
    }
  }

  private spawn(): Worker {
    const argon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');
    const worker = new Worker(THREAD, { eval: true, workerData: { argon2, params: this.params, niceness: this.niceness } });
    worker.unref();
    this.workers.push(worker);
    worker.on('message', (reply: Reply) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      if (job && job.id === reply.id) {
        if (reply.error !== undefined) job.reject(new Error(reply.error));
        else job.resolve(reply.value as never);
      }
      this.idle.push(worker);
      this.dispatch();
    });
    // A thread that dies fails its job; the next job starts a new one.
    const lost = (err: Error): void => {
      const at = this.workers.indexOf(worker);
      if (at < 0) return;
      this.workers.splice(at, 1);
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      this.running.get(worker)?.reject(err);
      this.running.delete(worker);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`password hashing thread exited with code ${code}`)));
    return worker;
  }
}
