import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { createLocalJWKSet, generalVerify, type GeneralJWSInput } from 'jose';
import { EventPublisher } from '../../src/core/messaging/event-publisher.service.js';
import { STRONG_PASSWORD } from '../support/factories.js';
import { createTestApp, TestApp, tokenFromMail } from '../support/test-app.js';

const BROKER = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Nothing listens here: the broker is "down". */
const DEAD_BROKER = 'amqp://guest:guest@127.0.0.1:5999';
const USERS = '/api/v2/barong/identity/users';
const SESSIONS = '/api/v2/barong/identity/sessions';

interface Received {
  exchange: string;
  routingKey: string;
  messageId: string;
  claims: Record<string, any>;
}

describe("Barong's Event API on RabbitMQ", () => {
  let t: TestApp;
  let amqp: ChannelModel;
  let channel: Channel;
  const received: Received[] = [];
  let verifyJwt: (jws: GeneralJWSInput) => Promise<Record<string, any>>;

  const bindings: [string, string][] = [
    ['barong.events.model', 'user.created'],
    ['barong.events.model', 'user.updated'],
    ['barong.events.model', 'label.created'],
    ['barong.events.system', 'user.email.confirmation.token'],
    ['barong.events.system', 'user.email.confirmed'],
    ['barong.events.system', 'session.create'],
    ['barong.events.system', 'user.password.reset.token'],
  ];

  beforeAll(async () => {
    t = await createTestApp({ EVENT_API_RABBITMQ_URL: BROKER });
    amqp = await connect(BROKER);
    channel = await amqp.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const [exchange, key] of bindings) {
      await channel.assertExchange(exchange, 'direct', { durable: true });
      await channel.bindQueue(queue, exchange, key);
    }
    const jwks = createLocalJWKSet((await t.agent().get('/.well-known/jwks.json')).body);
    verifyJwt = async (jws) => JSON.parse(new TextDecoder().decode((await generalVerify(jws, jwks)).payload));
    await channel.consume(queue, (msg: ConsumeMessage | null) => {
      if (!msg) return;
      const jws = JSON.parse(msg.content.toString()) as GeneralJWSInput;
      void verifyJwt(jws).then(
        (claims) => received.push({ exchange: msg.fields.exchange, routingKey: msg.fields.routingKey, messageId: String(msg.properties.messageId), claims }),
        (err: unknown) => received.push({ exchange: msg.fields.exchange, routingKey: 'INVALID', messageId: String(err), claims: {} }),
      );
      channel.ack(msg);
    });
  });
  afterAll(async () => {
    await amqp?.close();
    await t?.close();
  });

  /** Events of one user (the broker is shared: other runs publish too). */
  const eventsOf = (email: string): Received[] => received.filter((r) => JSON.stringify(r.claims.event ?? {}).includes(email));
  const waitFor = async (check: () => boolean, ms = 10_000): Promise<void> => {
    const until = Date.now() + ms;
    while (!check()) {
      if (Date.now() > until) throw new Error('timed out waiting for events');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const register = async (email: string): Promise<void> => {
    const res = await t.agent().post(USERS, { email, password: STRONG_PASSWORD });
    expect(res.status).toBe(201);
    await t.settle();
  };

  it('publishes model and system events as JWTs (general serialisation) that verify against the JWKS', async () => {
    const email = `ev-${randomBytes(4).toString('hex')}@example.com`;
    await register(email);
    const [mail] = await t.mailsTo(email);
    const confirm = await t.agent().post(`${USERS}/email/confirm_code`, { token: tokenFromMail(mail!.body) });
    expect(confirm.status).toBe(201);
    const login = await t.agent({ ip: '198.51.100.40', userAgent: 'events-test/1.0' }).post(SESSIONS, { email, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
    expect(await t.get(EventPublisher).drain()).toBeGreaterThanOrEqual(5);
    await waitFor(() => eventsOf(email).some((e) => e.routingKey === 'session.create'));

    const mine = eventsOf(email);
    expect(mine.map((e) => e.routingKey)).not.toContain('INVALID');
    const byKey = new Map(mine.map((e) => [`${e.exchange} ${e.routingKey}`, e]));
    const created = byKey.get('barong.events.model user.created')!;
    expect(created.claims).toMatchObject({ iss: 'barong', event: { name: 'model.user.created', record: { email, role: 'member', level: 0, otp: false, state: 'pending' } } });
    expect(created.claims.exp).toBe(created.claims.iat + 3600);
    expect(created.claims.jti).toBe(created.messageId);
    expect(created.claims.event.record.uid).toMatch(/^ID[0-9A-F]{10}$/);
    expect(created.claims.event.record).not.toHaveProperty('username'); // nil fields are dropped, as Barong does

    const token = byKey.get('barong.events.system user.email.confirmation.token')!;
    expect(token.claims.event).toMatchObject({ name: 'system.user.email.confirmation.token', record: { user: { email }, domain: 'openware.com' } });
    expect(token.claims.event.record.token).toBe(tokenFromMail(mail!.body));

    expect(byKey.get('barong.events.system user.email.confirmed')!.claims.event.record.user.email).toBe(email);
    const updated = mine.filter((e) => e.routingKey === 'user.updated').map((e) => e.claims.event);
    expect(updated).toContainEqual(expect.objectContaining({ record: expect.objectContaining({ state: 'active', level: 1 }), changes: expect.objectContaining({ state: 'pending' }) }));
    expect(byKey.get('barong.events.model label.created')!.claims.event.record).toMatchObject({ key: 'email', value: 'verified', user: { email } });
    expect(byKey.get('barong.events.system session.create')!.claims.event.record).toEqual({
      user: expect.objectContaining({ email, state: 'active' }),
      user_ip: '198.51.100.40',
      user_agent: 'events-test/1.0',
    });
    // Written in the transaction, published once, each with its own id.
    const rows = await t.dataSource.query(`SELECT id::text, status FROM event_outbox WHERE payload::text LIKE $1`, [`%${email}%`]);
    expect(rows.every((r: any) => r.status === 'published')).toBe(true);
    expect(new Set(mine.map((e) => e.messageId)).size).toBe(mine.length);
  });

  it('a broker outage loses nothing: events wait in the outbox and go out once it is back', async () => {
    const publisher = t.get(EventPublisher);
    await publisher.useBroker(DEAD_BROKER);
    const emails = Array.from({ length: 5 }, () => `down-${randomBytes(4).toString('hex')}@example.com`);
    for (const email of emails.slice(0, 2)) await register(email);
    expect(await publisher.drain()).toBe(0);
    for (const email of emails.slice(2)) await register(email);
    expect(await publisher.drain()).toBe(0);
    const pending = await t.dataSource.query(
      `SELECT count(*)::int AS n, bool_and(last_error IS NOT NULL) AS failed FROM event_outbox WHERE status = 'pending' AND payload::text ~ $1`,
      [emails.join('|')],
    );
    expect(pending[0]).toMatchObject({ n: 10, failed: true });

    await publisher.useBroker(BROKER);
    await t.dataSource.query(`UPDATE event_outbox SET next_attempt_at = now() WHERE status = 'pending'`); // skip the backoff
    expect(await publisher.drain()).toBeGreaterThanOrEqual(10);
    await waitFor(() => emails.every((email) => eventsOf(email).length === 2));
    for (const email of emails) expect(eventsOf(email).map((e) => e.routingKey).sort()).toEqual(['user.created', 'user.email.confirmation.token']);
  });

  /** Closes one connection from the broker's side (what a broker restart does to its clients). */
  const closeFromBroker = (connectionName: string): boolean => {
    const list = spawnSync('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8', timeout: 30_000 });
    if (list.status !== 0) return false;
    const line = list.stdout.split('\n').find((l) => l.includes(connectionName));
    const pid = line?.split('\t')[0];
    if (!pid) return false;
    return spawnSync('rabbitmqctl', ['-q', 'close_connection', pid, 'test: broker restart'], { timeout: 30_000 }).status === 0;
  };

  it('a connection the broker closes mid-run is reopened on the next round, nothing lost', async () => {
    const publisher = t.get(EventPublisher);
    const email = `kill-${randomBytes(4).toString('hex')}@example.com`;
    await register(email);
    expect(await publisher.drain()).toBe(2);
    const name = publisher.connectionName!;
    if (!closeFromBroker(name)) {
      process.stderr.write('rabbitmqctl cannot close connections here; the dead-broker test covers reconnection\n');
      return;
    }
    const again = `kill-${randomBytes(4).toString('hex')}@example.com`;
    await register(again);
    let published = await publisher.drain();
    if (published < 2) {
      await t.dataSource.query(`UPDATE event_outbox SET next_attempt_at = now() WHERE status = 'pending'`);
      published += await publisher.drain();
    }
    expect(published).toBe(2);
    expect(publisher.connectionName).not.toBe(name);
    await waitFor(() => eventsOf(again).length === 2);
  }, 90_000);
});
