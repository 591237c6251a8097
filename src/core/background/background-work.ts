import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppError } from '../http/app-error.js';

/**
 * Work a request starts but must not wait for, so the response cannot reveal what the work found
 * (e.g. whether an e-mail has an account). Failures are logged; shutdown waits for what is running.
 */
@Injectable()
export class BackgroundWork implements OnApplicationShutdown {
  private readonly logger = new Logger('BackgroundWork');
  private readonly running = new Set<Promise<void>>();

  run(label: string, task: () => Promise<void>): void {
    const done: Promise<void> = Promise.resolve()
      .then(task)
      .catch((err: unknown) =>
        // A refusal (a rate limit) is expected, not a fault.
        err instanceof AppError ? this.logger.warn(`${label} refused: ${err.codes.join(', ')}`) : this.logger.error(`${label} failed`, err instanceof Error ? err.stack : String(err)),
      )
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves when everything started so far has finished. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settle();
  }
}

@Global()
@Module({ providers: [BackgroundWork], exports: [BackgroundWork] })
export class BackgroundModule {}
