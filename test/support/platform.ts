import type { Agent, Res } from './agent.js';
import { agentWithRole } from './factories.js';
import type { TestApp } from './test-app.js';
import { OutboxService } from '../../src/core/messaging/outbox.service.js';

export interface TenantApp {
  app_id: string;
  name: string;
  secret_key: string;
  public_token: string;
  created_at: number;
}

/** A /v1 client with a tenant's secret key. */
export class PlatformClient {
  constructor(
    private readonly agent: Agent,
    public key: string,
  ) {}

  send<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    return this.agent.send<T>(method, path, { body, headers: { authorization: `Bearer ${this.key}`, ...headers } });
  }
  get<T = any>(path: string, query?: Record<string, string | number | boolean>): Promise<Res<T>> {
    return this.agent.send<T>('GET', path, { query, headers: { authorization: `Bearer ${this.key}` } });
  }
  post<T = any>(path: string, body: unknown = {}): Promise<Res<T>> {
    return this.send<T>('POST', path, body);
  }
  put<T = any>(path: string, body: unknown = {}): Promise<Res<T>> {
    return this.send<T>('PUT', path, body);
  }
  delete<T = any>(path: string, body?: unknown): Promise<Res<T>> {
    return this.send<T>('DELETE', path, body);
  }
}

/** A superadmin's agent on the Barong face. */
export async function superadmin(t: TestApp): Promise<Agent> {
  return (await agentWithRole(t, 'superadmin')).agent;
}

/** A tenant app made through the admin API, with a client holding its secret key. */
export async function createTenant(t: TestApp, admin: Agent, name = 'Acme'): Promise<{ app: TenantApp; client: PlatformClient }> {
  const res = await admin.post('/api/v2/barong/admin/apps', { name });
  if (res.status !== 201) throw new Error(`could not create app: ${res.status} ${res.text}`);
  return { app: res.body as TenantApp, client: new PlatformClient(t.agent(), res.body.secret_key) };
}

/** The 6-digit code of the newest mail (or SMS) to an address in the outbox. */
export async function lastCode(t: TestApp, to: string): Promise<string> {
  const rows = await t.get(OutboxService).messagesTo(to.startsWith('+') ? 'sms' : 'mail', to);
  const m = /code is (\d{6})/.exec(rows.at(-1)?.body ?? '');
  if (!m) throw new Error(`no code sent to ${to}`);
  return m[1]!;
}

export function expectSbError(res: Res, status: number, type?: string): void {
  if (res.status !== status || (type && res.body?.error_type !== type)) {
    throw new Error(`expected ${status} ${type ?? ''}, got ${res.status} ${res.text}`);
  }
  if (res.body.status_code !== status || typeof res.body.error_message !== 'string') throw new Error(`not the error shape: ${res.text}`);
  if (!String(res.headers['content-type']).includes('application/json')) throw new Error('error without a JSON content type');
}
