import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, api, BARONG, setCsrfToken } from './api/client';
import type { Abilities, User } from './api/types';

/** The admin APIs a page stands on; each is probed with a one-row read to see whether this role reaches it. */
export const FEATURES = {
  users: `${BARONG}/admin/users`,
  kyc: `${BARONG}/admin/users/documents/pending`,
  permissions: `${BARONG}/admin/permissions`,
  restrictions: `${BARONG}/admin/restrictions`,
  activities: `${BARONG}/admin/activities`,
  adminActivities: `${BARONG}/admin/activities/admin`,
  metrics: `${BARONG}/admin/metrics`,
  apps: `${BARONG}/admin/apps`,
  balanceCodes: `${BARONG}/admin/balance_codes`,
} as const;
export type Feature = keyof typeof FEATURES;

export interface Capabilities {
  abilities: Abilities;
  /** Which admin reads answered: both the permissions table and the role's abilities allow them. */
  reach: Record<Feature, boolean>;
}

export interface SignedIn {
  user: Pick<User, 'email' | 'uid' | 'role' | 'otp'>;
  csrfToken: string;
}

const STORE = 'barong-console-session';

export function loadStored(): SignedIn | undefined {
  try {
    const raw = sessionStorage.getItem(STORE);
    return raw ? (JSON.parse(raw) as SignedIn) : undefined;
  } catch {
    return undefined;
  }
}

export function store(s: SignedIn | undefined): void {
  setCsrfToken(s?.csrfToken);
  if (s) sessionStorage.setItem(STORE, JSON.stringify(s));
  else sessionStorage.removeItem(STORE);
}

/** Asks the API what this session may see: the abilities map plus a probe per page. */
export async function discover(): Promise<Capabilities> {
  const abilities = await api.get<Abilities>(`${BARONG}/admin/abilities`).catch((err: unknown) => {
    if (err instanceof ApiError && err.sessionEnded) throw err;
    return {} as Abilities;
  });
  const entries = await Promise.all(
    (Object.keys(FEATURES) as Feature[]).map(async (f) => {
      try {
        await api.get(FEATURES[f], f === 'metrics' || f === 'apps' ? undefined : { limit: 1 });
        return [f, true] as const;
      } catch (err) {
        if (err instanceof ApiError && err.sessionEnded) throw err;
        return [f, false] as const;
      }
    }),
  );
  return { abilities, reach: Object.fromEntries(entries) as Record<Feature, boolean> };
}

export type Action = 'read' | 'create' | 'update' | 'destroy';

/** Barong's ability rule: `manage` grants every action, `read` only reading. */
export function can(caps: Capabilities, action: Action, subject: string): boolean {
  if (caps.abilities.manage?.includes(subject)) return true;
  return action === 'read' && !!caps.abilities.read?.includes(subject);
}

export interface SessionContext {
  session: SignedIn;
  caps: Capabilities;
  signOut(): Promise<void>;
}

export const Session = createContext<SessionContext | undefined>(undefined);

export function useSession(): SessionContext {
  const s = useContext(Session);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}
