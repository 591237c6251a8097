import { randomBytes } from 'node:crypto';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';
import type { Agent, Res } from './agent.js';
import type { TestApp } from './test-app.js';

export const NETWORK_PASSWORD = 'network-passw0rd-2026';

/** A POST as the URnetwork apps send it: `Content-Type: text/json`, an optional Bearer JWT. */
export function npost<T = any>(agent: Agent, path: string, body: unknown, jwt?: string): Promise<Res<T>> {
  return agent.post(path, body, { headers: { 'content-type': 'text/json', ...(jwt ? { authorization: `Bearer ${jwt}` } : {}) } });
}

export function nget<T = any>(agent: Agent, path: string, jwt?: string): Promise<Res<T>> {
  return agent.get(path, { headers: jwt ? { authorization: `Bearer ${jwt}` } : {} });
}

/** A unique network name that passes the name rules (letters and digits, far from the others). */
export const networkName = (): string => `net${randomBytes(8).toString('hex')}`;
export const email = (): string => `owner-${randomBytes(5).toString('hex')}@example.com`;

/** The last code sent to a recipient, read from the outbox (mail or SMS). */
export async function lastCode(t: TestApp, recipient: string): Promise<string> {
  await t.settle();
  const outbox = t.get(OutboxService);
  const channel = recipient.startsWith('+') ? 'sms' : 'mail';
  const rows = (await outbox.messagesTo(channel, recipient.toLowerCase())).reverse();
  const m = rows.map((r) => /code: (\S+)/.exec(r.body)).find(Boolean);
  if (!m) throw new Error(`no code sent to ${recipient}`);
  return m[1]!;
}

export interface TestNetwork {
  email: string;
  name: string;
  networkId: string;
  jwt: string;
  agent: Agent;
}

/** A network created and verified through the API, with its admin JWT. */
export async function createNetwork(t: TestApp, opts: { email?: string; name?: string; agent?: Agent } = {}): Promise<TestNetwork> {
  const agent = opts.agent ?? t.agent();
  const user = opts.email ?? email();
  const name = opts.name ?? networkName();
  const created = await npost(agent, '/auth/network-create', { user_auth: user, password: NETWORK_PASSWORD, network_name: name, terms: true, verify_use_numeric: true });
  if (created.status !== 200 || !created.body.network) throw new Error(`network-create: ${created.status} ${created.text}`);
  const verified = await npost(agent, '/auth/verify', { user_auth: user, verify_code: await lastCode(t, user) });
  if (!verified.body.network?.by_jwt) throw new Error(`verify: ${verified.text}`);
  return { email: user, name, networkId: created.body.network.network_id, jwt: verified.body.network.by_jwt, agent };
}

/** A new client of a network: its client JWT and ids. */
export async function addClient(agent: Agent, jwt: string, description = 'test device', ip?: string): Promise<{ jwt: string; clientId: string; deviceId: string }> {
  const res = await agent.post('/network/auth-client', { description, device_spec: 'jest' }, { headers: { 'content-type': 'text/json', authorization: `Bearer ${jwt}`, ...(ip ? { 'x-forwarded-for': ip } : {}) } });
  if (!res.body.by_client_jwt) throw new Error(`auth-client: ${res.text}`);
  const claims = JSON.parse(Buffer.from(res.body.by_client_jwt.split('.')[1], 'base64url').toString());
  return { jwt: res.body.by_client_jwt, clientId: claims.client_id, deviceId: claims.device_id };
}

/** Go's time.Time JSON: RFC 3339, up to 9 fractional digits without trailing zeros, UTC. */
export const GO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,8}[1-9])?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
