import { useState } from 'preact/hooks';
import { api, BARONG, messageOf } from '../api/client';
import type { BalanceCode } from '../api/types';
import { useAsync } from '../components/async';
import { Field, formatTime, Notice, Pager, SecretOnce, Section, Status, Table, valueOf } from '../components/ui';

const CODES = `${BARONG}/admin/balance_codes`;
const GIB = 1024 ** 3;

function bytes(n: number): string {
  if (n >= GIB) return `${(n / GIB).toFixed(n % GIB ? 2 : 0)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/** Network balance codes: a secret that grants data balance when redeemed before it ends. */
export function BalanceCodesPage() {
  const [page, setPage] = useState(1);
  const list = useAsync(() => api.page<BalanceCode>(CODES, { page, limit: 25 }), [page]);
  const [gib, setGib] = useState('10');
  const [days, setDays] = useState('30');
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<string>();

  return (
    <>
      <h1>Balance codes</h1>
      {error && <Notice kind="error">{error}</Notice>}
      {secret && <SecretOnce label="The balance code" value={secret} />}
      <Section title="New balance code">
        <form
          class="inline-form"
          aria-label="Create a balance code"
          onSubmit={async (e) => {
            e.preventDefault();
            setError(undefined);
            setSecret(undefined);
            try {
              const created = await api.post<{ secret: string }>(CODES, { balance_byte_count: Math.round(Number(gib) * GIB), duration_days: Number(days) });
              setSecret(created.secret);
              list.reload();
            } catch (err) {
              setError(messageOf(err));
            }
          }}
        >
          <Field label="Balance (GiB)">
            <input type="number" min="0.001" step="any" required value={gib} onInput={(e) => setGib(valueOf(e))} />
          </Field>
          <Field label="Valid for (days)">
            <input type="number" min="1" step="1" required value={days} onInput={(e) => setDays(valueOf(e))} />
          </Field>
          <button type="submit" class="primary">
            Create code
          </button>
        </form>
      </Section>
      <Section title="Codes">
        <Status loading={list.loading && !list.data} error={list.error} empty={list.data?.items.length === 0} emptyText="No balance codes yet." />
        {list.data && list.data.items.length > 0 && (
          <>
            <Table caption="Balance codes">
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Balance</th>
                  <th scope="col">Valid from</th>
                  <th scope="col">Valid until</th>
                  <th scope="col">Redeemed</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.balance_code_id}>
                    <td>
                      <code>{c.balance_code_id}</code>
                    </td>
                    <td>{bytes(c.balance_byte_count)}</td>
                    <td>{formatTime(c.start_time)}</td>
                    <td>{formatTime(c.end_time)}</td>
                    <td>{c.redeem_time ? formatTime(c.redeem_time) : 'Not yet'}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pager page={list.data.page} perPage={list.data.perPage} total={list.data.total} onPage={setPage} label="Balance code pages" />
          </>
        )}
      </Section>
    </>
  );
}
