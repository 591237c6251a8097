import { useState } from 'preact/hooks';
import { api, BARONG, messageOf } from '../api/client';
import type { UserWithKyc } from '../api/types';
import { useAsync } from '../components/async';
import { Field, formatTime, Notice, Pager, Status, valueOf } from '../components/ui';
import { Link } from '../router';
import { can, useSession } from '../session';
import { DocumentViewer } from './DocumentViewer';

const LIMIT = 10;

/** Users whose private `document` label is pending (or replaced), the longest-waiting first. */
export function KycPage() {
  const [page, setPage] = useState(1);
  const [flash, setFlash] = useState<{ kind: 'success' | 'error'; text: string }>();
  const queue = useAsync(() => api.page<UserWithKyc>(`${BARONG}/admin/users/documents/pending`, { extended: true, page, limit: LIMIT }), [page]);
  return (
    <>
      <h1>KYC queue</h1>
      <p class="muted">Pending identity documents, oldest first. Approving sets the private label document to verified; rejecting sets it to rejected.</p>
      {flash && <Notice kind={flash.kind}>{flash.text}</Notice>}
      <Status loading={queue.loading && !queue.data} error={queue.error} empty={queue.data?.items.length === 0} emptyText="The queue is empty: no document waits for review." />
      {queue.data && queue.data.items.length > 0 && (
        <>
          <ol class="queue">
            {queue.data.items.map((u) => (
              <Review
                key={u.uid}
                user={u}
                onDone={(text, ok) => {
                  setFlash({ kind: ok ? 'success' : 'error', text });
                  if (ok) queue.reload();
                }}
              />
            ))}
          </ol>
          <Pager page={queue.data.page} perPage={queue.data.perPage} total={queue.data.total} onPage={setPage} label="Queue pages" />
        </>
      )}
    </>
  );
}

function Review({ user, onDone }: { user: UserWithKyc; onDone(text: string, ok: boolean): void }) {
  const { caps } = useSession();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const label = user.labels.find((l) => l.key === 'document' && l.scope === 'private');
  const documents = user.documents.filter((d) => (d.doc_category ?? 'document') !== 'address');
  const mayDecide = can(caps, 'update', 'Label');

  const decide = async (value: 'verified' | 'rejected') => {
    if (value === 'rejected' && !comment.trim()) {
      onDone('Write a comment that tells the user why the document is rejected.', false);
      return;
    }
    setBusy(true);
    try {
      const note = comment.trim();
      await api.post(`${BARONG}/admin/users/labels/update`, { uid: user.uid, key: 'document', scope: 'private', value, ...(note ? { description: note } : {}) });
      if (note) await api.post(`${BARONG}/admin/users/comments`, { uid: user.uid, title: value === 'verified' ? 'Document approved' : 'Document rejected', data: note });
      onDone(`${user.email ?? user.uid}: document ${value === 'verified' ? 'approved' : 'rejected'}.`, true);
    } catch (err) {
      onDone(messageOf(err), false);
    } finally {
      setBusy(false);
    }
  };

  const headingId = `review-${user.uid}`;
  return (
    <li class="card review" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Link href={`/users/${encodeURIComponent(user.uid)}`}>{user.email ?? user.username ?? user.uid}</Link>
      </h2>
      <p class="muted">
        <code>{user.uid}</code> · label document: {label?.value ?? '—'} since {formatTime(label?.updated_at)}
      </p>
      {documents.length === 0 ? (
        <p class="empty">No files are attached.</p>
      ) : (
        <ul class="documents">
          {documents.map((d, i) => (
            <li key={i}>
              <span>
                {d.doc_type} {d.doc_number && <code>{d.doc_number}</code>} · expires {d.doc_expire ?? '—'}
              </span>
              {can(caps, 'read', 'Document') && <DocumentViewer url={d.upload.url} type={d.upload.type} name={`${d.doc_type} ${i + 1}`} />}
            </li>
          ))}
        </ul>
      )}
      {mayDecide && (
        <div class="inline-form">
          <Field label="Comment" hint="Required to reject; shown to other admins and kept as the label description.">
            <textarea rows={2} value={comment} onInput={(e) => setComment(valueOf(e))} />
          </Field>
          <button type="button" class="primary" disabled={busy} onClick={() => void decide('verified')}>
            Approve
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => void decide('rejected')}>
            Reject
          </button>
        </div>
      )}
    </li>
  );
}
