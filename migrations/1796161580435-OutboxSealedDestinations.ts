import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox recipients and bodies are sealed from now on (longer than the old column allowed), counted
 * per destination by a keyed hash, and erased once delivered: rows already delivered or failed lose
 * their content here; pending ones are still sent as they are.
 */
export class OutboxSealedDestinations1796161580435 implements MigrationInterface {
  name = 'OutboxSealedDestinations1796161580435';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox_messages" ADD "destination_key" character varying(64) NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "outbox_messages" ALTER COLUMN "recipient" TYPE text`);
    await q.query(`CREATE INDEX "idx_outbox_destination" ON "outbox_messages"  ("destination_key", "created_at") `);
    await q.query(`UPDATE "outbox_messages" SET "recipient" = '', "body" = '' WHERE "status" <> 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_outbox_destination"`);
    await q.query(`ALTER TABLE "outbox_messages" ALTER COLUMN "recipient" TYPE character varying(320)`);
    await q.query(`ALTER TABLE "outbox_messages" DROP COLUMN "destination_key"`);
  }
}
