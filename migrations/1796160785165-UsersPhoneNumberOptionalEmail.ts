import { MigrationInterface, QueryRunner } from 'typeorm';

/** People may sign up with a phone number alone on the network and platform faces. */
export class UsersPhoneNumberOptionalEmail1796160785165 implements MigrationInterface {
  name = 'UsersPhoneNumberOptionalEmail1796160785165';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "phone_number" character varying(32)`);
    await q.query(`ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_users_app_phone_number" ON "users" ("app_id", "phone_number") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."uq_users_app_phone_number"`);
    await q.query(`ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "phone_number"`);
  }
}
