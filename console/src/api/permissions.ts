import { api, BARONG } from './client';
import type { Permission } from './types';

export const PERMISSIONS = `${BARONG}/admin/permissions`;

/** The whole permissions table (a few hundred rows at most), read page by page. */
export async function wholeTable(): Promise<Permission[]> {
  const rows: Permission[] = [];
  for (let page = 1; page <= 50; page++) {
    const p = await api.page<Permission>(PERMISSIONS, { page, limit: 100 });
    rows.push(...p.items);
    if (rows.length >= p.total || p.items.length === 0) break;
  }
  return rows;
}
