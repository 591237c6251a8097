import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SecretSealer } from '../crypto/secret-sealer.js';
import { AppError } from '../http/app-error.js';
import { TOO_MANY_MESSAGES } from './messaging-errors.js';
import { OutboxChannel, OutboxMessage } from './outbox-message.entity.js';
import { MailTransport, SmsTransport } from './transports.js';

export const OUTBOX_POLL_MS = Symbol('OUTBOX_POLL_MS');
const MAX_ATTEMPTS = 10;
const BATCH = 20;
/** Advisory lock namespace for the per-destination count (the second key is the destination's hash). */
const DESTINATION_LOCK = 4_243_001;
const SEAL_CONTEXT = 'outbox';

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
 *
 * Every message passes the per-destination cap here (MESSAGE_LIMIT_PER_DESTINATION_HOUR / _DAY,
 * across all accounts and all faces), so no flow can be used to pump SMS or mail at one number or
 * address. Recipient and body are sealed at rest and erased once the message is delivered, has
 * failed for good, or has waited longer than OUTBOX_RETENTION_SECONDS.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly destinationHashKey: Buffer;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private kicked = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MailTransport) private readonly mail: MailTransport,
    @Inject(SmsTransport) private readonly sms: SmsTransport,
    @Inject(OUTBOX_POLL_MS) private readonly pollMs: number,
    private readonly sealer: SecretSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.destinationHashKey = Buffer.from(hkdfSync('sha256', config.secretKey, 'barong-nest', 'outbox-destination', 32));
  }

  /** The keyed hash a destination is counted and looked up by (numbers are too few to hash unkeyed). */
  destinationKey(channel: OutboxChannel, recipient: string): string {
    return createHmac('sha256', this.destinationHashKey).update(`${channel}:${recipient.trim().toLowerCase()}`).digest('hex');
  }

  async enqueueMail(manager: EntityManager, input: MailInput): Promise<void> {
    await this.enqueue(manager, 'mail', input.to, input.subject, input.text, input.template ?? '');
  }

  async enqueueSms(manager: EntityManager, to: string, body: string, template = ''): Promise<void> {
    await this.enqueue(manager, 'sms', to, '', body, template);
  }

  private async enqueue(manager: EntityManager, channel: OutboxChannel, to: string, subject: string, body: string, template: string): Promise<void> {
    const destinationKey = this.destinationKey(channel, to);
    await this.admit(manager, channel, destinationKey);
    await manager.insert(OutboxMessage, {
      channel,
      recipient: this.sealer.seal(to, SEAL_CONTEXT),
      destinationKey,
      subject,
      body: this.sealer.seal(body, SEAL_CONTEXT),
      template,
    });
    this.kickSoon();
  }

  /**
   * Refuses a message past the destination's hourly or daily cap. The count runs under a
   * transaction-scoped advisory lock on the destination, so concurrent senders cannot both pass.
   */
  private async admit(manager: EntityManager, channel: OutboxChannel, destinationKey: string): Promise<void> {
    const { perHour, perDay } = this.config.messageLimits;
    if (!perHour && !perDay) return;
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DESTINATION_LOCK, destinationKey]);
    const rows: { hour: string; day: string }[] = await manager.query(
      `SELECT count(*) FILTER (WHERE created_at > now() - interval '1 hour') AS hour, count(*) AS day
         FROM outbox_messages WHERE destination_key = $1 AND created_at > now() - interval '1 day'`,
      [destinationKey],
    );
    const hour = Number(rows[0]?.hour ?? 0);
    const day = Number(rows[0]?.day ?? 0);
    if ((perHour && hour >= perHour) || (perDay && day >= perDay)) throw new AppError(429, TOO_MANY_MESSAGES, { channel });
  }

  /** Messages to a destination, oldest first, with recipient and body opened (erased ones stay ''). For tests and tools. */
  async messagesTo(channel: OutboxChannel, recipient: string): Promise<OutboxMessage[]> {
    const rows = await this.dataSource.getRepository(OutboxMessage).find({
      where: { channel, destinationKey: this.destinationKey(channel, recipient) },
      order: { createdAt: 'ASC' },
    });
    return rows.map((row) => this.opened(row));
  }

  private opened<T extends Pick<OutboxMessage, 'recipient' | 'body'>>(row: T): T {
    row.recipient = this.open(row.recipient);
    row.body = this.open(row.body);
    return row;
  }

  /** Opens a sealed value; rows written before sealing (and erased ones) are returned as stored. */
  private open(value: string): string {
    if (!value.startsWith('v1.')) return value;
    try {
      return this.sealer.open(value, SEAL_CONTEXT);
    } catch {
      return value;
    }
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
    await this.expire();
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
    return rows.map((r) => this.opened(Object.assign(new OutboxMessage(), r)));
  }

  /** Undelivered messages older than the retention lose their content (their tokens have expired by then). */
  private async expire(): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages SET status = 'failed', recipient = '', body = '', last_error = 'expired'
        WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1)`,
      [this.config.outboxRetentionSeconds],
    );
  }

  private async deliver(msg: OutboxMessage): Promise<boolean> {
    try {
      if (msg.channel === 'mail') await this.mail.send({ to: msg.recipient, subject: msg.subject, text: msg.body });
      else await this.sms.send(msg.recipient, msg.body);
      await this.dataSource.query(`UPDATE outbox_messages SET status = 'sent', sent_at = now(), last_error = NULL, recipient = '', body = '' WHERE id = $1`, [msg.id]);
      return true;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const failed = msg.attempts >= MAX_ATTEMPTS;
      const backoffSeconds = Math.min(3600, 5 * 2 ** (msg.attempts - 1));
      this.logger.warn(`${msg.channel} ${msg.id} attempt ${msg.attempts} failed: ${error}`);
      await this.dataSource.query(
        `UPDATE outbox_messages SET status = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4),
                recipient = CASE WHEN $5 THEN '' ELSE recipient END, body = CASE WHEN $5 THEN '' ELSE body END
          WHERE id = $1`,
        [msg.id, failed ? 'failed' : 'pending', error.slice(0, 2000), backoffSeconds, failed],
      );
      return false;
    }
  }
}
