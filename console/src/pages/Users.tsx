import { useState } from 'preact/hooks';
import { api, BARONG, withQuery } from '../api/client';
import type { User } from '../api/types';
import { useAsync } from '../components/async';
import { Field, Pager, Status, Table, valueOf } from '../components/ui';
import { Link, navigate } from '../router';
import { ROLES, STATES } from './vocabulary';

const FILTERS = ['email', 'uid', 'role', 'state', 'level', 'country', 'range', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const PAGE_SIZES = [25, 50, 100];

/** A date input (UTC day) as epoch seconds: `from` at the day's start, `to` at its end. */
export function epoch(day: string | undefined, end: boolean): number | undefined {
  if (!day) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000) + (end ? 86_399 : 0);
}

export function UsersPage({ query }: { query: URLSearchParams }) {
  const applied: Filters = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? '']).filter(([, v]) => v));
  const page = Number(query.get('page') ?? 1) || 1;
  const limit = PAGE_SIZES.includes(Number(query.get('limit'))) ? Number(query.get('limit')) : PAGE_SIZES[0]!;
  const [draft, setDraft] = useState<Filters>(applied);
  const key = query.toString();

  const list = useAsync(
    () =>
      api.page<User>(`${BARONG}/admin/users`, {
        email: applied.email,
        uid: applied.uid,
        role: applied.role,
        state: applied.state,
        level: applied.level,
        country: applied.country,
        range: applied.from || applied.to ? applied.range || 'created' : undefined,
        from: epoch(applied.from, false),
        to: epoch(applied.to, true),
        page,
        limit,
      }),
    [key],
  );

  const go = (filters: Filters, p = 1, size = limit) =>
    navigate(withQuery('/users', { ...filters, page: p > 1 ? p : undefined, limit: size !== PAGE_SIZES[0] ? size : undefined }));
  const set = (k: keyof Filters) => (e: Parameters<typeof valueOf>[0]) => setDraft({ ...draft, [k]: valueOf(e).trim() });

  return (
    <>
      <h1>Users</h1>
      <form
        class="card filters"
        role="search"
        aria-label="Filter users"
        onSubmit={(e) => {
          e.preventDefault();
          go(draft);
        }}
      >
        <Field label="E-mail">
          <input type="email" name="email" value={draft.email ?? ''} onInput={set('email')} />
        </Field>
        <Field label="UID">
          <input name="uid" value={draft.uid ?? ''} onInput={set('uid')} />
        </Field>
        <Field label="Role">
          <select name="role" value={draft.role ?? ''} onChange={set('role')}>
            <option value="">Any</option>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field label="State">
          <select name="state" value={draft.state ?? ''} onChange={set('state')}>
            <option value="">Any</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Level">
          <input type="number" min={0} name="level" value={draft.level ?? ''} onInput={set('level')} />
        </Field>
        <Field label="Country" hint="Profile country code, e.g. UA">
          <input name="country" maxLength={3} value={draft.country ?? ''} onInput={set('country')} />
        </Field>
        <Field label="Dates apply to">
          <select name="range" value={draft.range ?? 'created'} onChange={set('range')}>
            <option value="created">Created</option>
            <option value="updated">Updated</option>
          </select>
        </Field>
        <Field label="From (UTC day)">
          <input type="date" name="from" value={draft.from ?? ''} onInput={set('from')} />
        </Field>
        <Field label="To (UTC day)">
          <input type="date" name="to" value={draft.to ?? ''} onInput={set('to')} />
        </Field>
        <div class="filter-actions">
          <button type="submit" class="primary">
            Search
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft({});
              go({});
            }}
          >
            Clear
          </button>
        </div>
      </form>

      <section class="card" aria-labelledby="users-results">
        <h2 id="users-results">Results</h2>
        <Status loading={list.loading && !list.data} error={list.error} empty={list.data?.items.length === 0} emptyText="No user matches these filters." />
        {list.data && list.data.items.length > 0 && (
          <>
            <Table caption="Users">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">UID</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Level</th>
                  <th scope="col">2FA</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.uid}>
                    <td>
                      <Link href={`/users/${encodeURIComponent(u.uid)}`}>{u.email ?? u.username ?? u.uid}</Link>
                    </td>
                    <td>
                      <code>{u.uid}</code>
                    </td>
                    <td>{u.role}</td>
                    <td>
                      <span class={`badge state-${u.state}`}>{u.state}</span>
                    </td>
                    <td>{u.level}</td>
                    <td>{u.otp ? 'On' : 'Off'}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <div class="pager-row">
              <Pager page={list.data.page} perPage={list.data.perPage} total={list.data.total} onPage={(p) => go(applied, p)} label="User pages" />
              <Field label="Rows per page">
                <select value={String(limit)} onChange={(e) => go(applied, 1, Number(valueOf(e)))}>
                  {PAGE_SIZES.map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>
              </Field>
            </div>
          </>
        )}
      </section>
    </>
  );
}
