import { MigrationInterface, QueryRunner } from 'typeorm';

/** Roles that reach `admin/activities/*` through a broader ACCEPT but must not verify or export the log. */
const ROLES = ['admin', 'accountant', 'compliance', 'technical', 'support', 'reporter'];
const PATHS = ['api/v2/barong/admin/activities/verify', 'api/v2/barong/admin/activities/export'];

/**
 * Chain verification and export are for auditors and superadmins (whose rules already accept
 * them): the other admin roles get DROP rows. Permission explain and dry-run live under
 * `admin/permissions`, which Barong's seeds already keep to superadmin.
 */
export class AuditPermissions1796163000002 implements MigrationInterface {
  name = 'AuditPermissions1796163000002';

  async up(q: QueryRunner): Promise<void> {
    const rules = ROLES.flatMap((role) => PATHS.map((path) => [role, 'ALL', path, 'DROP']));
    const values = rules.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`).join(', ');
    await q.query(`INSERT INTO "permissions" ("role", "verb", "path", "action") VALUES ${values}`, rules.flat());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "permissions" WHERE "action" = 'DROP' AND "verb" = 'ALL' AND "path" = ANY($1) AND "role" = ANY($2)`, [PATHS, ROLES]);
  }
}
