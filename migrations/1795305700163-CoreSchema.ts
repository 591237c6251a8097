import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, users, sessions, one-time tokens, the activity log and the message outbox; the default tenant. */
export class CoreSchema1795305700163 implements MigrationInterface {
  name = 'CoreSchema1795305700163';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "apps" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "slug" character varying(64) NOT NULL, "name" character varying(255) NOT NULL, CONSTRAINT "PK_c5121fda0f8268f1f7f84134e19" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_apps_slug" ON "apps"  ("slug") `);
    await q.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_id" uuid NOT NULL, "uid" character varying(16) NOT NULL, "email" character varying(255) NOT NULL, "username" character varying(32), "password_digest" text, "role" character varying(64) NOT NULL DEFAULT 'member', "data" text, "level" integer NOT NULL DEFAULT '0', "otp" boolean NOT NULL DEFAULT false, "state" character varying(32) NOT NULL DEFAULT 'pending', "referral_id" uuid, CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_users_uid" ON "users"  ("uid") `);
    await q.query(`CREATE INDEX "idx_users_role" ON "users"  ("role") `);
    await q.query(`CREATE INDEX "idx_users_state" ON "users"  ("state") `);
    await q.query(`CREATE INDEX "idx_users_created_at" ON "users"  ("created_at") `);
    await q.query(`CREATE UNIQUE INDEX "uq_users_app_username" ON "users"  ("app_id", "username") `);
    await q.query(`CREATE UNIQUE INDEX "uq_users_app_email" ON "users"  ("app_id", "email") `);
    await q.query(`CREATE TABLE "activities" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "user_id" uuid, "target_uid" character varying(16), "category" character varying(8) NOT NULL, "user_ip" character varying(64) NOT NULL, "user_ip_country" character varying(64), "user_agent" text NOT NULL DEFAULT '', "topic" character varying(64) NOT NULL, "action" character varying(64) NOT NULL, "result" character varying(16) NOT NULL, "data" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f4004429f731ffb9c88eb486a8" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_activities_created" ON "activities"  ("created_at") `);
    await q.query(`CREATE INDEX "idx_activities_target_created" ON "activities"  ("target_uid", "created_at") `);
    await q.query(`CREATE INDEX "idx_activities_topic_created" ON "activities"  ("topic", "created_at") `);
    await q.query(`CREATE INDEX "idx_activities_category_created" ON "activities"  ("category", "created_at") `);
    await q.query(`CREATE INDEX "idx_activities_user_created" ON "activities"  ("user_id", "created_at") `);
    await q.query(`CREATE TABLE "outbox_messages" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "channel" character varying(8) NOT NULL, "recipient" character varying(320) NOT NULL, "subject" character varying(255) NOT NULL DEFAULT '', "body" text NOT NULL, "template" character varying(64) NOT NULL DEFAULT '', "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_outbox_due" ON "outbox_messages"  ("status", "next_attempt_at") `);
    await q.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "csrf_token" character varying(64) NOT NULL, "user_ip" character varying(64) NOT NULL, "user_agent" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_sessions_token_hash" ON "sessions"  ("token_hash") `);
    await q.query(`CREATE INDEX "idx_sessions_user" ON "sessions"  ("user_id") `);
    await q.query(`CREATE TABLE "user_tokens" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "user_id" uuid NOT NULL, "purpose" character varying(32) NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_63764db9d9aaa4af33e07b2f4bf" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_user_tokens_hash" ON "user_tokens"  ("token_hash") `);
    await q.query(`CREATE INDEX "idx_user_tokens_user_purpose" ON "user_tokens"  ("user_id", "purpose") `);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_d09943c291663c7fc13686e5486" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_83acdbbbbc697d40a2c03bab920" FOREIGN KEY ("referral_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activities" ADD CONSTRAINT "FK_b82f1d8368dd5305ae7e7e664c2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "user_tokens" ADD CONSTRAINT "FK_9e144a67be49e5bba91195ef5de" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`INSERT INTO "apps" ("id", "slug", "name") VALUES ('00000000-0000-7000-8000-000000000001', 'default', 'Default')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "user_tokens" DROP CONSTRAINT "FK_9e144a67be49e5bba91195ef5de"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"`);
    await q.query(`ALTER TABLE "activities" DROP CONSTRAINT "FK_b82f1d8368dd5305ae7e7e664c2"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_83acdbbbbc697d40a2c03bab920"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_d09943c291663c7fc13686e5486"`);
    await q.query(`DROP INDEX "public"."idx_user_tokens_user_purpose"`);
    await q.query(`DROP INDEX "public"."uq_user_tokens_hash"`);
    await q.query(`DROP TABLE "user_tokens"`);
    await q.query(`DROP INDEX "public"."idx_sessions_user"`);
    await q.query(`DROP INDEX "public"."uq_sessions_token_hash"`);
    await q.query(`DROP TABLE "sessions"`);
    await q.query(`DROP INDEX "public"."idx_outbox_due"`);
    await q.query(`DROP TABLE "outbox_messages"`);
    await q.query(`DROP INDEX "public"."idx_activities_user_created"`);
    await q.query(`DROP INDEX "public"."idx_activities_category_created"`);
    await q.query(`DROP INDEX "public"."idx_activities_topic_created"`);
    await q.query(`DROP INDEX "public"."idx_activities_target_created"`);
    await q.query(`DROP INDEX "public"."idx_activities_created"`);
    await q.query(`DROP TABLE "activities"`);
    await q.query(`DROP INDEX "public"."uq_users_app_email"`);
    await q.query(`DROP INDEX "public"."uq_users_app_username"`);
    await q.query(`DROP INDEX "public"."idx_users_created_at"`);
    await q.query(`DROP INDEX "public"."idx_users_state"`);
    await q.query(`DROP INDEX "public"."idx_users_role"`);
    await q.query(`DROP INDEX "public"."uq_users_uid"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP INDEX "public"."uq_apps_slug"`);
    await q.query(`DROP TABLE "apps"`);
  }
}
