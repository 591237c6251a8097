import { MigrationInterface, QueryRunner } from 'typeorm';

/** Barong Event API events, written in the transaction of the change and published later. */
export class EventOutbox1796163000001 implements MigrationInterface {
  name = 'EventOutbox1796163000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "event_outbox" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "name" character varying(128) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c8bd4a6797caa3ebad9b40c9813" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_event_outbox_due" ON "event_outbox"  ("next_attempt_at") WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_event_outbox_due"`);
    await q.query(`DROP TABLE "event_outbox"`);
  }
}
