import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxMessage } from './outbox-message.entity.js';
import { MailTransport, SmsTransport } from './transports.js';

export const OUTBOX_POLL_MS = Symbol('OUTBOX_POLL_MS');
const MAX_ATTEMPTS = 10;
const BATCH = 20;

export interface MailInput {
  to: string;
  subject: string;
  text: string;
  template?: string;
}

/**
 * Mail and SMS leave through this outbox. Enqueue inside the caller's transaction; a worker on
 * every instance claims due rows with SKIP LOCKED, sends them, and retries with backoff. A failing
 * SMTP server never fails or slows the request that caused the message.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private kicked = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MailTransport) private readonly mail: MailTransport,
    @Inject(SmsTransport) private readonly sms: SmsTransport,
    @Inject(OUTBOX_POLL_MS) private readonly pollMs: number,
  ) {}

  async enqueueMail(manager: EntityManager, input: MailInput): Promise<void> {
    await manager.insert(OutboxMessage, {
      channel: 'mail',
      recipient: input.to,
      subject: input.subject,
      body: input.text,
      template: input.template ?? '',
    });
    this.kickSoon();
  }

  async enqueueSms(manager: EntityManager, to: string, body: string, template = ''): Promise<void> {
    await manager.insert(OutboxMessage, { channel: 'sms', recipient: to, body, template });
    this.kickSoon();
  }

  onApplicationBootstrap(): void {
    if (this.pollMs <= 0) return;
    const loop = (): void => {
      if (this.stopped) return;
      this.running = this.drain().then(() => undefined, () => undefined).finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(loop, this.kicked ? 0 : this.pollMs);
        this.kicked = false;
      });
    };
    this.timer = setTimeout(loop, 50);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Ask the worker to look again right after the current transaction commits. */
  private kickSoon(): void {
    this.kicked = true;
  }

  /** Sends everything due now; returns how many were delivered. Public for tests and tools. */
  async drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await this.claim();
      if (!batch.length) return delivered;
      for (const msg of batch) delivered += (await this.deliver(msg)) ? 1 : 0;
    }
  }

  private async claim(): Promise<OutboxMessage[]> {
    // The lease (next_attempt_at pushed forward) keeps other instances off rows being sent.
    const rows: Record<string, unknown>[] = await this.dataSource
      .query(
        `UPDATE outbox_messages SET next_attempt_at = now() + interval '2 minutes', attempts = attempts + 1
          WHERE id IN (SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, channel, recipient, subject, body, attempts`,
        [BATCH],
      )
      .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? (r[0] as Record<string, unknown>[]) : (r as Record<string, unknown>[])));
    return rows.map((r) => Object.assign(new OutboxMessage(), r));
  }

  private async deliver(msg: OutboxMessage): Promise<boolean> {
    try {
      if (msg.channel === 'mail') await this.mail.send({ to: msg.recipient, subject: msg.subject, text: msg.body });
      else await this.sms.send(msg.recipient, msg.body);
      await this.dataSource.query(`UPDATE outbox_messages SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`, [msg.id]);
      return true;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const failed = msg.attempts >= MAX_ATTEMPTS;
      const backoffSeconds = Math.min(3600, 5 * 2 ** (msg.attempts - 1));
      this.logger.warn(`${msg.channel} ${msg.id} attempt ${msg.attempts} failed: ${error}`);
      await this.dataSource.query(
        `UPDATE outbox_messages SET status = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1`,
        [msg.id, failed ? 'failed' : 'pending', error.slice(0, 2000), backoffSeconds],
      );
      return false;
    }
  }
}
