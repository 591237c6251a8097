import { MigrationInterface, QueryRunner } from 'typeorm';

/** KYC documents (sealed numbers, HMAC index) and phones (sealed numbers, hashed codes, retry counters). */
export class DocumentsPhones1795306785209 implements MigrationInterface {
  name = 'DocumentsPhones1795306785209';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "documents" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "upload" character varying(255) NOT NULL, "content_type" character varying(64) NOT NULL, "file_ext" character varying(8) NOT NULL, "file_size" integer NOT NULL, "doc_type" character varying(64) NOT NULL, "doc_number" text, "doc_number_index" character varying(64), "doc_expire" date, "doc_issue" date, "doc_category" character varying(16), "identificator" character varying(64) NOT NULL, "metadata" text, CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_documents_doc_number_index" ON "documents"  ("doc_number_index") `);
    await q.query(`CREATE INDEX "idx_documents_identificator" ON "documents"  ("identificator") `);
    await q.query(`CREATE INDEX "idx_documents_user_created" ON "documents"  ("user_id", "created_at") `);
    await q.query(`CREATE TABLE "phones" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "country" character varying(8) NOT NULL, "number" text NOT NULL, "number_index" character varying(64) NOT NULL, "code_digest" character varying(64), "code_sent_at" TIMESTAMP WITH TIME ZONE, "retries_send" integer NOT NULL DEFAULT '0', "retries_verify" integer NOT NULL DEFAULT '0', "validated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_30d7fc09a458d7a4d9471bda554" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_phones_verified_number" ON "phones"  ("number_index") WHERE "validated_at" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_phones_user_number" ON "phones"  ("user_id", "number_index") `);
    await q.query(`ALTER TABLE "documents" ADD CONSTRAINT "FK_c7481daf5059307842edef74d73" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "phones" ADD CONSTRAINT "FK_0c650d6af3574662fad5d2a3ef2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "phones" DROP CONSTRAINT "FK_0c650d6af3574662fad5d2a3ef2"`);
    await q.query(`ALTER TABLE "documents" DROP CONSTRAINT "FK_c7481daf5059307842edef74d73"`);
    await q.query(`DROP INDEX "public"."uq_phones_user_number"`);
    await q.query(`DROP INDEX "public"."uq_phones_verified_number"`);
    await q.query(`DROP TABLE "phones"`);
    await q.query(`DROP INDEX "public"."idx_documents_user_created"`);
    await q.query(`DROP INDEX "public"."idx_documents_identificator"`);
    await q.query(`DROP INDEX "public"."idx_documents_doc_number_index"`);
    await q.query(`DROP TABLE "documents"`);
  }
}
