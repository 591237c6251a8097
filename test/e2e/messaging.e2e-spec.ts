import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';
import { STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp, tokenFromMail } from '../support/test-app.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback standing in for the mail relay. */
async function startSmtp(): Promise<{ port: number; mails: Received[]; close: () => Promise<void>; failNext: (n: number) => void }> {
  const mails: Received[] = [];
  let failures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        if (failures > 0) {
          failures--;
          const err = new Error('mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        mails.push({ from: session.envelope.mailFrom ? String((session.envelope.mailFrom as { address: string }).address) : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise((r) => server.close(() => r())), failNext: (n) => (failures = n) };
}

describe('mail and SMS delivery through the outbox', () => {
  describe('SMTP', () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let t: TestApp;
    beforeAll(async () => {
      smtp = await startSmtp();
      t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`, MAIL_FROM: 'Barong <noreply@barong.test>' });
    });
    afterAll(async () => {
      await t.close();
      await smtp.close();
    });

    it('delivers the confirmation mail to the SMTP relay with the token as text', async () => {
      const res = await t.agent().post('/api/v2/barong/identity/users', { email: 'smtp@example.com', password: STRONG_PASSWORD });
      expect(res.status).toBe(201);
      expect(await t.drainOutbox()).toBe(1);
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0]!;
      expect(mail.to).toEqual(['smtp@example.com']);
      expect(mail.from).toBe('noreply@barong.test');
      expect(mail.raw).toMatch(/Subject: Barong: confirm your e-mail address/);
      const [stored] = await t.mailsTo('smtp@example.com');
      expect(stored!.status).toBe('sent');
      expect(stored!.sentAt).toBeInstanceOf(Date);
      // The token went out as text; the delivered row no longer holds it (nor the address).
      expect(tokenFromMail(mail.raw.replace(/=\r?\n/g, ''))).toMatch(/\S{20,}/);
      expect([stored!.recipient, stored!.body]).toEqual(['', '']);
    });

    it('a failing relay never fails the request; the mail is retried later and then delivered', async () => {
      smtp.failNext(1);
      const res = await t.agent().post('/api/v2/barong/identity/users', { email: 'retry@example.com', password: STRONG_PASSWORD });
      expect(res.status).toBe(201);
      expect(await t.drainOutbox()).toBe(0);
      const [row] = await t.mailsTo('retry@example.com');
      if (!row) throw new Error('no mail to retry@example.com');
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.lastError).toMatch(/451|mailbox unavailable/);
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
      await t.dataSource.query(`UPDATE outbox_messages SET next_attempt_at = now() WHERE id = $1`, [row.id]);
      expect(await t.drainOutbox()).toBe(1);
      expect(smtp.mails.map((m) => m.to[0])).toContain('retry@example.com');
    });

    it('two workers never send the same message twice', async () => {
      await t.agent().post('/api/v2/barong/identity/users', { email: 'once@example.com', password: STRONG_PASSWORD });
      const before = smtp.mails.length;
      const outbox = t.get(OutboxService);
      const [a, b] = await Promise.all([outbox.drain(), outbox.drain()]);
      expect(a + b).toBe(1);
      expect(smtp.mails.length).toBe(before + 1);
    });
  });

  describe('SMS webhook', () => {
    let server: Server;
    const received: { body: unknown; contentType: string | undefined }[] = [];
    let t: TestApp;
    beforeAll(async () => {
      server = createServer((req: IncomingMessage, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c));
        req.on('end', () => {
          received.push({ body: JSON.parse(raw), contentType: req.headers['content-type'] });
          res.writeHead(received.length === 1 ? 500 : 200).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      t = await createTestApp({ SMS_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms` });
    });
    afterAll(async () => {
      await t.close();
      await new Promise((r) => server.close(r));
    });

    it('POSTs {to, body} as JSON and retries when the gateway fails', async () => {
      await t.dataSource.transaction((m) => t.get(OutboxService).enqueueSms(m, '+380501234567', 'Your code: 12345'));
      expect(await t.drainOutbox()).toBe(0);
      await t.dataSource.query(`UPDATE outbox_messages SET next_attempt_at = now()`);
      expect(await t.drainOutbox()).toBe(1);
      expect(received).toHaveLength(2);
      expect(received[1]).toEqual({ body: { to: '+380501234567', body: 'Your code: 12345' }, contentType: 'application/json' });
    });

    it('a message enqueued in a transaction that rolls back is never sent', async () => {
      await t.dataSource
        .transaction(async (m) => {
          await t.get(OutboxService).enqueueSms(m, '+15550001111', 'never');
          throw new Error('rollback');
        })
        .catch(() => undefined);
      const before = received.length;
      await t.drainOutbox();
      expect(received.length).toBe(before);
      expect(await t.get(OutboxService).messagesTo('sms', '+15550001111')).toHaveLength(0);
    });
  });
});
