import { MigrationInterface, QueryRunner } from 'typeorm';

/** The URnetwork balance-code admin routes: superadmin and admin may use them. */
const BALANCE_CODE_RULES = [
  ['superadmin', 'ALL', 'api/v2/barong/admin/balance_codes', 'ACCEPT'],
  ['admin', 'ALL', 'api/v2/barong/admin/balance_codes', 'ACCEPT'],
];

export class NetworkFace1796162128584 implements MigrationInterface {
  name = 'NetworkFace1796162128584';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "network_sessions" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "sid_hash" character varying(64) NOT NULL, "network_id" uuid NOT NULL, "user_id" uuid NOT NULL, "via" character varying(16) NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_839fa5ea294aa52091324b072c0" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_sessions_sid_hash" ON "network_sessions"  ("sid_hash") `);
    await q.query(`CREATE INDEX "idx_network_sessions_network" ON "network_sessions"  ("network_id") `);
    await q.query(`CREATE TABLE "network_user_codes" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "user_id" uuid NOT NULL, "purpose" character varying(16) NOT NULL, "code_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8ac52f796042ce5012dd44c726b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_user_codes_hash" ON "network_user_codes"  ("code_hash") `);
    await q.query(`CREATE INDEX "idx_network_user_codes_user" ON "network_user_codes"  ("user_id", "purpose") `);
    await q.query(`CREATE TABLE "network_auth_codes" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "code_hash" character varying(64) NOT NULL, "network_id" uuid NOT NULL, "user_id" uuid NOT NULL, "session_id" uuid NOT NULL, "root_created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "uses_left" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f7fd7334e1a345f91da07d2784" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_auth_codes_hash" ON "network_auth_codes"  ("code_hash") `);
    await q.query(`CREATE INDEX "idx_network_auth_codes_network" ON "network_auth_codes"  ("network_id") `);
    await q.query(`CREATE TABLE "network_devices" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "network_id" uuid NOT NULL, "name" character varying(256) NOT NULL DEFAULT '', "spec" character varying(1024) NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d8032681835c872c561a7b7fdf5" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_network_devices_network" ON "network_devices"  ("network_id") `);
    await q.query(`CREATE TABLE "network_clients" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "network_id" uuid NOT NULL, "device_id" uuid NOT NULL, "source_client_id" uuid, "description" character varying(256) NOT NULL DEFAULT '', "device_spec" character varying(1024) NOT NULL DEFAULT '', "provide_mode" smallint NOT NULL DEFAULT '-1', "country_code" character varying(2), "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "auth_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4680f6151a274f9139ab7a3bd2f" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_network_clients_device" ON "network_clients"  ("device_id") `);
    await q.query(`CREATE INDEX "idx_network_clients_provide" ON "network_clients"  ("provide_mode") WHERE active AND provide_mode = 3`);
    await q.query(`CREATE INDEX "idx_network_clients_network_active" ON "network_clients"  ("network_id", "active") `);
    await q.query(`CREATE TABLE "network_client_slots" ("network_id" uuid NOT NULL, "active_clients" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_0718d7072515784ac6d27d28381" PRIMARY KEY ("network_id"))`);
    await q.query(`CREATE TABLE "network_device_share_codes" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "code_hash" character varying(64) NOT NULL, "code_sealed" text NOT NULL, "owner_network_id" uuid NOT NULL, "client_id" uuid NOT NULL, "device_name" character varying(256) NOT NULL DEFAULT '', "guest_network_id" uuid, "confirmed" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a5828bb4866b9db4848297f0b00" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_device_share_codes_hash" ON "network_device_share_codes"  ("code_hash") `);
    await q.query(`CREATE INDEX "idx_network_device_share_codes_owner" ON "network_device_share_codes"  ("owner_network_id") `);
    await q.query(`CREATE INDEX "idx_network_device_share_codes_guest" ON "network_device_share_codes"  ("guest_network_id") `);
    await q.query(`CREATE TABLE "network_device_adopt_codes" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "code_hash" character varying(64) NOT NULL, "code_sealed" text NOT NULL, "secret_hash" character varying(64) NOT NULL, "device_name" character varying(256) NOT NULL DEFAULT '', "device_spec" character varying(1024) NOT NULL DEFAULT '', "owner_network_id" uuid, "confirmed" boolean NOT NULL DEFAULT false, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_36e7d18d717152a3f2ada7ce2d3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_device_adopt_codes_hash" ON "network_device_adopt_codes"  ("code_hash") `);
    await q.query(`CREATE INDEX "idx_network_device_adopt_codes_owner" ON "network_device_adopt_codes"  ("owner_network_id") `);
    await q.query(`CREATE TABLE "network_device_association_names" ("association_id" uuid NOT NULL, "network_id" uuid NOT NULL, "device_name" character varying(256) NOT NULL, CONSTRAINT "PK_85fc4c0ebc92fb4ad4272cf18e7" PRIMARY KEY ("association_id", "network_id"))`);
    await q.query(`CREATE TABLE "network_networks" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "name" character varying(63) NOT NULL, "name_key" character varying(63) NOT NULL, "owner_user_id" uuid NOT NULL, "referrer_network_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_20565851f8ba1b6200780e67b6b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_networks_name_key" ON "network_networks"  ("name_key") `);
    await q.query(`CREATE INDEX "idx_network_networks_owner" ON "network_networks"  ("owner_user_id") `);
    await q.query(`CREATE INDEX "idx_network_networks_referrer" ON "network_networks"  ("referrer_network_id") `);
    await q.query(`CREATE TABLE "network_referral_codes" ("network_id" uuid NOT NULL, "code" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d9592eee61f218647bb539c797f" PRIMARY KEY ("network_id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_referral_codes_code" ON "network_referral_codes"  ("code") `);
    await q.query(`CREATE TABLE "network_preferences" ("network_id" uuid NOT NULL, "product_updates" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c909c3d3428da6b33fe1cb8d659" PRIMARY KEY ("network_id"))`);
    await q.query(`CREATE TABLE "network_feedback" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "network_id" uuid NOT NULL, "user_id" uuid NOT NULL, "uses" jsonb NOT NULL DEFAULT '{}', "needs" jsonb NOT NULL DEFAULT '{}', "star_count" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8901666bedd7044bd7c4b461b2b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_network_feedback_network" ON "network_feedback"  ("network_id") `);
    await q.query(`CREATE TABLE "network_provider_daily_stats" ("client_id" uuid NOT NULL, "day" date NOT NULL, "network_id" uuid NOT NULL, "uptime_minutes" integer NOT NULL DEFAULT '0', "transfer_bytes" bigint NOT NULL DEFAULT '0', "payout_nano_cents" bigint NOT NULL DEFAULT '0', "search_interest" integer NOT NULL DEFAULT '0', "contracts" integer NOT NULL DEFAULT '0', "clients" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_dc4dcd9fd4e8dd629982d4e7fa4" PRIMARY KEY ("client_id", "day"))`);
    await q.query(`CREATE INDEX "idx_network_provider_daily_stats_network_day" ON "network_provider_daily_stats"  ("network_id", "day") `);
    await q.query(`CREATE TABLE "network_balance_codes" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "secret_hash" character varying(64) NOT NULL, "balance_byte_count" bigint NOT NULL, "start_time" TIMESTAMP WITH TIME ZONE NOT NULL, "end_time" TIMESTAMP WITH TIME ZONE NOT NULL, "redeem_time" TIMESTAMP WITH TIME ZONE, "redeemed_by_network_id" uuid, "created_by_user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d61aadf71e93db5a67d17f15281" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_network_balance_codes_secret_hash" ON "network_balance_codes"  ("secret_hash") `);
    await q.query(`CREATE INDEX "idx_network_balance_codes_created_at" ON "network_balance_codes"  ("created_at") `);
    await q.query(`CREATE TABLE "network_transfer_balances" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "network_id" uuid NOT NULL, "balance_code_id" uuid, "start_time" TIMESTAMP WITH TIME ZONE NOT NULL, "end_time" TIMESTAMP WITH TIME ZONE NOT NULL, "start_balance_byte_count" bigint NOT NULL, "balance_byte_count" bigint NOT NULL, "net_revenue_nano_cents" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4039a0255d26e4ffc3d2dc76ea3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_network_transfer_balances_network" ON "network_transfer_balances"  ("network_id", "end_time") `);
    await q.query(`CREATE TABLE "network_subscription_payment_ids" ("id" uuid NOT NULL, "network_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2d6bd8093cce8b0c0eddf09a520" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_network_subscription_payment_ids_network" ON "network_subscription_payment_ids"  ("network_id", "created_at") `);
    await q.query(`CREATE TABLE "network_wallets" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "network_id" uuid NOT NULL, "wallet_type" character varying(16) NOT NULL, "blockchain" character varying(16) NOT NULL, "wallet_address" character varying(128) NOT NULL, "default_token_type" character varying(16) NOT NULL DEFAULT 'USDC', "circle_wallet_id" character varying(128), "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ea49e8890ffc8b72ababc8ec4c3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_network_wallets_network" ON "network_wallets"  ("network_id", "active") `);
    await q.query(`CREATE TABLE "network_payout_wallets" ("network_id" uuid NOT NULL, "wallet_id" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8a350c7cdb39f5497dcbcb3224f" PRIMARY KEY ("network_id"))`);
    for (const rule of BALANCE_CODE_RULES) await q.query(`INSERT INTO "permissions" ("role", "verb", "path", "action") VALUES ($1, $2, $3, $4)`, rule);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "permissions" WHERE "path" = 'api/v2/barong/admin/balance_codes'`);
    await q.query(`DROP TABLE "network_payout_wallets"`);
    await q.query(`DROP INDEX "public"."idx_network_wallets_network"`);
    await q.query(`DROP TABLE "network_wallets"`);
    await q.query(`DROP INDEX "public"."idx_network_subscription_payment_ids_network"`);
    await q.query(`DROP TABLE "network_subscription_payment_ids"`);
    await q.query(`DROP INDEX "public"."idx_network_transfer_balances_network"`);
    await q.query(`DROP TABLE "network_transfer_balances"`);
    await q.query(`DROP INDEX "public"."idx_network_balance_codes_created_at"`);
    await q.query(`DROP INDEX "public"."uq_network_balance_codes_secret_hash"`);
    await q.query(`DROP TABLE "network_balance_codes"`);
    await q.query(`DROP INDEX "public"."idx_network_provider_daily_stats_network_day"`);
    await q.query(`DROP TABLE "network_provider_daily_stats"`);
    await q.query(`DROP INDEX "public"."idx_network_feedback_network"`);
    await q.query(`DROP TABLE "network_feedback"`);
    await q.query(`DROP TABLE "network_preferences"`);
    await q.query(`DROP INDEX "public"."uq_network_referral_codes_code"`);
    await q.query(`DROP TABLE "network_referral_codes"`);
    await q.query(`DROP INDEX "public"."idx_network_networks_referrer"`);
    await q.query(`DROP INDEX "public"."idx_network_networks_owner"`);
    await q.query(`DROP INDEX "public"."uq_network_networks_name_key"`);
    await q.query(`DROP TABLE "network_networks"`);
    await q.query(`DROP TABLE "network_device_association_names"`);
    await q.query(`DROP INDEX "public"."idx_network_device_adopt_codes_owner"`);
    await q.query(`DROP INDEX "public"."uq_network_device_adopt_codes_hash"`);
    await q.query(`DROP TABLE "network_device_adopt_codes"`);
    await q.query(`DROP INDEX "public"."idx_network_device_share_codes_guest"`);
    await q.query(`DROP INDEX "public"."idx_network_device_share_codes_owner"`);
    await q.query(`DROP INDEX "public"."uq_network_device_share_codes_hash"`);
    await q.query(`DROP TABLE "network_device_share_codes"`);
    await q.query(`DROP TABLE "network_client_slots"`);
    await q.query(`DROP INDEX "public"."idx_network_clients_network_active"`);
    await q.query(`DROP INDEX "public"."idx_network_clients_provide"`);
    await q.query(`DROP INDEX "public"."idx_network_clients_device"`);
    await q.query(`DROP TABLE "network_clients"`);
    await q.query(`DROP INDEX "public"."idx_network_devices_network"`);
    await q.query(`DROP TABLE "network_devices"`);
    await q.query(`DROP INDEX "public"."idx_network_auth_codes_network"`);
    await q.query(`DROP INDEX "public"."uq_network_auth_codes_hash"`);
    await q.query(`DROP TABLE "network_auth_codes"`);
    await q.query(`DROP INDEX "public"."idx_network_user_codes_user"`);
    await q.query(`DROP INDEX "public"."uq_network_user_codes_hash"`);
    await q.query(`DROP TABLE "network_user_codes"`);
    await q.query(`DROP INDEX "public"."idx_network_sessions_network"`);
    await q.query(`DROP INDEX "public"."uq_network_sessions_sid_hash"`);
    await q.query(`DROP TABLE "network_sessions"`);
  }
}
