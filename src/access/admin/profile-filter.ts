import { Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { UserSections } from '../../identity/users/user-sections.js';

export interface ProfileFields {
  first_name?: string;
  last_name?: string;
  country?: string;
}

/** Batch of candidate users whose profiles are opened at a time for the name filters. */
const NAME_SCAN_BATCH = 500;

const norm = (s: unknown): string => (typeof s === 'string' ? s.trim().replace(/\s+/g, ' ').toLowerCase() : '');

/**
 * The profile-field filters of the admin user list (Barong joins `profiles` and matches the
 * fields of one profile row). The profiles module owns that table: plain columns (country) are
 * matched in SQL through an EXISTS subquery (users stay distinct, `profiles (user_id, ...)` serves
 * the probe); the names are sealed at rest, so they are matched on the admin profile views the
 * profiles module hands out, for the users the SQL filters leave. Matching is case-insensitive,
 * as Barong's MySQL collation is.
 */
@Injectable()
export class ProfileFilter {
  private columns: Set<string> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sections: UserSections,
  ) {}

  private async profileColumns(): Promise<Set<string>> {
    if (this.columns) return this.columns;
    const rows = (await this.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'profiles'`,
    )) as { column_name: string }[];
    const found = new Set(rows.map((r) => r.column_name));
    if (found.size) this.columns = found;
    return found;
  }

  /**
   * Keeps the users having a profile (with that country, when asked). False when no profile can
   * match (no profiles table yet), so the list is empty, as Barong's inner match would be.
   */
  async restrict(qb: SelectQueryBuilder<any>, alias: string, fields: ProfileFields): Promise<boolean> {
    const columns = await this.profileColumns();
    if (!columns.has('user_id')) return false;
    let condition = `p."user_id" = ${alias}."id"`;
    if (fields.country !== undefined && columns.has('country')) {
      condition += ` AND upper(p."country") = upper(:profile_country)`;
      qb.setParameter('profile_country', fields.country);
    }
    qb.andWhere(`EXISTS (SELECT 1 FROM "profiles" p WHERE ${condition})`);
    return true;
  }

  /** The ids (in the given order) of users with one profile matching every given field. */
  async matchNames(userIds: string[], fields: ProfileFields): Promise<string[]> {
    const wanted = Object.entries(fields).filter(([, v]) => v !== undefined) as [keyof ProfileFields, string][];
    const out: string[] = [];
    for (let i = 0; i < userIds.length; i += NAME_SCAN_BATCH) {
      const batch = userIds.slice(i, i + NAME_SCAN_BATCH);
      const views = await this.sections.load(['profiles'], batch, { admin: true });
      for (const id of batch) {
        const profiles = (views.get(id)?.profiles ?? []) as Record<string, unknown>[];
        if (profiles.some((p) => wanted.every(([k, v]) => norm(p[k]) === norm(v)))) out.push(id);
      }
    }
    return out;
  }
}
