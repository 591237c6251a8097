import type { Logger } from '@nestjs/common';

/**
 * Runs `task` every `intervalMs`, never two at once; `stop()` waits for the run in progress. A
 * failing run is logged and the next one happens on schedule.
 */
export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly label: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(firstDelayMs = 50): void {
    if (this.intervalMs <= 0) return;
    this.schedule(firstDelayMs);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.task()
        .then(() => undefined, (err: unknown) => this.logger.error(`${this.label} failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.intervalMs);
        });
    }, delay);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
