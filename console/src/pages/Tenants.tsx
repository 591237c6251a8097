import { useState } from 'preact/hooks';
import { api, BARONG, messageOf } from '../api/client';
import type { App } from '../api/types';
import { useAsync } from '../components/async';
import { ConfirmButton, Field, formatTime, Notice, SecretOnce, Section, Status, Table, valueOf } from '../components/ui';

const APPS = `${BARONG}/admin/apps`;

/** Platform tenants (apps): create, rotate the secret key, disable. Superadmin only. */
export function TenantsPage() {
  const apps = useAsync(() => api.get<App[]>(APPS), []);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const [flash, setFlash] = useState<{ kind: 'success' | 'error'; text: string }>();

  const run = async (what: () => Promise<void>) => {
    setFlash(undefined);
    setSecret(undefined);
    try {
      await what();
      apps.reload();
    } catch (err) {
      setFlash({ kind: 'error', text: messageOf(err) });
    }
  };

  return (
    <>
      <h1>Tenants</h1>
      {flash && <Notice kind={flash.kind}>{flash.text}</Notice>}
      {secret && <SecretOnce label={secret.label} value={secret.value} />}
      <Section title="New app">
        <form
          class="inline-form"
          aria-label="Create an app"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const created = await api.post<App & { secret_key: string }>(APPS, { name: name.trim() });
              setName('');
              setFlash({ kind: 'success', text: `App ${created.name} created.` });
              setSecret({ label: `The secret key of ${created.name}`, value: created.secret_key });
            });
          }}
        >
          <Field label="Name">
            <input required value={name} onInput={(e) => setName(valueOf(e))} />
          </Field>
          <button type="submit" class="primary">
            Create app
          </button>
        </form>
      </Section>
      <Section title="Apps">
        <Status loading={apps.loading && !apps.data} error={apps.error} empty={apps.data?.length === 0} emptyText="No apps yet." />
        {apps.data && apps.data.length > 0 && (
          <Table caption="Apps">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">App id</th>
                <th scope="col">Public token</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {apps.data.map((a) => (
                <tr key={a.app_id}>
                  <td>{a.name}</td>
                  <td>
                    <code>{a.app_id}</code>
                  </td>
                  <td>
                    <code>{a.public_token}</code>
                  </td>
                  <td>
                    <span class={`badge state-${a.status}`}>{a.status}</span>
                  </td>
                  <td>{formatTime(a.created_at)}</td>
                  <td class="row-actions">
                    <ConfirmButton
                      class="secondary"
                      label="Rotate key"
                      confirmLabel={`Rotate the key of ${a.name}`}
                      disabled={a.status !== 'active'}
                      onConfirm={() =>
                        void run(async () => {
                          const r = await api.post<{ app_id: string; secret_key: string }>(`${APPS}/${encodeURIComponent(a.app_id)}/rotate`);
                          setSecret({ label: `The new secret key of ${a.name}`, value: r.secret_key });
                        })
                      }
                    />
                    <ConfirmButton
                      label="Disable"
                      confirmLabel={`Disable ${a.name}`}
                      disabled={a.status !== 'active'}
                      onConfirm={() =>
                        void run(async () => {
                          await api.post(`${APPS}/${encodeURIComponent(a.app_id)}/disable`);
                          setFlash({ kind: 'success', text: `App ${a.name} disabled.` });
                        })
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
