import { MigrationInterface, QueryRunner } from 'typeorm';

export class OtpApiKeysServiceAccounts1795306780131 implements MigrationInterface {
  name = 'OtpApiKeysServiceAccounts1795306780131';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "service_accounts" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "uid" character varying(16) NOT NULL, "owner_id" uuid, "email" character varying(255) NOT NULL, "role" character varying(64) NOT NULL DEFAULT 'service_account', "level" integer NOT NULL DEFAULT '0', "state" character varying(32) NOT NULL DEFAULT 'pending', CONSTRAINT "PK_e2fb216fdc1db94c5e4da7d88fa" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_service_accounts_uid" ON "service_accounts"  ("uid") `);
    await q.query(`CREATE UNIQUE INDEX "uq_service_accounts_email" ON "service_accounts"  ("email") `);
    await q.query(`CREATE INDEX "idx_service_accounts_state" ON "service_accounts"  ("state") `);
    await q.query(`CREATE INDEX "idx_service_accounts_owner" ON "service_accounts"  ("owner_id") `);
    await q.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid, "service_account_id" uuid, "kid" character varying(16) NOT NULL, "algorithm" character varying(16) NOT NULL DEFAULT 'HS256', "scope" text array NOT NULL DEFAULT '{}', "secret_sealed" text NOT NULL, "state" character varying(16) NOT NULL DEFAULT 'active', CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_api_keys_kid" ON "api_keys"  ("kid") `);
    await q.query(`CREATE INDEX "idx_api_keys_service_account" ON "api_keys"  ("service_account_id") `);
    await q.query(`CREATE INDEX "idx_api_keys_user" ON "api_keys"  ("user_id") `);
    await q.query(`CREATE TABLE "otp_recovery_codes" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "user_id" uuid NOT NULL, "code_sealed" text NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dfc98dbdc32c3d012848b10f962" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_otp_recovery_codes_user" ON "otp_recovery_codes"  ("user_id") `);
    await q.query(`CREATE TABLE "otp_secrets" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "secret_sealed" text NOT NULL, "state" character varying(16) NOT NULL DEFAULT 'pending', "last_used_step" integer, "enabled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_22c6360cbc790d2a87b56e776cb" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_otp_secrets_user" ON "otp_secrets"  ("user_id") `);
    await q.query(`ALTER TABLE "service_accounts" ADD CONSTRAINT "FK_1544cbc6ae719162853c400d34c" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_a3baee01d8408cd3c0f89a9a973" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_8c7febb598041447e7474ba66d2" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "otp_recovery_codes" ADD CONSTRAINT "FK_82465af3f9cf6ad7f117baaec3c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "otp_secrets" ADD CONSTRAINT "FK_1e358198aa18f16490c4fac182f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "otp_secrets" DROP CONSTRAINT "FK_1e358198aa18f16490c4fac182f"`);
    await q.query(`ALTER TABLE "otp_recovery_codes" DROP CONSTRAINT "FK_82465af3f9cf6ad7f117baaec3c"`);
    await q.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_8c7febb598041447e7474ba66d2"`);
    await q.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_a3baee01d8408cd3c0f89a9a973"`);
    await q.query(`ALTER TABLE "service_accounts" DROP CONSTRAINT "FK_1544cbc6ae719162853c400d34c"`);
    await q.query(`DROP INDEX "public"."uq_otp_secrets_user"`);
    await q.query(`DROP TABLE "otp_secrets"`);
    await q.query(`DROP INDEX "public"."idx_otp_recovery_codes_user"`);
    await q.query(`DROP TABLE "otp_recovery_codes"`);
    await q.query(`DROP INDEX "public"."idx_api_keys_user"`);
    await q.query(`DROP INDEX "public"."idx_api_keys_service_account"`);
    await q.query(`DROP INDEX "public"."uq_api_keys_kid"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP INDEX "public"."idx_service_accounts_owner"`);
    await q.query(`DROP INDEX "public"."idx_service_accounts_state"`);
    await q.query(`DROP INDEX "public"."uq_service_accounts_email"`);
    await q.query(`DROP INDEX "public"."uq_service_accounts_uid"`);
    await q.query(`DROP TABLE "service_accounts"`);
  }
}
