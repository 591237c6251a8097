import { useState } from 'preact/hooks';
import type { Activity, User } from '../api/types';
import { formatTime, Table } from '../components/ui';

function who(u: User | null | undefined): string {
  return u ? u.email || u.username || u.uid : '—';
}

function pretty(data: string | null): string {
  if (!data) return '(no data)';
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return data;
  }
}

/** Activities newest first; each row opens to show the entry's data. */
export function ActivityTable({ rows, kind, caption }: { rows: Activity[]; kind: 'user' | 'admin'; caption: string }) {
  const [open, setOpen] = useState<string>();
  const columns = kind === 'admin' ? 8 : 7;
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">{kind === 'admin' ? 'Admin' : 'User'}</th>
          {kind === 'admin' && <th scope="col">Target</th>}
          <th scope="col">Topic</th>
          <th scope="col">Action</th>
          <th scope="col">Result</th>
          <th scope="col">IP</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => {
          const expanded = open === a.id;
          return [
            <tr key={a.id} class="activity-row">
              <td>{formatTime(a.created_at)}</td>
              <td>{who(kind === 'admin' ? a.admin : a.user)}</td>
              {kind === 'admin' && <td>{who(a.target)}</td>}
              <td>{a.topic}</td>
              <td>{a.action}</td>
              <td>
                <span class={`badge result-${a.result}`}>{a.result}</span>
              </td>
              <td>
                {a.user_ip}
                {a.user_ip_country ? ` (${a.user_ip_country})` : ''}
              </td>
              <td>
                <button type="button" aria-expanded={expanded} aria-controls={`detail-${a.id}`} onClick={() => setOpen(expanded ? undefined : a.id)}>
                  {expanded ? 'Hide' : 'Show'}
                </button>
              </td>
            </tr>,
            expanded && (
              <tr key={`${a.id}-detail`} id={`detail-${a.id}`} class="detail-row">
                <td colSpan={columns}>
                  <dl class="facts">
                    <dt>Entry</dt>
                    <dd>
                      <code>{a.id}</code>
                    </dd>
                    <dt>User agent</dt>
                    <dd>{a.user_agent || '—'}</dd>
                  </dl>
                  <pre class="data">{pretty(a.data)}</pre>
                </td>
              </tr>
            ),
          ];
        })}
      </tbody>
    </Table>
  );
}
