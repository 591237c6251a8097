import { MigrationInterface, QueryRunner } from 'typeorm';

type Rule = [role: string, verb: string, path: string, action: string];

/** The standard user set Barong gives every trading role. */
const userSet = (role: string): Rule[] => [
  [role, 'ALL', 'api/v2/peatio/account', 'ACCEPT'],
  [role, 'ALL', 'api/v2/peatio/market', 'ACCEPT'],
  [role, 'ALL', 'api/v2/finex/market', 'ACCEPT'],
  [role, 'ALL', 'api/v2/barong/resource', 'ACCEPT'],
];

/** "we are watching after you 0_0": every write of an admin-ish role is audited. */
const audits = (role: string): Rule[] => [
  [role, 'POST', 'api/v2/', 'AUDIT'],
  [role, 'PUT', 'api/v2/', 'AUDIT'],
  [role, 'DELETE', 'api/v2/', 'AUDIT'],
];

/** Barong's config/seeds.yml permissions, in file order, plus `reporter` (3.0) and `auditor`. */
const RULES: Rule[] = [
  // superadmin: the whole system
  ['superadmin', 'ALL', 'api/v2', 'ACCEPT'],
  ['superadmin', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ...audits('superadmin'),

  // admin: nearly everything, except permissions, roles and admin activities
  ['admin', 'ALL', 'api/v2', 'ACCEPT'],
  ['admin', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ['admin', 'GET', 'api/v2/open_finance', 'ACCEPT'],
  ['admin', 'ALL', 'api/v2/barong/admin/permissions', 'DROP'],
  ['admin', 'ALL', 'api/v2/barong/admin/users/role', 'DROP'],
  ['admin', 'ALL', 'api/v2/barong/admin/activities/admin', 'DROP'],
  ...audits('admin'),

  // accountant: read Barong admin and Peatio finance, create adjustments
  ['accountant', 'GET', 'api/v2/barong/admin', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/members', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/beneficiaries', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/currencies', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/blockchains', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/orders', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/markets', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/engine', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/trades', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/deposits', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/withdraws', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/adjustments', 'ACCEPT'],
  ['accountant', 'POST', 'api/v2/peatio/admin/adjustments/new', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/assets', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/liabilities', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/revenues', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/peatio/admin/expenses', 'ACCEPT'],
  ['accountant', 'GET', 'api/v2/barong/admin/users/documents/pending', 'DROP'],
  ['accountant', 'ALL', 'api/v2/barong/admin/users/role', 'DROP'],
  ['accountant', 'ALL', 'api/v2/barong/admin/permissions', 'DROP'],
  ['accountant', 'ALL', 'api/v2/barong/admin/activities/admin', 'DROP'],
  ...audits('accountant'),
  ...userSet('accountant'),
  ['accountant', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ['accountant', 'ALL', 'api/v2/applogic', 'ACCEPT'],
  ['accountant', 'ALL', 'api/v2/peatio/admin/abilities', 'ACCEPT'],
  ['accountant', 'ALL', 'api/v2/barong/admin/abilities', 'ACCEPT'],

  // compliance: read Barong admin, manage users, no configuration
  ['compliance', 'GET', 'api/v2/barong/admin', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/members', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/beneficiaries', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/currencies', 'ACCEPT'],
  ['compliance', 'ALL', 'api/v2/barong/admin/users', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/deposits', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/withdraws', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/assets', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/liabilities', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/expenses', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/markets', 'ACCEPT'],
  ['compliance', 'GET', 'api/v2/peatio/admin/engine', 'ACCEPT'],
  ['compliance', 'ALL', 'api/v2/peatio/admin/adjustments', 'DROP'],
  ['compliance', 'ALL', 'api/v2/peatio/admin/revenues', 'DROP'],
  ['compliance', 'ALL', 'api/v2/peatio/admin/blockchains', 'DROP'],
  ['compliance', 'ALL', 'api/v2/peatio/admin/wallets', 'DROP'],
  ['compliance', 'ALL', 'api/v2/peatio/admin/trading_fees', 'DROP'],
  ['compliance', 'ALL', 'api/v2/peatio/admin/withdraw_limits', 'DROP'],
  ['compliance', 'ALL', 'api/v2/barong/admin/restrictions', 'DROP'],
  ['compliance', 'ALL', 'api/v2/barong/admin/users/role', 'DROP'],
  ['compliance', 'ALL', 'api/v2/barong/admin/activities/admin', 'DROP'],
  ['compliance', 'ALL', 'api/v2/barong/admin/permissions', 'DROP'],
  ...audits('compliance'),
  ...userSet('compliance'),
  ['compliance', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ['compliance', 'ALL', 'api/v2/applogic', 'ACCEPT'],
  ['compliance', 'ALL', 'api/v2/peatio/admin/abilities', 'ACCEPT'],
  ['compliance', 'ALL', 'api/v2/barong/admin/abilities', 'ACCEPT'],

  // technical: read admin, configure Peatio, manage restrictions
  ['technical', 'GET', 'api/v2/barong/admin', 'ACCEPT'],
  ['technical', 'GET', 'api/v2/peatio/admin', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/blockchains', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/currencies', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/markets', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/wallets', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/trading_fees', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/withdraw_limits', 'ACCEPT'],
  ['technical', 'DELETE', 'api/v2/finex/admin/bulk/orders_by_id', 'ACCEPT'],
  ['technical', 'POST', 'api/v2/finex/admin/orders/cancel', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/barong/admin/restrictions', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/deposits', 'DROP'],
  ['technical', 'ALL', 'api/v2/peatio/admin/withdraws', 'DROP'],
  ['technical', 'ALL', 'api/v2/peatio/admin/adjustments', 'DROP'],
  ['technical', 'GET', 'api/v2/open_finance', 'ACCEPT'],
  ['technical', 'GET', 'api/v2/barong/admin/users/documents/pending', 'DROP'],
  ['technical', 'ALL', 'api/v2/barong/admin/activities/admin', 'DROP'],
  ['technical', 'ALL', 'api/v2/barong/admin/permissions', 'DROP'],
  ...audits('technical'),
  ...userSet('technical'),
  ['technical', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/applogic', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/peatio/admin/abilities', 'ACCEPT'],
  ['technical', 'ALL', 'api/v2/barong/admin/abilities', 'ACCEPT'],

  // support: read-only admin, may disable 2FA
  ['support', 'GET', 'api/v2/barong/admin', 'ACCEPT'],
  ['support', 'GET', 'api/v2/peatio/admin', 'ACCEPT'],
  ['support', 'ALL', 'api/v2/peatio/admin/adjustments', 'DROP'],
  ['support', 'ALL', 'api/v2/peatio/admin/revenues', 'DROP'],
  ['support', 'ALL', 'api/v2/peatio/admin/blockchains', 'DROP'],
  ['support', 'ALL', 'api/v2/peatio/admin/wallets', 'DROP'],
  ['support', 'ALL', 'api/v2/peatio/admin/trading_fees', 'DROP'],
  ['support', 'ALL', 'api/v2/peatio/admin/withdraw_limits', 'DROP'],
  ['support', 'ALL', 'api/v2/barong/admin/restrictions', 'DROP'],
  ['support', 'POST', 'api/v2/barong/admin/users/update', 'ACCEPT'],
  ['support', 'ALL', 'api/v2/barong/admin/activities/admin', 'DROP'],
  ['support', 'ALL', 'api/v2/barong/admin/permissions', 'DROP'],
  ...audits('support'),
  ...userSet('support'),
  ['support', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ['support', 'ALL', 'api/v2/applogic', 'ACCEPT'],
  ['support', 'ALL', 'api/v2/peatio/admin/abilities', 'ACCEPT'],
  ['support', 'ALL', 'api/v2/barong/admin/abilities', 'ACCEPT'],

  // trader, broker, member, maker: the user set
  ...(['trader', 'broker', 'member', 'maker'] as const).flatMap((role): Rule[] => [
    ...userSet(role),
    [role, 'GET', 'api/v2/ranger', 'ACCEPT'],
    [role, 'GET', 'api/v2/open_finance', 'ACCEPT'],
    [role, 'ALL', 'api/v2/applogic', 'ACCEPT'],
  ]),

  // sa_maker (service accounts): the user set minus credentials, KYC and money movements
  ...userSet('sa_maker'),
  ['sa_maker', 'ALL', 'api/v2/barong/resource/otp', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/barong/resource/phones', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/barong/resource/profiles', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/barong/resource/documents', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/barong/resource/addresses', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/applogic/private/tenants', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/barong/resource/api_keys', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/barong/resource/users/password', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/peatio/account/deposit_address', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/peatio/account/withdraws', 'DROP'],
  ['sa_maker', 'ALL', 'api/v2/peatio/account/beneficiaries', 'DROP'],
  ['sa_maker', 'GET', 'api/v2/open_finance', 'ACCEPT'],
  ['sa_maker', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ['sa_maker', 'ALL', 'api/v2/applogic', 'ACCEPT'],

  // reporter (Barong 3.0): read-only admin, like its abilities (read Ability, User, Level, Label, Profile, Activity)
  ['reporter', 'GET', 'api/v2/barong/admin', 'ACCEPT'],
  ['reporter', 'GET', 'api/v2/peatio/admin', 'ACCEPT'],
  ['reporter', 'ALL', 'api/v2/barong/admin/users/role', 'DROP'],
  ['reporter', 'ALL', 'api/v2/barong/admin/permissions', 'DROP'],
  ['reporter', 'ALL', 'api/v2/barong/admin/activities/admin', 'DROP'],
  ...audits('reporter'),
  ...userSet('reporter'),
  ['reporter', 'GET', 'api/v2/ranger', 'ACCEPT'],
  ['reporter', 'ALL', 'api/v2/applogic', 'ACCEPT'],
  ['reporter', 'ALL', 'api/v2/peatio/admin/abilities', 'ACCEPT'],
  ['reporter', 'ALL', 'api/v2/barong/admin/abilities', 'ACCEPT'],

  // auditor: reads the activity logs (user and admin) and nothing else
  ['auditor', 'GET', 'api/v2/barong/admin/activities', 'ACCEPT'],
];

/**
 * The permissions table (Barong's RBAC), seeded with Barong's roles and rules, and a trigger that
 * notifies `permissions_changed` on every change so each instance recompiles its matcher at once.
 */
export class Permissions1795306521789 implements MigrationInterface {
  name = 'Permissions1795306521789';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "permissions" ("id" integer GENERATED BY DEFAULT AS IDENTITY NOT NULL, "role" character varying(64) NOT NULL, "verb" character varying(16) NOT NULL, "path" character varying(255) NOT NULL, "action" character varying(16) NOT NULL, "topic" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_920331560282b8bd21bb02290df" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_permissions_role" ON "permissions"  ("role") `);
    await q.query(`CREATE INDEX "idx_permissions_topic" ON "permissions"  ("topic") `);
    await q.query(`CREATE FUNCTION "permissions_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('permissions_changed', '');
        RETURN NULL;
      END
    $$`);
    await q.query(`CREATE TRIGGER "permissions_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "permissions"
      FOR EACH STATEMENT EXECUTE FUNCTION "permissions_notify"()`);
    const values = RULES.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`).join(', ');
    await q.query(`INSERT INTO "permissions" ("role", "verb", "path", "action") VALUES ${values}`, RULES.flat());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "permissions_changed" ON "permissions"`);
    await q.query(`DROP FUNCTION "permissions_notify"()`);
    await q.query(`DROP INDEX "public"."idx_permissions_topic"`);
    await q.query(`DROP INDEX "public"."idx_permissions_role"`);
    await q.query(`DROP TABLE "permissions"`);
  }
}
