import { MigrationInterface, QueryRunner } from 'typeorm';

/** User labels, Barong's levels (seeded 1..3), and the JWT signing keys. */
export class LabelsLevelsSigningKeys1795306152898 implements MigrationInterface {
  name = 'LabelsLevelsSigningKeys1795306152898';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "signing_keys" ("kid" character varying(64) NOT NULL, "alg" character varying(8) NOT NULL, "public_jwk" jsonb NOT NULL, "private_key_sealed" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_13362ac3e792c69417e1a53d355" PRIMARY KEY ("kid"))`);
    await q.query(`CREATE INDEX "idx_signing_keys_created" ON "signing_keys"  ("created_at") `);
    await q.query(`CREATE TABLE "labels" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "key" character varying(255) NOT NULL, "value" character varying(255) NOT NULL, "scope" character varying(16) NOT NULL DEFAULT 'public', "description" text, CONSTRAINT "PK_c0c4e97f76f1f3a268c7a70b925" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_labels_key_value" ON "labels"  ("key", "value", "scope") `);
    await q.query(`CREATE UNIQUE INDEX "uq_labels_user_key_scope" ON "labels"  ("user_id", "key", "scope") `);
    await q.query(`CREATE TABLE "levels" ("id" integer NOT NULL, "key" character varying(255) NOT NULL, "value" character varying(255) NOT NULL, "description" text NOT NULL, CONSTRAINT "PK_05f8dd8f715793c64d49e3f1901" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_levels_key_value" ON "levels"  ("key", "value") `);
    await q.query(`ALTER TABLE "labels" ADD CONSTRAINT "FK_89817c6a4a2afead69d27ead0b3" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`INSERT INTO "levels" ("id", "key", "value", "description") VALUES
      (1, 'email', 'verified', 'User clicked on the confirmation link'),
      (2, 'phone', 'verified', 'User entered a valid code from sms'),
      (3, 'document', 'verified', 'User identity was verified by a compliance officer')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "labels" DROP CONSTRAINT "FK_89817c6a4a2afead69d27ead0b3"`);
    await q.query(`DROP INDEX "public"."uq_levels_key_value"`);
    await q.query(`DROP TABLE "levels"`);
    await q.query(`DROP INDEX "public"."uq_labels_user_key_scope"`);
    await q.query(`DROP INDEX "public"."idx_labels_key_value"`);
    await q.query(`DROP TABLE "labels"`);
    await q.query(`DROP INDEX "public"."idx_signing_keys_created"`);
    await q.query(`DROP TABLE "signing_keys"`);
  }
}
