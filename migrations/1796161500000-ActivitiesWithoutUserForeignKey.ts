import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log no longer references users by foreign key: it sits below identity, and an entry
 * must never be rewritten when its user is deleted (ON DELETE SET NULL did exactly that).
 */
export class ActivitiesWithoutUserForeignKey1796161500000 implements MigrationInterface {
  name = 'ActivitiesWithoutUserForeignKey1796161500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "activities" DROP CONSTRAINT IF EXISTS "FK_b82f1d8368dd5305ae7e7e664c2"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "activities" ADD CONSTRAINT "FK_b82f1d8368dd5305ae7e7e664c2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }
}
