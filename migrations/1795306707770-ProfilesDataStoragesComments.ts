import { MigrationInterface, QueryRunner } from 'typeorm';

/** KYC profiles (sealed PII, one open profile per user), users' data storages, and admins' comments on users. */
export class ProfilesDataStoragesComments1795306707770 implements MigrationInterface {
  name = 'ProfilesDataStoragesComments1795306707770';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "author_uid" character varying(16) NOT NULL, "title" character varying(64) NOT NULL, "data" text NOT NULL, CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_comments_user_created" ON "comments"  ("user_id", "created_at") `);
    await q.query(`CREATE TABLE "data_storages" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "title" character varying(64) NOT NULL, "data" text NOT NULL, CONSTRAINT "PK_25f8691667eac1a34d7c860b6e1" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_data_storages_user_title" ON "data_storages"  ("user_id", "title") `);
    await q.query(`CREATE TABLE "profiles" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "author" character varying(32), "applicant_id" character varying(255), "first_name_sealed" text, "last_name_sealed" text, "dob_sealed" text, "address_sealed" text, "postcode" character varying(255), "city" character varying(255), "country" character varying(255), "state" smallint NOT NULL DEFAULT '0', "metadata" text, CONSTRAINT "PK_8e520eb4da7dc01d0e190447c8e" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_profiles_user_open" ON "profiles"  ("user_id") WHERE "state" IN (0, 1)`);
    await q.query(`CREATE INDEX "idx_profiles_user" ON "profiles"  ("user_id", "created_at") `);
    await q.query(`ALTER TABLE "comments" ADD CONSTRAINT "FK_4c675567d2a58f0b07cef09c13d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "data_storages" ADD CONSTRAINT "FK_525baed34db52f08d7d4f5c5ceb" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "profiles" ADD CONSTRAINT "FK_9e432b7df0d182f8d292902d1a2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "profiles" DROP CONSTRAINT "FK_9e432b7df0d182f8d292902d1a2"`);
    await q.query(`ALTER TABLE "data_storages" DROP CONSTRAINT "FK_525baed34db52f08d7d4f5c5ceb"`);
    await q.query(`ALTER TABLE "comments" DROP CONSTRAINT "FK_4c675567d2a58f0b07cef09c13d"`);
    await q.query(`DROP INDEX "public"."idx_profiles_user"`);
    await q.query(`DROP INDEX "public"."uq_profiles_user_open"`);
    await q.query(`DROP TABLE "profiles"`);
    await q.query(`DROP INDEX "public"."uq_data_storages_user_title"`);
    await q.query(`DROP TABLE "data_storages"`);
    await q.query(`DROP INDEX "public"."idx_comments_user_created"`);
    await q.query(`DROP TABLE "comments"`);
  }
}
