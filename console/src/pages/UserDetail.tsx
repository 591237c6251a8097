import { useState } from 'preact/hooks';
import { api, BARONG, messageOf } from '../api/client';
import { wholeTable } from '../api/permissions';
import type { Activity, ApiKey, Label, UserWithKyc } from '../api/types';
import { useAsync } from '../components/async';
import { ConfirmButton, Field, formatTime, Notice, Pager, Section, Status, Table, valueOf } from '../components/ui';
import { can, useSession } from '../session';
import { ActivityTable } from './ActivityTable';
import { DocumentViewer } from './DocumentViewer';
import { ROLES, STATES } from './vocabulary';

type Flash = { kind: 'success' | 'error'; text: string } | undefined;

export function UserPage({ uid }: { uid: string }) {
  const { session, caps } = useSession();
  const user = useAsync(() => api.get<UserWithKyc>(`${BARONG}/admin/users/${encodeURIComponent(uid)}`), [uid]);
  const [flash, setFlash] = useState<Flash>();
  const [busy, setBusy] = useState(false);

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setFlash(undefined);
    try {
      await what();
      setFlash({ kind: 'success', text: done });
      user.reload();
    } catch (err) {
      setFlash({ kind: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  if (!user.data) {
    return (
      <>
        <h1>User</h1>
        <Status loading={user.loading} error={user.error} />
      </>
    );
  }
  const u = user.data;
  const self = u.uid === session.user.uid;
  const protectedTarget = u.role === 'superadmin' && session.user.role !== 'superadmin';
  const why = self ? 'You cannot change your own account here.' : protectedTarget ? 'Only a superadmin may change a superadmin.' : undefined;
  const mayUpdate = can(caps, 'update', 'User');
  const mayLabel = can(caps, 'update', 'Label');

  return (
    <>
      <h1>{u.email ?? u.username ?? u.uid}</h1>
      {flash && <Notice kind={flash.kind}>{flash.text}</Notice>}
      <Section title="Account">
        <dl class="facts">
          <dt>UID</dt>
          <dd>
            <code>{u.uid}</code>
          </dd>
          <dt>Role</dt>
          <dd data-testid="user-role">{u.role}</dd>
          <dt>State</dt>
          <dd>
            <span class={`badge state-${u.state}`} data-testid="user-state">
              {u.state}
            </span>
          </dd>
          <dt>Level</dt>
          <dd>{u.level}</dd>
          <dt>Two-factor</dt>
          <dd>{u.otp ? 'On' : 'Off'}</dd>
          <dt>Created</dt>
          <dd>{formatTime(u.created_at)}</dd>
          {u.referral_uid && (
            <>
              <dt>Referred by</dt>
              <dd>{u.referral_uid}</dd>
            </>
          )}
        </dl>
        {mayUpdate && (
          <div class="actions">
            {why && <p class="muted">{why}</p>}
            <StateControl key={u.state} state={u.state} disabled={busy || !!why} onChange={(state) => run(() => api.post(`${BARONG}/admin/users/update`, { uid: u.uid, state }), `State changed to ${state}.`)} />
            <RoleControl key={u.role} role={u.role} disabled={busy || !!why} onChange={(role) => run(() => api.post(`${BARONG}/admin/users/role`, { uid: u.uid, role }), `Role changed to ${role}.`)} />
            {u.otp && (
              <ConfirmButton
                label="Turn 2FA off"
                confirmLabel="Yes, turn 2FA off"
                disabled={busy || !!why}
                onConfirm={() => run(() => api.post(`${BARONG}/admin/users/update`, { uid: u.uid, otp: false }), 'Two-factor authentication is off.')}
              />
            )}
          </div>
        )}
      </Section>

      <LabelsSection user={u} editable={mayLabel && !why} onChanged={user.reload} />
      <ProfilesSection user={u} />
      <DocumentsSection user={u} />
      <CommentsSection user={u} onChanged={user.reload} />
      {can(caps, 'read', 'APIKey') && <ApiKeysSection uid={u.uid} />}
      {caps.reach.activities && (
        <>
          <UserActivity uid={u.uid} topic="session" title="Sessions (sign-ins and sign-outs)" />
          <UserActivity uid={u.uid} title="Activity" />
        </>
      )}
    </>
  );
}

function StateControl({ state, disabled, onChange }: { state: string; disabled: boolean; onChange(s: string): void }) {
  const [next, setNext] = useState(state === 'active' ? 'banned' : 'active');
  return (
    <div class="inline-form">
      {state !== 'banned' ? (
        <button type="button" class="danger" disabled={disabled} onClick={() => onChange('banned')}>
          Ban
        </button>
      ) : (
        <button type="button" disabled={disabled} onClick={() => onChange('active')}>
          Unban
        </button>
      )}
      <Field label="Other state">
        <select value={next} onChange={(e) => setNext(valueOf(e))} disabled={disabled}>
          {STATES.filter((s) => s !== state).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </Field>
      <button type="button" disabled={disabled} onClick={() => onChange(next)}>
        Set state
      </button>
    </div>
  );
}

/** The roles of the permissions table when this role may read it, Barong's usual roles otherwise. */
function useRoles(): string[] {
  const { caps } = useSession();
  const table = useAsync(
    () => (caps.reach.permissions ? wholeTable().then((rows) => rows.map((r) => r.role)) : Promise.resolve([])),
    [caps.reach.permissions],
  );
  return [...new Set([...(table.data ?? []), ...ROLES])];
}

function RoleControl({ role, disabled, onChange }: { role: string; disabled: boolean; onChange(r: string): void }) {
  const [next, setNext] = useState(role);
  const roles = useRoles();
  return (
    <div class="inline-form">
      <Field label="Role">
        <select value={next} onChange={(e) => setNext(valueOf(e))} disabled={disabled}>
          {[...new Set([role, ...roles])].map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      <button type="button" disabled={disabled || next === role} onClick={() => onChange(next)}>
        Change role
      </button>
    </div>
  );
}

function LabelsSection({ user, editable, onChanged }: { user: UserWithKyc; editable: boolean; onChanged(): void }) {
  const [error, setError] = useState<string>();
  const [draft, setDraft] = useState({ key: '', value: '', scope: 'private', description: '' });
  const act = async (what: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await what();
      onChanged();
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    }
  };
  const labels = [...user.labels].sort((a, b) => a.scope.localeCompare(b.scope) || a.key.localeCompare(b.key));
  return (
    <Section title="Labels">
      {error && <Notice kind="error">{error}</Notice>}
      {labels.length === 0 ? (
        <p class="empty">No labels.</p>
      ) : (
        <Table caption="Labels">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">Scope</th>
              <th scope="col">Description</th>
              <th scope="col">Updated</th>
              {editable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {labels.map((l: Label) => (
              <tr key={`${l.scope}:${l.key}`}>
                <td>{l.key}</td>
                <td>{l.value}</td>
                <td>{l.scope}</td>
                <td>{l.description ?? ''}</td>
                <td>{formatTime(l.updated_at)}</td>
                {editable && (
                  <td>
                    <button
                      type="button"
                      aria-label={`Edit label ${l.key}`}
                      onClick={() => setDraft({ key: l.key, value: l.value, scope: l.scope, description: l.description ?? '' })}
                    >
                      Edit
                    </button>{' '}
                    <ConfirmButton
                      label="Delete"
                      confirmLabel={`Delete label ${l.key}`}
                      onConfirm={() => void act(() => api.del(`${BARONG}/admin/users/labels`, { uid: user.uid, key: l.key, scope: l.scope }))}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {editable && (
        <form
          class="inline-form"
          aria-label="Add or change a label"
          onSubmit={async (e) => {
            e.preventDefault();
            const body = { uid: user.uid, key: draft.key.trim(), value: draft.value.trim(), scope: draft.scope, ...(draft.description ? { description: draft.description } : {}) };
            if (await act(() => api.post(`${BARONG}/admin/users/labels/update`, body))) setDraft({ key: '', value: '', scope: draft.scope, description: '' });
          }}
        >
          <Field label="Key">
            <input required value={draft.key} onInput={(e) => setDraft({ ...draft, key: valueOf(e) })} />
          </Field>
          <Field label="Value">
            <input required value={draft.value} onInput={(e) => setDraft({ ...draft, value: valueOf(e) })} />
          </Field>
          <Field label="Scope">
            <select value={draft.scope} onChange={(e) => setDraft({ ...draft, scope: valueOf(e) })}>
              <option>private</option>
              <option>public</option>
            </select>
          </Field>
          <Field label="Description">
            <input value={draft.description} onInput={(e) => setDraft({ ...draft, description: valueOf(e) })} />
          </Field>
          <button type="submit">Save label</button>
        </form>
      )}
    </Section>
  );
}

function ProfilesSection({ user }: { user: UserWithKyc }) {
  return (
    <>
      <Section title="Profile">
        {user.profiles.length === 0 ? (
          <p class="empty">No profile submitted.</p>
        ) : (
          user.profiles.map((p, i) => (
            <dl class="facts" key={i}>
              <dt>Name</dt>
              <dd>{[p.first_name, p.last_name].filter(Boolean).join(' ') || '—'}</dd>
              <dt>Born</dt>
              <dd>{p.dob ?? '—'}</dd>
              <dt>Address</dt>
              <dd>{[p.address, p.postcode, p.city, p.country].filter(Boolean).join(', ') || '—'}</dd>
              <dt>State</dt>
              <dd>{p.state ?? '—'}</dd>
            </dl>
          ))
        )}
      </Section>
      <Section title="Phones">
        {user.phones.length === 0 ? (
          <p class="empty">No phone numbers.</p>
        ) : (
          <ul class="plain">
            {user.phones.map((p, i) => (
              <li key={i}>
                {p.number} ({p.country ?? '—'}) — {p.validated_at ? `verified ${formatTime(p.validated_at)}` : 'not verified'}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

function DocumentsSection({ user }: { user: UserWithKyc }) {
  const { caps } = useSession();
  return (
    <Section title="Documents">
      {user.documents.length === 0 ? (
        <p class="empty">No documents uploaded.</p>
      ) : (
        <ul class="documents">
          {user.documents.map((d, i) => (
            <li key={i}>
              <span>
                {d.doc_type} {d.doc_number && <code>{d.doc_number}</code>} · expires {d.doc_expire ?? '—'} · uploaded {formatTime(d.created_at)}
              </span>
              {can(caps, 'read', 'Document') ? <DocumentViewer url={d.upload.url} type={d.upload.type} name={`${d.doc_type} ${i + 1}`} /> : <span class="muted">Your role may not view files.</span>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function CommentsSection({ user, onChanged }: { user: UserWithKyc; onChanged(): void }) {
  const [title, setTitle] = useState('');
  const [data, setData] = useState('');
  const [error, setError] = useState<string>();
  const comments = user.comments ?? [];
  return (
    <Section title="Comments">
      {error && <Notice kind="error">{error}</Notice>}
      {comments.length === 0 ? (
        <p class="empty">No comments.</p>
      ) : (
        <ul class="plain">
          {comments.map((c) => (
            <li key={c.id}>
              <strong>{c.title}</strong> — {c.data} <span class="muted">({c.author_uid}, {formatTime(c.created_at)})</span>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        aria-label="Add a comment"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          try {
            await api.post(`${BARONG}/admin/users/comments`, { uid: user.uid, title, data });
            setTitle('');
            setData('');
            onChanged();
          } catch (err) {
            setError(messageOf(err));
          }
        }}
      >
        <Field label="Title">
          <input required maxLength={64} value={title} onInput={(e) => setTitle(valueOf(e))} />
        </Field>
        <Field label="Comment">
          <input required value={data} onInput={(e) => setData(valueOf(e))} />
        </Field>
        <button type="submit">Add comment</button>
      </form>
    </Section>
  );
}

function ApiKeysSection({ uid }: { uid: string }) {
  const [page, setPage] = useState(1);
  const keys = useAsync(() => api.page<ApiKey>(`${BARONG}/admin/api_keys`, { uid, page, limit: 10 }), [uid, page]);
  return (
    <Section title="API keys">
      <Status loading={keys.loading && !keys.data} error={keys.error} empty={keys.data?.items.length === 0} emptyText="No API keys." />
      {keys.data && keys.data.items.length > 0 && (
        <>
          <Table caption="API keys">
            <thead>
              <tr>
                <th scope="col">Key id</th>
                <th scope="col">Algorithm</th>
                <th scope="col">Scopes</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => (
                <tr key={k.kid}>
                  <td>
                    <code>{k.kid}</code>
                  </td>
                  <td>{k.algorithm}</td>
                  <td>{Array.isArray(k.scope) ? k.scope.join(', ') || '—' : k.scope}</td>
                  <td>{k.state}</td>
                  <td>{formatTime(k.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pager page={keys.data.page} perPage={keys.data.perPage} total={keys.data.total} onPage={setPage} label="API key pages" />
        </>
      )}
    </Section>
  );
}

function UserActivity({ uid, topic, title }: { uid: string; topic?: string; title: string }) {
  const [page, setPage] = useState(1);
  const list = useAsync(() => api.page<Activity>(`${BARONG}/admin/activities`, { uid, topic, page, limit: 10 }), [uid, topic, page]);
  return (
    <Section title={title}>
      <Status loading={list.loading && !list.data} error={list.error} empty={list.data?.items.length === 0} emptyText="No activity recorded." />
      {list.data && list.data.items.length > 0 && (
        <>
          <ActivityTable rows={list.data.items} kind="user" caption={title} />
          <Pager page={list.data.page} perPage={list.data.perPage} total={list.data.total} onPage={setPage} label={`${title} pages`} />
        </>
      )}
    </Section>
  );
}
