export interface Series {
  name: string;
  /** A class giving the series its colour in the stylesheet (no inline styles under the CSP). */
  tone: 'a' | 'b' | 'c';
  values: number[];
}

const W = 960;
const H = 240;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/** Daily counts as grouped bars in SVG, with the numbers in a table for screen readers. */
export function BarChart({ title, days, series }: { title: string; days: string[]; series: Series[] }) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(days.length, 1);
  const bar = Math.max(1, (slot * 0.8) / series.length);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, Math.round(max / 2), max];
  const labelEvery = Math.ceil(days.length / 8);
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${series.map((s) => `${s.name} ${s.values.reduce((a, b) => a + b, 0)} in total`).join(', ')}`}>
        {ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text class="axis" x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {t}
            </text>
          </g>
        ))}
        {days.map((d, i) => (
          <g key={d}>
            {series.map((s, j) => (
              <rect key={s.name} class={`bar tone-${s.tone}`} x={PAD.left + i * slot + slot * 0.1 + j * bar} y={y(s.values[i] ?? 0)} width={bar} height={Math.max(0, PAD.top + plotH - y(s.values[i] ?? 0))}>
                <title>
                  {d}: {s.values[i] ?? 0} {s.name.toLowerCase()}
                </title>
              </rect>
            ))}
            {i % labelEvery === 0 && (
              <text class="axis" x={PAD.left + i * slot + slot / 2} y={H - 8} text-anchor="middle">
                {d.slice(5)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <ul class="legend">
        {series.map((s) => (
          <li key={s.name}>
            <span class={`swatch tone-${s.tone}`} aria-hidden="true" /> {s.name}
          </li>
        ))}
      </ul>
      <details>
        <summary>Numbers</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                {series.map((s) => (
                  <th scope="col" key={s.name}>
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d, i) => (
                <tr key={d}>
                  <td>{d}</td>
                  {series.map((s) => (
                    <td key={s.name}>{s.values[i] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
