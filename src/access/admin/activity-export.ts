import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';

export type ExportFormat = 'csv' | 'ndjson';

/** Columns of an exported activity, in CSV order. */
export const EXPORT_COLUMNS = [
  'id',
  'seq',
  'created_at',
  'category',
  'user_uid',
  'target_uid',
  'user_ip',
  'user_ip_country',
  'user_agent',
  'topic',
  'action',
  'result',
  'data',
] as const;

type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | null> & { id: string; cursor_at: string };

const BATCH = 2_000;

function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Activities matching `where` as CSV or NDJSON, oldest first, read in keyset-paged batches of a
 * few thousand rows (created_at, id), so memory stays flat however many rows match. The stream
 * pulls the next batch only when the client has taken the previous one.
 */
export function exportStream(dataSource: DataSource, filter: { where: string[]; params: unknown[] } | null, format: ExportFormat): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield `${EXPORT_COLUMNS.join(',')}\n`;
    if (!filter) return;
    let cursor: { at: string; id: string } | null = null;
    for (;;) {
      const params = [...filter.params];
      const where = [...filter.where];
      if (cursor) where.push(`(a.created_at, a.id) > ($${params.push(cursor.at)}::timestamptz, $${params.push(cursor.id)}::uuid)`);
      const rows = (await dataSource.query(
        `SELECT a.id::text AS id, a.seq::text AS seq, to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
                to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, a.category, u.uid AS user_uid,
                a.target_uid, a.user_ip, a.user_ip_country, a.user_agent, a.topic, a.action, a.result, a.data
           FROM activities a LEFT JOIN users u ON u.id = a.user_id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY a.created_at, a.id LIMIT ${BATCH}`,
        params,
      )) as ExportRow[];
      if (!rows.length) return;
      let chunk = '';
      for (const r of rows) {
        if (format === 'csv') chunk += `${EXPORT_COLUMNS.map((c) => csvField(r[c])).join(',')}\n`;
        else chunk += `${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, r[c]])))}\n`;
      }
      yield chunk;
      if (rows.length < BATCH) return;
      const last = rows[rows.length - 1]!;
      cursor = { at: last.cursor_at, id: last.id };
    }
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 1 });
}
