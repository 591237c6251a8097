import { Logger } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';

export interface MailEnvelope {
  to: string;
  subject: string;
  text: string;
}

export abstract class MailTransport {
  abstract send(mail: MailEnvelope): Promise<void>;
}

export abstract class SmsTransport {
  abstract send(to: string, body: string): Promise<void>;
}

/** Plain SMTP (a local relay) or SMTPS, from an smtp:// or smtps:// URL. */
export class SmtpMailTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string, private readonly from: string) {
    super();
    const parsed = new URL(url);
    this.transporter = nodemailer.createTransport({
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 25)),
      secure: parsed.protocol === 'smtps:',
      ignoreTLS: parsed.searchParams.get('tls') === 'off',
      auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(mail: MailEnvelope): Promise<void> {
    await this.transporter.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }
}

/** Development default: the mail is the log line (there is nowhere else for it to go). */
export class LogMailTransport extends MailTransport {
  private readonly logger = new Logger('Mail');
  async send(mail: MailEnvelope): Promise<void> {
    this.logger.log(`to=${mail.to} subject="${mail.subject}"\n${mail.text}`);
  }
}

/** JSON POST of {to, body} to SMS_WEBHOOK_URL. */
export class WebhookSmsTransport extends SmsTransport {
  constructor(private readonly url: string) {
    super();
  }

  async send(to: string, body: string): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to, body }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`SMS webhook answered ${res.status}`);
  }
}

export class LogSmsTransport extends SmsTransport {
  private readonly logger = new Logger('Sms');
  async send(to: string, body: string): Promise<void> {
    this.logger.log(`to=${to} body="${body}"`);
  }
}
