import { Injectable } from '@nestjs/common';

/** A dependency readiness waits for: true when it answers. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/**
 * Dependencies beyond the database and Redis that /health/ready reports. The message broker
 * registers here when it is configured (`readiness.register({ name: 'broker', check })`).
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];
  /** Set on shutdown: the instance stays up to finish its work but asks for no new requests. */
  draining = false;

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  all(): readonly ReadinessCheck[] {
    return this.checks;
  }
}
