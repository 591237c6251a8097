import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformFace1796161971779 implements MigrationInterface {
  name = 'PlatformFace1796161971779';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "platform_oauth_providers" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "provider" character varying(16) NOT NULL, "client_id" character varying(512) NOT NULL, "client_secret_sealed" text NOT NULL, "redirect_urls" jsonb NOT NULL DEFAULT '[]', CONSTRAINT "PK_53cc66f59c2cc076efe591c13d3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_oauth_providers_app_provider" ON "platform_oauth_providers"  ("app_id", "provider") `);
    await q.query(`CREATE TABLE "platform_oauth_states" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "state_hash" character varying(64) NOT NULL, "provider" character varying(16) NOT NULL, "login_redirect_url" text NOT NULL DEFAULT '', "registration_redirect_url" text NOT NULL DEFAULT '', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f0541f3380add4684003a7e4d40" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_oauth_states_hash" ON "platform_oauth_states"  ("state_hash") `);
    await q.query(`CREATE TABLE "platform_oauth_tokens" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "provider" character varying(16) NOT NULL, "provider_subject" character varying(255) NOT NULL, "email_id" uuid, "idp_tokens_sealed" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_031802d7c53e26aba396ee1b581" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_oauth_tokens_hash" ON "platform_oauth_tokens"  ("token_hash") `);
    await q.query(`CREATE TABLE "platform_otp_codes" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "method_id" uuid NOT NULL, "method_type" character varying(16) NOT NULL, "code_hash" character varying(64) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3ebba9ef3adaac573c7b6cbf266" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_otp_codes_user" ON "platform_otp_codes"  ("user_id") `);
    await q.query(`CREATE INDEX "idx_platform_otp_codes_method" ON "platform_otp_codes"  ("method_id", "expires_at") `);
    await q.query(`CREATE TABLE "platform_sessions" ("id" uuid NOT NULL, "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_active_at" TIMESTAMP WITH TIME ZONE NOT NULL, "factors" jsonb NOT NULL DEFAULT '[]', "user_agent" character varying(512) NOT NULL DEFAULT '', "ip" character varying(512) NOT NULL DEFAULT '', "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_76bf34c31618cf39430b131a332" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_sessions_token_hash" ON "platform_sessions"  ("token_hash") `);
    await q.query(`CREATE INDEX "idx_platform_sessions_user" ON "platform_sessions"  ("user_id", "expires_at") `);
    await q.query(`CREATE TABLE "platform_signing_keys" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "kid" character varying(64) NOT NULL, "public_jwk" jsonb NOT NULL, "private_key_sealed" text NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1389bd73b0332fa84d9de873a0a" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_signing_keys_kid" ON "platform_signing_keys"  ("kid") `);
    await q.query(`CREATE INDEX "idx_platform_signing_keys_app" ON "platform_signing_keys"  ("app_id", "created_at") `);
    await q.query(`CREATE TABLE "platform_totps" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "secret_sealed" text NOT NULL, "recovery_codes_sealed" text NOT NULL, "verified" boolean NOT NULL DEFAULT false, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_step" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_3bd2331a6d6511ab6e141d866ac" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_totps_user" ON "platform_totps"  ("user_id") `);
    await q.query(`CREATE TABLE "platform_users" ("id" uuid NOT NULL, "app_id" uuid NOT NULL, "first_name" character varying(255) NOT NULL DEFAULT '', "middle_name" character varying(255) NOT NULL DEFAULT '', "last_name" character varying(255) NOT NULL DEFAULT '', "status" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_69bfedb2b67d1014d7b7741f5b4" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_users_app_updated" ON "platform_users"  ("app_id", "updated_at") `);
    await q.query(`CREATE INDEX "idx_platform_users_app_created" ON "platform_users"  ("app_id", "created_at") `);
    await q.query(`CREATE INDEX "idx_platform_users_app_status" ON "platform_users"  ("app_id", "status", "id") `);
    await q.query(`CREATE INDEX "idx_platform_users_app_id" ON "platform_users"  ("app_id", "id") `);
    await q.query(`CREATE TABLE "platform_emails" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "email" character varying(255) NOT NULL, "verified" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_73621b6dbd98d5ac659a73f040a" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_emails_user" ON "platform_emails"  ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_emails_app_email" ON "platform_emails"  ("app_id", "email") `);
    await q.query(`CREATE TABLE "platform_phone_numbers" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "phone_number" character varying(32) NOT NULL, "verified" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_eb6c843780967aaec8ae9afdbf6" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_phone_numbers_user" ON "platform_phone_numbers"  ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_phone_numbers_app_phone" ON "platform_phone_numbers"  ("app_id", "phone_number") `);
    await q.query(`CREATE TABLE "platform_webauthn_credentials" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "credential_id" character varying(512) NOT NULL, "public_key" text NOT NULL, CONSTRAINT "PK_a3fa5defe26383a27186e71208d" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_webauthn_credentials_user" ON "platform_webauthn_credentials"  ("user_id") `);
    await q.query(`CREATE TABLE "platform_wallets" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "public_address" character varying(128) NOT NULL, "wallet_type" character varying(8) NOT NULL, "verified" boolean NOT NULL DEFAULT true, "is_default" boolean NOT NULL DEFAULT false, "is_read_only" boolean NOT NULL DEFAULT false, "is_imported" boolean NOT NULL DEFAULT false, "private_key_sealed" text, CONSTRAINT "PK_5bc7f8ff29e12d09441a7048168" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_wallets_app" ON "platform_wallets"  ("app_id", "id") `);
    await q.query(`CREATE INDEX "idx_platform_wallets_user" ON "platform_wallets"  ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_platform_wallets_app_address" ON "platform_wallets"  ("app_id", "wallet_type", "public_address") `);
    await q.query(`CREATE TABLE "platform_wallet_registrations" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "public_address" character varying(128) NOT NULL, "wallet_type" character varying(8) NOT NULL, "challenge" character varying(512) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e3acfff3bab2bddd2501c3ff1a5" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_wallet_registrations_address" ON "platform_wallet_registrations"  ("app_id", "wallet_type", "public_address") `);
    await q.query(`CREATE TABLE "platform_balances" ("wallet_id" uuid NOT NULL, "currency" character varying(8) NOT NULL, "amount" numeric(78,0) NOT NULL DEFAULT '0', CONSTRAINT "chk_platform_balances_non_negative" CHECK ("amount" >= 0), CONSTRAINT "PK_1c333b71eff40cb28fec276da9a" PRIMARY KEY ("wallet_id", "currency"))`);
    await q.query(`CREATE TABLE "platform_ledger_entries" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "transfer_id" uuid, "account" character varying(200) NOT NULL, "currency" character varying(8) NOT NULL, "amount" numeric(78,0) NOT NULL, CONSTRAINT "PK_d28b25af93579f0a8b27abfdfd6" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_ledger_entries_account" ON "platform_ledger_entries"  ("account") `);
    await q.query(`CREATE INDEX "idx_platform_ledger_entries_transfer" ON "platform_ledger_entries"  ("transfer_id") `);
    await q.query(`CREATE TABLE "platform_transfers" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "user_id" uuid NOT NULL, "status" character varying(16) NOT NULL, "source_wallet_id" uuid NOT NULL, "source_amount" numeric(78,0) NOT NULL, "source_currency" character varying(8) NOT NULL, "dest" character varying(200) NOT NULL, "dest_amount" numeric(78,0) NOT NULL, "dest_currency" character varying(8) NOT NULL, "total_fees" numeric(78,0) NOT NULL, "notes" text NOT NULL DEFAULT '', "blockchain_tx_hash" character varying(128) NOT NULL DEFAULT '', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_401e4544ef5630271b7faad8d46" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_platform_transfers_source" ON "platform_transfers"  ("source_wallet_id", "id") `);
    await q.query(`CREATE INDEX "idx_platform_transfers_user" ON "platform_transfers"  ("app_id", "user_id", "id") `);
    await q.query(`CREATE INDEX "idx_platform_transfers_app" ON "platform_transfers"  ("app_id", "status", "id") `);
    await q.query(`ALTER TABLE "apps" ADD "secret_key_hash" character varying(64)`);
    await q.query(`ALTER TABLE "apps" ADD "public_token" character varying(64)`);
    await q.query(`ALTER TABLE "apps" ADD "status" character varying(16) NOT NULL DEFAULT 'active'`);
    await q.query(`ALTER TABLE "apps" ADD "secret_rotated_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE UNIQUE INDEX "uq_apps_secret_key_hash" ON "apps"  ("secret_key_hash") `);
    await q.query(`CREATE UNIQUE INDEX "uq_apps_public_token" ON "apps"  ("public_token") `);
    // Fuzzy users/search (email_match, phone_number_match) on trigram indexes.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX "idx_platform_emails_email_trgm" ON "platform_emails" USING gin ("email" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "idx_platform_phone_numbers_trgm" ON "platform_phone_numbers" USING gin ("phone_number" gin_trgm_ops)`);
    // Tenant apps are managed by superadmins only: every other role a rule would let in is refused.
    await q.query(
      `INSERT INTO "permissions" ("role", "verb", "path", "action")
       SELECT DISTINCT "role", 'ALL', 'api/v2/barong/admin/apps', 'DROP' FROM "permissions"
        WHERE "role" <> 'superadmin' AND "action" = 'ACCEPT' AND 'api/v2/barong/admin/apps' LIKE "path" || '%'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "permissions" WHERE "path" = 'api/v2/barong/admin/apps' AND "action" = 'DROP'`);
    await q.query(`DROP INDEX "public"."idx_platform_phone_numbers_trgm"`);
    await q.query(`DROP INDEX "public"."idx_platform_emails_email_trgm"`);
    await q.query(`DROP INDEX "public"."uq_apps_public_token"`);
    await q.query(`DROP INDEX "public"."uq_apps_secret_key_hash"`);
    await q.query(`ALTER TABLE "apps" DROP COLUMN "secret_rotated_at"`);
    await q.query(`ALTER TABLE "apps" DROP COLUMN "status"`);
    await q.query(`ALTER TABLE "apps" DROP COLUMN "public_token"`);
    await q.query(`ALTER TABLE "apps" DROP COLUMN "secret_key_hash"`);
    await q.query(`DROP INDEX "public"."idx_platform_transfers_app"`);
    await q.query(`DROP INDEX "public"."idx_platform_transfers_user"`);
    await q.query(`DROP INDEX "public"."idx_platform_transfers_source"`);
    await q.query(`DROP TABLE "platform_transfers"`);
    await q.query(`DROP INDEX "public"."idx_platform_ledger_entries_transfer"`);
    await q.query(`DROP INDEX "public"."idx_platform_ledger_entries_account"`);
    await q.query(`DROP TABLE "platform_ledger_entries"`);
    await q.query(`DROP TABLE "platform_balances"`);
    await q.query(`DROP INDEX "public"."idx_platform_wallet_registrations_address"`);
    await q.query(`DROP TABLE "platform_wallet_registrations"`);
    await q.query(`DROP INDEX "public"."uq_platform_wallets_app_address"`);
    await q.query(`DROP INDEX "public"."idx_platform_wallets_user"`);
    await q.query(`DROP INDEX "public"."idx_platform_wallets_app"`);
    await q.query(`DROP TABLE "platform_wallets"`);
    await q.query(`DROP INDEX "public"."idx_platform_webauthn_credentials_user"`);
    await q.query(`DROP TABLE "platform_webauthn_credentials"`);
    await q.query(`DROP INDEX "public"."uq_platform_phone_numbers_app_phone"`);
    await q.query(`DROP INDEX "public"."idx_platform_phone_numbers_user"`);
    await q.query(`DROP TABLE "platform_phone_numbers"`);
    await q.query(`DROP INDEX "public"."uq_platform_emails_app_email"`);
    await q.query(`DROP INDEX "public"."idx_platform_emails_user"`);
    await q.query(`DROP TABLE "platform_emails"`);
    await q.query(`DROP INDEX "public"."idx_platform_users_app_id"`);
    await q.query(`DROP INDEX "public"."idx_platform_users_app_status"`);
    await q.query(`DROP INDEX "public"."idx_platform_users_app_created"`);
    await q.query(`DROP INDEX "public"."idx_platform_users_app_updated"`);
    await q.query(`DROP TABLE "platform_users"`);
    await q.query(`DROP INDEX "public"."idx_platform_totps_user"`);
    await q.query(`DROP TABLE "platform_totps"`);
    await q.query(`DROP INDEX "public"."idx_platform_signing_keys_app"`);
    await q.query(`DROP INDEX "public"."uq_platform_signing_keys_kid"`);
    await q.query(`DROP TABLE "platform_signing_keys"`);
    await q.query(`DROP INDEX "public"."idx_platform_sessions_user"`);
    await q.query(`DROP INDEX "public"."uq_platform_sessions_token_hash"`);
    await q.query(`DROP TABLE "platform_sessions"`);
    await q.query(`DROP INDEX "public"."idx_platform_otp_codes_method"`);
    await q.query(`DROP INDEX "public"."idx_platform_otp_codes_user"`);
    await q.query(`DROP TABLE "platform_otp_codes"`);
    await q.query(`DROP INDEX "public"."uq_platform_oauth_tokens_hash"`);
    await q.query(`DROP TABLE "platform_oauth_tokens"`);
    await q.query(`DROP INDEX "public"."uq_platform_oauth_states_hash"`);
    await q.query(`DROP TABLE "platform_oauth_states"`);
    await q.query(`DROP INDEX "public"."uq_platform_oauth_providers_app_provider"`);
    await q.query(`DROP TABLE "platform_oauth_providers"`);
  }
}
