import { useEffect, useRef, useState } from 'preact/hooks';
import { api, BARONG, whenSessionEnds } from './api/client';
import { BASE, Link, navigate, useRoute } from './router';
import { type Capabilities, discover, type Feature, loadStored, Session, type SessionContext, type SignedIn, store } from './session';
import { Notice } from './components/ui';
import { SignIn } from './pages/SignIn';
import { UsersPage } from './pages/Users';
import { UserPage } from './pages/UserDetail';
import { KycPage } from './pages/Kyc';
import { AccessPage } from './pages/Access';
import { AuditPage } from './pages/Audit';
import { MetricsPage } from './pages/Metrics';
import { TenantsPage } from './pages/Tenants';
import { BalanceCodesPage } from './pages/BalanceCodes';

interface NavItem {
  href: string;
  label: string;
  shown(reach: Capabilities['reach']): boolean;
}

const NAV: NavItem[] = [
  { href: '/users', label: 'Users', shown: (r) => r.users },
  { href: '/kyc', label: 'KYC queue', shown: (r) => r.kyc },
  { href: '/access', label: 'Access', shown: (r) => r.permissions || r.restrictions },
  { href: '/audit', label: 'Audit', shown: (r) => r.activities || r.adminActivities },
  { href: '/metrics', label: 'Metrics', shown: (r) => r.metrics },
  { href: '/tenants', label: 'Tenants', shown: (r) => r.apps },
  { href: '/balance-codes', label: 'Balance codes', shown: (r) => r.balanceCodes },
];

type Phase = { kind: 'signed-out'; notice?: string } | { kind: 'loading'; session: SignedIn } | { kind: 'ready'; session: SignedIn; caps: Capabilities };

const PLACE = 'barong-console-return-to';

/** Where a session ended, to come back to after signing in again. */
function rememberPlace(): void {
  const here = location.pathname.slice(BASE.length) + location.search;
  if (here && !here.startsWith('/sign-in')) sessionStorage.setItem(PLACE, here);
}

function takePlace(): string | undefined {
  const place = sessionStorage.getItem(PLACE) ?? undefined;
  sessionStorage.removeItem(PLACE);
  return place && place !== '/' ? place : undefined;
}

function initialPhase(): Phase {
  const stored = loadStored();
  if (!stored) return { kind: 'signed-out' };
  store(stored);
  return { kind: 'loading', session: stored };
}

export function App() {
  const [phase, setPhase] = useState<Phase>(initialPhase);
  const route = useRoute();

  useEffect(() => {
    whenSessionEnds(() => {
      rememberPlace();
      store(undefined);
      setPhase({ kind: 'signed-out', notice: 'Your session has ended. Please sign in again.' });
    });
  }, []);

  useEffect(() => {
    if (phase.kind !== 'loading') return;
    discover().then(
      (caps) => setPhase({ kind: 'ready', session: phase.session, caps }),
      () => {
        store(undefined);
        setPhase({ kind: 'signed-out', notice: 'Your session has ended. Please sign in again.' });
      },
    );
  }, [phase]);

  useEffect(() => {
    if (phase.kind === 'signed-out' && route.path !== '/sign-in') navigate('/sign-in', { replace: true });
    if (phase.kind === 'ready' && (route.path === '/sign-in' || route.path === '/')) {
      const first = NAV.find((n) => n.shown(phase.caps.reach));
      navigate(takePlace() ?? first?.href ?? '/no-access', { replace: true });
    }
  }, [phase, route.path]);

  const firstPath = useRef(route.path);
  useEffect(() => {
    // After moving to another page, start reading (and tabbing) from its content.
    if (route.path !== firstPath.current) document.getElementById('main')?.focus({ preventScroll: true });
    firstPath.current = '';
  }, [route.path]);

  useEffect(() => {
    const title = NAV.find((n) => route.path.startsWith(n.href))?.label;
    document.title = title ? `${title} · Barong console` : 'Barong console';
  }, [route.path]);

  if (phase.kind === 'signed-out') {
    return (
      <SignIn
        notice={phase.notice}
        onSignedIn={(s) => {
          store(s);
          setPhase({ kind: 'loading', session: s });
        }}
      />
    );
  }
  if (phase.kind === 'loading') {
    return (
      <main id="main" class="signin">
        <p role="status">Loading your console…</p>
      </main>
    );
  }

  const ctx: SessionContext = {
    session: phase.session,
    caps: phase.caps,
    signOut: async () => {
      await api.del(`${BARONG}/identity/sessions`, undefined).catch(() => undefined);
      store(undefined);
      setPhase({ kind: 'signed-out', notice: 'You are signed out.' });
    },
  };
  const reach = phase.caps.reach;
  const nav = NAV.filter((n) => n.shown(reach));

  return (
    <Session.Provider value={ctx}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Barong console</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={route.path.startsWith(n.href) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="whoami">
          <span>
            {phase.session.user.email ?? phase.session.user.uid} <span class="role">{phase.session.user.role}</span>
          </span>
          <button type="button" onClick={() => void ctx.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={route.path} query={route.query} reach={reach} />
      </main>
    </Session.Provider>
  );
}

function Page({ path, query, reach }: { path: string; query: URLSearchParams; reach: Record<Feature, boolean> }) {
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user && reach.users) return <UserPage uid={decodeURIComponent(user[1]!)} />;
  if (path === '/users' && reach.users) return <UsersPage query={query} />;
  if (path === '/kyc' && reach.kyc) return <KycPage />;
  if (path === '/access' && (reach.permissions || reach.restrictions)) return <AccessPage />;
  if (path === '/audit' && (reach.activities || reach.adminActivities)) return <AuditPage query={query} />;
  if (path === '/metrics' && reach.metrics) return <MetricsPage />;
  if (path === '/tenants' && reach.apps) return <TenantsPage />;
  if (path === '/balance-codes' && reach.balanceCodes) return <BalanceCodesPage />;
  if (path === '/no-access')
    return (
      <Notice kind="warning">
        This account has no admin access. Ask a superadmin for a role such as admin, support or auditor.
      </Notice>
    );
  if (path === '/' || path === '/sign-in') return null;
  return (
    <div class="card">
      <h1>Not available</h1>
      <p>This page does not exist, or your role may not open it.</p>
    </div>
  );
}
