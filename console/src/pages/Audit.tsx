import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, BARONG, messageOf, withQuery } from '../api/client';
import { offered } from '../api/offered';
import type { Activity } from '../api/types';
import { Field, Notice, Status, valueOf } from '../components/ui';
import { navigate } from '../router';
import { useSession } from '../session';
import { ActivityTable } from './ActivityTable';
import { ACTIVITY_RESULTS } from './vocabulary';

const FIELDS = ['user', 'topic', 'action', 'result', 'from', 'to', 'target'] as const;
type Filters = Partial<Record<(typeof FIELDS)[number], string>>;
type Kind = 'user' | 'admin';
const LIMIT = 25;

/** A datetime-local value read as UTC, in epoch seconds. */
function epochUtc(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

/** The API's filters: the user box takes an e-mail or a UID; `result` is applied here as well, should the API ignore it. */
export function apiFilters(f: Filters): Record<string, string | number | undefined> {
  const user = f.user?.trim();
  return {
    email: user && user.includes('@') ? user : undefined,
    uid: user && !user.includes('@') ? user : undefined,
    topic: f.topic || undefined,
    action: f.action || undefined,
    result: f.result || undefined,
    target_uid: f.target || undefined,
    from: epochUtc(f.from),
    to: epochUtc(f.to) === undefined ? undefined : epochUtc(f.to)! + 59,
  };
}

export function AuditPage({ query }: { query: URLSearchParams }) {
  const { caps } = useSession();
  const kinds: Kind[] = [...(caps.reach.activities ? ['user' as const] : []), ...(caps.reach.adminActivities ? ['admin' as const] : [])];
  const kind: Kind = query.get('kind') === 'admin' && kinds.includes('admin') ? 'admin' : kinds[0]!;
  const applied: Filters = Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? '']).filter(([, v]) => v));
  const [draft, setDraft] = useState<Filters>(applied);
  const go = (k: Kind, f: Filters) => navigate(withQuery('/audit', { kind: k === 'admin' ? 'admin' : undefined, ...f }));
  const set = (k: keyof Filters) => (e: Parameters<typeof valueOf>[0]) => setDraft({ ...draft, [k]: valueOf(e) });
  const path = kind === 'admin' ? `${BARONG}/admin/activities/admin` : `${BARONG}/admin/activities`;

  return (
    <>
      <h1>Audit</h1>
      {kinds.length > 1 && (
        <div class="tabs" role="tablist" aria-label="Activity log">
          {kinds.map((k) => (
            <button
              key={k}
              id={`tab-${k}`}
              type="button"
              role="tab"
              aria-selected={k === kind}
              aria-controls="activity-feed"
              tabIndex={k === kind ? 0 : -1}
              onClick={() => go(k, applied)}
              onKeyDown={(e) => {
                // Arrow keys move between the two logs, as in any tab list.
                if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
                e.preventDefault();
                const other = kinds[(kinds.indexOf(k) + 1) % kinds.length]!;
                go(other, applied);
                setTimeout(() => document.getElementById(`tab-${other}`)?.focus(), 0);
              }}
            >
              {k === 'admin' ? 'Admin activities' : 'User activities'}
            </button>
          ))}
        </div>
      )}
      <form
        class="card filters"
        role="search"
        aria-label="Filter activities"
        onSubmit={(e) => {
          e.preventDefault();
          go(kind, Object.fromEntries(Object.entries(draft).filter(([, v]) => v && v.trim())));
        }}
      >
        <Field label="User" hint="E-mail or UID of the acting user">
          <input name="user" value={draft.user ?? ''} onInput={set('user')} />
        </Field>
        <Field label="Topic" hint="e.g. session, account, password">
          <input name="topic" value={draft.topic ?? ''} onInput={set('topic')} />
        </Field>
        <Field label="Action" hint="e.g. login, logout, update">
          <input name="action" value={draft.action ?? ''} onInput={set('action')} />
        </Field>
        <Field label="Result">
          <select name="result" value={draft.result ?? ''} onChange={set('result')}>
            <option value="">Any</option>
            {ACTIVITY_RESULTS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field label="From (UTC)">
          <input type="datetime-local" name="from" value={draft.from ?? ''} onInput={set('from')} />
        </Field>
        <Field label="To (UTC)">
          <input type="datetime-local" name="to" value={draft.to ?? ''} onInput={set('to')} />
        </Field>
        <Field label="Target UID" hint="The user an admin action was about">
          <input name="target" value={draft.target ?? ''} onInput={set('target')} />
        </Field>
        <div class="filter-actions">
          <button type="submit" class="primary">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft({});
              go(kind, {});
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <AuditTools filters={applied} />
      <ActivityFeed key={`${kind}?${query.toString()}`} path={path} kind={kind} filters={applied} />
    </>
  );
}

