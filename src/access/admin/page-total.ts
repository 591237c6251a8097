import type { EntityManager, SelectQueryBuilder } from 'typeorm';

/** Up to this many matches, `Total` is an exact count; beyond it, the planner's estimate. */
export const EXACT_TOTAL_LIMIT = 10_000;

interface ExplainRow {
  'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }];
}

/**
 * The `Total` header of an admin list without a COUNT(*) over millions of rows.
 *
 * The planner's row estimate for the filtered query comes first (one EXPLAIN, well under a
 * millisecond; for an unfiltered table it is `pg_class.reltuples` scaled to the current size).
 * When it is below EXACT_TOTAL_LIMIT the rows are counted exactly, but never more than
 * EXACT_TOTAL_LIMIT + 1 of them, so a wrong estimate cannot turn into a long scan; when the capped
 * count overflows, or the estimate is already large, the estimate is reported instead. Small and
 * selective lists (a user, an e-mail, a day) thus get exact totals; totals over tens of
 * thousands of rows are approximate, which only moves the `last` page link.
 */
export async function pageTotal(manager: EntityManager, query: SelectQueryBuilder<any>): Promise<number> {
  const base = query.clone().orderBy().offset(undefined).limit(undefined).skip(undefined).take(undefined).select('1');
  const [sql, params] = base.getQueryAndParameters();
  const plan = (await manager.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as ExplainRow[];
  const estimate = Math.round(plan[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0);
  if (estimate >= EXACT_TOTAL_LIMIT) return estimate;
  const rows = (await manager.query(`SELECT count(*)::int AS n FROM (${sql} LIMIT ${EXACT_TOTAL_LIMIT + 1}) AS capped`, params)) as { n: number }[];
  const exact = rows[0]?.n ?? 0;
  return exact > EXACT_TOTAL_LIMIT ? Math.max(estimate, exact) : exact;
}

/** Epoch seconds (inclusive bounds) as timestamps: `to` covers its whole second. */
export function epochRange(from?: number, to?: number): { from?: Date; toExclusive?: Date } {
  return {
    from: from !== undefined ? new Date(from * 1000) : undefined,
    toExclusive: to !== undefined ? new Date((to + 1) * 1000) : undefined,
  };
}
