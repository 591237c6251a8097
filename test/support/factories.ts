import { randomBytes } from 'node:crypto';
import { LabelsService } from '../../src/identity/labels/labels.service.js';
import { SessionsService } from '../../src/identity/sessions/sessions.service.js';
import { DEFAULT_APP_ID } from '../../src/identity/tenants/app.entity.js';
import type { User as UserRow } from '../../src/identity/users/user.entity.js';
import { UsersService } from '../../src/identity/users/users.service.js';
import type { Agent } from './agent.js';
import type { TestApp } from './test-app.js';

/** Users made here always have an e-mail address (as every Barong registration does). */
export type User = UserRow & { email: string };

export const STRONG_PASSWORD = 'Str0ng!Passw0rd#2026';

export interface UserSpec {
  email?: string;
  password?: string;
  role?: string;
  state?: string;
  otp?: boolean;
  /** The tenant (default: the Barong and network faces' app). */
  appId?: string;
  level?: number;
  /** Give the user the private label email:verified (state and level recomputed, as a confirmation does). */
  emailVerified?: boolean;
}

/** A user written straight through the service (no mail, no activity). */
export async function createUser(t: TestApp, spec: UserSpec = {}): Promise<User> {
  const users = t.get(UsersService);
  const user = await users.create({
    appId: spec.appId ?? DEFAULT_APP_ID,
    email: spec.email ?? `user-${randomBytes(4).toString('hex')}@example.com`,
    password: spec.password ?? STRONG_PASSWORD,
    role: spec.role ?? 'member',
    state: spec.state ?? 'active',
  });
  if (spec.emailVerified) {
    await t.dataSource.transaction((m) => t.get(LabelsService).setPrivate(m, user.id, 'email', 'verified'));
    Object.assign(user, await users.findById(user.id));
  }
  if (spec.otp !== undefined || spec.level !== undefined) {
    await users.update(user.id, { otp: spec.otp ?? false, level: spec.level ?? 0 });
    Object.assign(user, { otp: spec.otp ?? false, level: spec.level ?? 0 });
  }
  return user as User;
}

/** Gives the agent a live session for the user, as if it had just logged in. */
export async function signIn(t: TestApp, agent: Agent, user: UserRow): Promise<Agent> {
  const opened = await t.get(SessionsService).open(user, { ip: agent.ip, userAgent: agent.userAgent });
  agent.cookies.set(t.config.barong.sessionName, opened.token);
  agent.csrfToken = opened.csrfToken;
  return agent;
}

/** A new agent signed in as a new user with the given role. */
export async function agentWithRole(t: TestApp, role: string, spec: UserSpec = {}): Promise<{ agent: Agent; user: User }> {
  const user = await createUser(t, { ...spec, role });
  const agent = await signIn(t, t.agent(), user);
  return { agent, user };
}
