import { useState } from 'preact/hooks';
import { api, BARONG } from '../api/client';
import type { Metrics } from '../api/types';
import { useAsync } from '../components/async';
import { Field, Section, Status, valueOf } from '../components/ui';
import { BarChart } from './Chart';

const DAY = 86_400_000;

/** Every UTC day of the period, oldest first, so quiet days show as zero. */
function daysBack(n: number, now = Date.now()): string[] {
  const today = Math.floor(now / DAY) * DAY;
  return Array.from({ length: n }, (_, i) => new Date(today - (n - 1 - i) * DAY).toISOString().slice(0, 10));
}

export function MetricsPage() {
  const [period, setPeriod] = useState(30);
  const metrics = useAsync(() => {
    const from = Math.floor((Math.floor(Date.now() / DAY) * DAY - (period - 1) * DAY) / 1000);
    return api.get<Metrics>(`${BARONG}/admin/metrics`, { created_from: from, created_to: Math.floor(Date.now() / 1000) });
  }, [period]);
  const days = daysBack(period);
  const values = (m: Record<string, number> | undefined) => days.map((d) => m?.[d] ?? 0);
  const m = metrics.data;
  return (
    <>
      <h1>Metrics</h1>
      <div class="inline-form">
        <Field label="Period">
          <select value={String(period)} onChange={(e) => setPeriod(Number(valueOf(e)))}>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
          </select>
        </Field>
      </div>
      <Status loading={metrics.loading && !m} error={metrics.error} />
      {m && (
        <>
          <Section title="Summary">
            <dl class="facts stats">
              <dt>Sign-ups</dt>
              <dd data-testid="metric-signups">{values(m.signups).reduce((a, b) => a + b, 0)}</dd>
              <dt>Successful logins</dt>
              <dd>{values(m.sucessful_logins).reduce((a, b) => a + b, 0)}</dd>
              <dt>Failed logins</dt>
              <dd>{values(m.failed_logins).reduce((a, b) => a + b, 0)}</dd>
              <dt>Pending KYC applications</dt>
              <dd>{m.pending_applications}</dd>
            </dl>
          </Section>
          <Section title="Over time">
            <BarChart title="Sign-ups per day" days={days} series={[{ name: 'Sign-ups', tone: 'a', values: values(m.signups) }]} />
            <BarChart
              title="Logins per day"
              days={days}
              series={[
                { name: 'Successful logins', tone: 'b', values: values(m.sucessful_logins) },
                { name: 'Failed logins', tone: 'c', values: values(m.failed_logins) },
              ]}
            />
          </Section>
        </>
      )}
    </>
  );
}
