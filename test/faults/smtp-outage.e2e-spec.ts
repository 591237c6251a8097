import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';
import { createTestApp, TestApp } from '../support/test-app.js';

/** A loopback port nobody listens on (yet). */
async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

/** The relay, started on a fixed port once it is "back". */
async function startRelay(port: number): Promise<{ received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { received, close: () => new Promise((r) => server.close(() => r())) };
}

describe('SMTP relay down, then back', () => {
  let port: number;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    port = await freePort();
    const env = { SMTP_URL: `smtp://127.0.0.1:${port}?tls=off`, OUTBOX_POLL_MS: '100' };
    a = await createTestApp(env);
    b = await createTestApp(env, { databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('every mail queued while the relay was down is delivered once it is back, none twice', async () => {
    const recipients = Array.from({ length: 12 }, (_, i) => `outage-${i}@example.com`);
    await a.dataSource.transaction(async (m) => {
      for (const to of recipients) await a.get(OutboxService).enqueueMail(m, { to, subject: 'hello', text: 'body' });
    });
    // Both instances' workers try and fail while nobody listens.
    const tried = Date.now() + 10_000;
    const untried = async (): Promise<number> => (await a.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE attempts = 0 OR last_error IS NULL`))[0].n;
    while ((await untried()) > 0 && Date.now() < tried) await new Promise((r) => setTimeout(r, 100));
    const failing: { status: string; attempts: number; last_error: string | null }[] = await a.dataSource.query(`SELECT status, attempts, last_error FROM outbox_messages`);
    expect(failing).toHaveLength(recipients.length);
    expect(failing.every((r) => r.status === 'pending' && r.attempts >= 1 && /ECONNREFUSED|connect/i.test(r.last_error ?? ''))).toBe(true);

    const relay = await startRelay(port);
    try {
      // The first retry comes after a 5 s backoff; wait for it rather than rewriting the schedule.
      const deadline = Date.now() + 25_000;
      while (relay.received.length < recipients.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 500));
      expect([...relay.received].sort()).toEqual([...recipients].sort());
      const rows: { status: string }[] = await a.dataSource.query(`SELECT status FROM outbox_messages`);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
    } finally {
      await relay.close();
    }
  }, 60_000);
});