/** Newest first, a page at a time: more rows load as the end of the list scrolls into view. */
function ActivityFeed({ path, kind, filters }: { path: string; kind: Kind; filters: Filters }) {
  const [rows, setRows] = useState<Activity[]>([]);
  const [page, setPage] = useState(0);
  const [total, setTotal] = useState<number>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const sentinel = useRef<HTMLDivElement>(null);
  const done = total !== undefined && page * LIMIT >= total;

  const more = async () => {
    if (loading || done) return;
    setLoading(true);
    setError(undefined);
    try {
      const next = await api.page<Activity>(path, { ...apiFilters(filters), page: page + 1, limit: LIMIT });
      setRows((r) => [...r, ...next.items]);
      setTotal(next.items.length < LIMIT ? page * LIMIT + next.items.length : next.total);
      setPage(page + 1);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void more();
    // the first page only; later pages come from the observer or the button
  }, []);

  useEffect(() => {
    const el = sentinel.current;
    // With a result filter (applied to loaded rows) matches may be rare: load on request only.
    if (!el || done || filters.result || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void more());
    io.observe(el);
    return () => io.disconnect();
  });

  const shown = filters.result ? rows.filter((r) => r.result === filters.result) : rows;
  return (
    <section class="card" id="activity-feed" role="tabpanel" aria-labelledby="feed-heading">
      <h2 id="feed-heading">{kind === 'admin' ? 'Admin activities' : 'User activities'}</h2>
      {total !== undefined && (
        <p class="muted" aria-live="polite" data-testid="feed-count">
          Showing {shown.length} of {filters.result ? `${rows.length} loaded` : total} {total === 1 ? 'entry' : 'entries'}, newest first.
        </p>
      )}
      {shown.length > 0 && <ActivityTable rows={shown} kind={kind} caption={kind === 'admin' ? 'Admin activities' : 'User activities'} />}
      <Status loading={loading && rows.length === 0} error={error} empty={!loading && !error && total !== undefined && shown.length === 0} emptyText="No activity matches these filters." />
      {!done && rows.length > 0 && (
        <div ref={sentinel} class="load-more">
          <button type="button" onClick={() => void more()} disabled={loading}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}

/** Chain verification and export, shown only when the service offers them. */
function AuditTools({ filters }: { filters: Filters }) {
  const [verify, setVerify] = useState<boolean>();
  const [exportable, setExportable] = useState<boolean>();
  const [result, setResult] = useState<{ kind: 'success' | 'error'; text: string }>();
  useEffect(() => {
    void offered('get', `${BARONG}/admin/activities/verify`).then(setVerify);
    void offered('get', `${BARONG}/admin/activities/export`).then(setExportable);
  }, []);
  if (!verify && !exportable) return null;
  const exportHref = (format: string) => withQuery(`${BARONG}/admin/activities/export`, { format, ...apiFilters(filters) });
  return (
    <div class="card tools">
      {verify && (
        <button
          type="button"
          onClick={async () => {
            setResult(undefined);
            try {
              const r = await api.get<{ valid: boolean; checked: number; first_invalid: unknown }>(`${BARONG}/admin/activities/verify`);
              setResult(
                r.valid
                  ? { kind: 'success', text: `The activity chain is intact (${r.checked} entries checked).` }
                  : { kind: 'error', text: `The activity chain is broken at entry ${String(r.first_invalid)} (${r.checked} entries checked).` },
              );
            } catch (err) {
              if (err instanceof ApiError && err.status === 404) setVerify(false);
              else setResult({ kind: 'error', text: messageOf(err) });
            }
          }}
        >
          Verify chain
        </button>
      )}
      {exportable && (
        <>
          <a class="button" href={exportHref('csv')} download>
            Export CSV
          </a>
          <a class="button" href={exportHref('ndjson')} download>
            Export NDJSON
          </a>
        </>
      )}
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
    </div>
  );
}
