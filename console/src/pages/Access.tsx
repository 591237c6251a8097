import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, BARONG, messageOf } from '../api/client';
import { PERMISSIONS, wholeTable } from '../api/permissions';
import type { Permission, Restriction } from '../api/types';
import { useAsync } from '../components/async';
import { ConfirmButton, Field, formatTime, Notice, Pager, Section, Status, Table, valueOf } from '../components/ui';
import { offered } from '../api/offered';
import { can, useSession } from '../session';
import { preview, type PreviewRow, type RuleDraft } from './permission-preview';
import { PERMISSION_ACTIONS, RESTRICTION_CATEGORIES, RESTRICTION_SCOPES, RESTRICTION_STATES, VERBS } from './vocabulary';

export function AccessPage() {
  const { caps } = useSession();
  return (
    <>
      <h1>Access</h1>
      {caps.reach.permissions && <PermissionsSection />}
      {caps.reach.restrictions && <RestrictionsSection />}
    </>
  );
}

const PER_PAGE = 25;
const EMPTY_RULE = { role: '', verb: 'GET', path: '', action: 'ACCEPT', topic: '' };

function PermissionsSection() {
  const { caps } = useSession();
  const writable = can(caps, 'create', 'Permission');
  const [page, setPage] = useState(1);
  const [flash, setFlash] = useState<{ kind: 'success' | 'error'; text: string }>();
  const list = useAsync(() => api.page<Permission>(PERMISSIONS, { page, limit: PER_PAGE }), [page]);
  const table = useAsync(wholeTable, [list.data]);
  const [draft, setDraft] = useState(EMPTY_RULE);
  const [editing, setEditing] = useState<number>();
  const [highlight, setHighlight] = useState<number>();

  const run = async (what: () => Promise<unknown>, done: string) => {
    setFlash(undefined);
    try {
      await what();
      setFlash({ kind: 'success', text: done });
      list.reload();
      return true;
    } catch (err) {
      setFlash({ kind: 'error', text: messageOf(err) });
      return false;
    }
  };

  const body = (d: typeof EMPTY_RULE) => ({ role: d.role.trim(), verb: d.verb, path: d.path.trim().replace(/^\/+/, ''), action: d.action, topic: d.topic.trim() || undefined });
  const startEdit = (p: Permission) => {
    setEditing(p.id);
    setDraft({ role: p.role, verb: p.verb, path: p.path, action: p.action, topic: p.topic ?? '' });
  };
  const rule: RuleDraft = { ...body(draft) };
  const rows = table.data && draft.role && draft.path ? preview(table.data, { add: rule, replacing: editing }) : [];

  return (
    <Section title="Permissions" id="permissions">
      <p class="muted">A request is allowed when a rule of the caller's role ACCEPTs its verb and path prefix and no rule DROPs it. AUDIT rules record it.</p>
      {flash && <Notice kind={flash.kind}>{flash.text}</Notice>}
      {writable && (
        <form
          class="inline-form rule-form"
          aria-label={editing ? 'Edit permission' : 'Add permission'}
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = editing
              ? await run(() => api.put(PERMISSIONS, { id: editing, ...body(draft), topic: draft.topic.trim() || null }), 'Permission changed.')
              : await run(async () => {
                  const created = await api.post<Permission>(PERMISSIONS, body(draft));
                  // Rows come in id order: the new one is on the last page.
                  setHighlight(created.id);
                  setPage(Math.max(1, Math.ceil(((list.data?.total ?? 0) + 1) / PER_PAGE)));
                }, 'Permission added.');
            if (ok) {
              setEditing(undefined);
              setDraft(EMPTY_RULE);
            }
          }}
        >
          <Field label="Role">
            <input name="role" required value={draft.role} onInput={(e) => setDraft({ ...draft, role: valueOf(e) })} list="known-roles" />
          </Field>
          <datalist id="known-roles">
            {[...new Set((table.data ?? []).map((p) => p.role))].sort().map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
          <Field label="Verb">
            <select name="verb" value={draft.verb} onChange={(e) => setDraft({ ...draft, verb: valueOf(e) })}>
              {VERBS.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </Field>
          <Field label="Path prefix" hint="Without the leading slash, e.g. api/v2/barong/admin">
            <input name="path" required value={draft.path} onInput={(e) => setDraft({ ...draft, path: valueOf(e) })} />
          </Field>
          <Field label="Action">
            <select name="action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: valueOf(e) })}>
              {PERMISSION_ACTIONS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </Field>
          <Field label="Topic (AUDIT)">
            <input name="topic" value={draft.topic} onInput={(e) => setDraft({ ...draft, topic: valueOf(e) })} />
          </Field>
          <button type="submit" class="primary">
            {editing ? 'Save permission' : 'Add permission'}
          </button>
          {editing && (
            <button
              type="button"
              onClick={() => {
                setEditing(undefined);
                setDraft(EMPTY_RULE);
              }}
            >
              Cancel edit
            </button>
          )}
        </form>
      )}
      {writable && rows.length > 0 && <PreviewTable rows={rows} verb={rule.verb} path={rule.path} />}
      <ExplainForm />
      <Status loading={list.loading && !list.data} error={list.error} empty={list.data?.items.length === 0} emptyText="The permissions table is empty: every request is refused." />
      {list.data && list.data.items.length > 0 && (
        <>
          <Table caption="Permissions">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Role</th>
                <th scope="col">Verb</th>
                <th scope="col">Path</th>
                <th scope="col">Action</th>
                <th scope="col">Topic</th>
                <th scope="col">Updated</th>
                {writable && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id} class={p.id === highlight ? 'highlight' : undefined}>
                  <td>{p.id}</td>
                  <td>{p.role}</td>
                  <td>{p.verb}</td>
                  <td>
                    <code>{p.path}</code>
                  </td>
                  <td>
                    <span class={`badge action-${p.action.toLowerCase()}`}>{p.action}</span>
                  </td>
                  <td>{p.topic ?? ''}</td>
                  <td>{formatTime(p.updated_at)}</td>
                  {writable && (
                    <td class="row-actions">
                      <button type="button" onClick={() => startEdit(p)} aria-label={`Edit permission ${p.id}`}>
                        Edit
                      </button>
                      <ConfirmButton label="Delete" confirmLabel={`Delete permission ${p.id}`} onConfirm={() => void run(() => api.del(PERMISSIONS, { id: p.id }), `Permission ${p.id} deleted.`)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
          <Pager page={list.data.page} perPage={list.data.perPage} total={list.data.total} onPage={setPage} label="Permission pages" />
        </>
      )}
    </Section>
  );
}

function PreviewTable({ rows, verb, path }: { rows: PreviewRow[]; verb: string; path: string }) {
  const changed = rows.filter((r) => r.before !== r.after);
  const word = (b: boolean) => (b ? 'allowed' : 'refused');
  return (
    <div class="preview" aria-live="polite" data-testid="rule-preview">
      <h3>Preview for {verb === 'ALL' ? 'GET (and every verb)' : verb} /{path}</h3>
      <p>{changed.length === 0 ? 'No role changes: every role keeps its current decision.' : `Affects ${changed.map((r) => `${r.role} (${word(r.before)} → ${word(r.after)})`).join(', ')}.`}</p>
      <details>
        <summary>Every role</summary>
        <ul class="plain columns">
          {rows.map((r) => (
            <li key={r.role} class={r.before !== r.after ? 'changed' : undefined}>
              {r.role}: {word(r.before)}
              {r.before !== r.after && ` → ${word(r.after)}`}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** The server's own explanation of a decision, when this service offers it (hidden otherwise). */
function ExplainForm() {
  const [available, setAvailable] = useState<boolean>();
  const [q, setQ] = useState({ role: 'member', verb: 'GET', path: 'api/v2/barong/resource/users/me' });
  const [answer, setAnswer] = useState<{ decision: string; matched?: Permission[] }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    void offered('get', `${BARONG}/admin/permissions/explain`).then(setAvailable);
  }, []);
  if (!available) return null;
  return (
    <details class="explain">
      <summary>Explain a decision</summary>
      <form
        class="inline-form"
        aria-label="Explain a decision"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          try {
            setAnswer(await api.get(`${BARONG}/admin/permissions/explain`, q));
          } catch (err) {
            if (err instanceof ApiError && err.status === 404) setAvailable(false);
            else setError(messageOf(err));
          }
        }}
      >
        <Field label="Role">
          <input value={q.role} onInput={(e) => setQ({ ...q, role: valueOf(e) })} />
        </Field>
        <Field label="Verb">
          <select value={q.verb} onChange={(e) => setQ({ ...q, verb: valueOf(e) })}>
            {VERBS.filter((v) => v !== 'ALL').map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </Field>
        <Field label="Path">
          <input value={q.path} onInput={(e) => setQ({ ...q, path: valueOf(e) })} />
        </Field>
        <button type="submit">Explain</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {answer && (
        <div class="preview">
          <p>
            Decision: <strong>{answer.decision}</strong>
          </p>
          {answer.matched && answer.matched.length > 0 && (
            <ul class="plain">
              {answer.matched.map((m) => (
                <li key={m.id}>
                  #{m.id} {m.verb} {m.path} {m.action}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}

const RESTRICTIONS = `${BARONG}/admin/restrictions`;
const EMPTY_RESTRICTION = { category: 'blacklist', scope: 'ip', value: '', state: 'enabled', code: '' };

function RestrictionsSection() {
  const { caps } = useSession();
  const writable = can(caps, 'create', 'Restriction');
  const [filter, setFilter] = useState({ category: '', scope: '' });
  const [page, setPage] = useState(1);
  const [flash, setFlash] = useState<{ kind: 'success' | 'error'; text: string }>();
  const [draft, setDraft] = useState(EMPTY_RESTRICTION);
  const [editing, setEditing] = useState<number>();
  const list = useAsync(() => api.page<Restriction>(RESTRICTIONS, { ...filter, page, limit: 25 }), [filter.category, filter.scope, page]);

  const run = async (what: () => Promise<unknown>, done: string) => {
    setFlash(undefined);
    try {
      await what();
      setFlash({ kind: 'success', text: done });
      list.reload();
      return true;
    } catch (err) {
      setFlash({ kind: 'error', text: messageOf(err) });
      return false;
    }
  };
  const body = () => ({ category: draft.category, scope: draft.scope, value: draft.value.trim(), state: draft.state, ...(draft.code ? { code: Number(draft.code) } : {}) });

  return (
    <Section title="Restrictions" id="restrictions">
      <p class="muted">Screen requests by IP, subnet, country or continent. A whitelist match ends screening; maintenance, blacklist and blocklogin refuse.</p>
      {flash && <Notice kind={flash.kind}>{flash.text}</Notice>}
      {writable && (
        <form
          class="inline-form"
          aria-label={editing ? 'Edit restriction' : 'Add restriction'}
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = editing ? await run(() => api.put(RESTRICTIONS, { id: editing, ...body() }), 'Restriction changed.') : await run(() => api.post(RESTRICTIONS, body()), 'Restriction added.');
            if (ok) {
              setEditing(undefined);
              setDraft(EMPTY_RESTRICTION);
            }
          }}
        >
          <Field label="Category">
            <select value={draft.category} onChange={(e) => setDraft({ ...draft, category: valueOf(e) })}>
              {RESTRICTION_CATEGORIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label="Scope">
            <select value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: valueOf(e) })}>
              {RESTRICTION_SCOPES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label="Value" hint="An IP, a CIDR subnet, a country or continent code, or all">
            <input required value={draft.value} onInput={(e) => setDraft({ ...draft, value: valueOf(e) })} />
          </Field>
          <Field label="State">
            <select value={draft.state} onChange={(e) => setDraft({ ...draft, state: valueOf(e) })}>
              {RESTRICTION_STATES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label="HTTP code" hint="Optional, 400–599">
            <input type="number" min={400} max={599} value={draft.code} onInput={(e) => setDraft({ ...draft, code: valueOf(e) })} />
          </Field>
          <button type="submit" class="primary">
            {editing ? 'Save restriction' : 'Add restriction'}
          </button>
          {editing && (
            <button
              type="button"
              onClick={() => {
                setEditing(undefined);
                setDraft(EMPTY_RESTRICTION);
              }}
            >
              Cancel edit
            </button>
          )}
        </form>
      )}
      <div class="inline-form" role="search" aria-label="Filter restrictions">
        <Field label="Show category">
          <select
            value={filter.category}
            onChange={(e) => {
              setPage(1);
              setFilter({ ...filter, category: valueOf(e) });
            }}
          >
            <option value="">Any</option>
            {RESTRICTION_CATEGORIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </Field>
        <Field label="Show scope">
          <select
            value={filter.scope}
            onChange={(e) => {
              setPage(1);
              setFilter({ ...filter, scope: valueOf(e) });
            }}
          >
            <option value="">Any</option>
            {RESTRICTION_SCOPES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </Field>
      </div>
      <Status loading={list.loading && !list.data} error={list.error} empty={list.data?.items.length === 0} emptyText="No restrictions: every client may reach the service." />
      {list.data && list.data.items.length > 0 && (
        <>
          <Table caption="Restrictions">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Category</th>
                <th scope="col">Scope</th>
                <th scope="col">Value</th>
                <th scope="col">Code</th>
                <th scope="col">State</th>
                <th scope="col">Updated</th>
                {writable && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{r.category}</td>
                  <td>{r.scope}</td>
                  <td>
                    <code>{r.value}</code>
                  </td>
                  <td>{r.code ?? '—'}</td>
                  <td>{r.state}</td>
                  <td>{formatTime(r.updated_at)}</td>
                  {writable && (
                    <td class="row-actions">
                      <button
                        type="button"
                        aria-label={`Edit restriction ${r.id}`}
                        onClick={() => {
                          setEditing(r.id);
                          setDraft({ category: r.category, scope: r.scope, value: r.value, state: r.state, code: r.code ? String(r.code) : '' });
                        }}
                      >
                        Edit
                      </button>
                      <ConfirmButton label="Delete" confirmLabel={`Delete restriction ${r.id}`} onConfirm={() => void run(() => api.del(RESTRICTIONS, { id: r.id }), `Restriction ${r.id} deleted.`)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
          <Pager page={list.data.page} perPage={list.data.perPage} total={list.data.total} onPage={setPage} label="Restriction pages" />
        </>
      )}
    </Section>
  );
}
