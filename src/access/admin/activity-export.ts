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

type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | null>;

const BATCH = 2_000;

function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Activities matching `where` as CSV or NDJSON, oldest first, read through a server-side cursor
 * in batches of a few thousand rows, so memory stays flat however many rows match and the whole
 * export is one consistent snapshot. The stream fetches the next batch only when the client has
 * taken the previous one; a client that goes away closes the cursor and frees the connection.
 */
export function exportStream(dataSource: DataSource, filter: { where: string[]; params: unknown[] } | null, format: ExportFormat): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield `${EXPORT_COLUMNS.join(',')}\n`;
    if (!filter) return;
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(
        `DECLARE activity_export NO SCROLL CURSOR FOR
         SELECT a.id::text AS id, a.seq::text AS seq, to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
                a.category, u.uid AS user_uid, a.target_uid, a.user_ip, a.user_ip_country, a.user_agent, a.topic, a.action, a.result, a.data
           FROM activities a LEFT JOIN users u ON u.id = a.user_id
          ${filter.where.length ? `WHERE ${filter.where.join(' AND ')}` : ''}
          ORDER BY a.created_at, a.id`,
        filter.params,
      );
      for (;;) {
        const rows = (await runner.query(`FETCH ${BATCH} FROM activity_export`)) as ExportRow[];
        if (!rows.length) break;
        let chunk = '';
        for (const r of rows) {
          if (format === 'csv') chunk += `${EXPORT_COLUMNS.map((c) => csvField(r[c])).join(',')}\n`;
          else chunk += `${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, r[c]])))}\n`;
        }
        yield chunk;
        if (rows.length < BATCH) break;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 1 });
}
