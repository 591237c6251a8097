import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformUserCounts1796164576500 implements MigrationInterface {
  name = 'PlatformUserCounts1796164576500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "platform_user_counts" ("app_id" uuid NOT NULL, "status" character varying(16) NOT NULL, "n" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_7c5400926d590902c232c5c77bd" PRIMARY KEY ("app_id", "status"))`);
    // Kept in step with platform_users by a trigger, in the writing transaction.
    await q.query(`
      CREATE FUNCTION platform_user_counts_track() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          UPDATE platform_user_counts SET n = n - 1 WHERE app_id = OLD.app_id AND status = OLD.status;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO platform_user_counts (app_id, status, n) VALUES (NEW.app_id, NEW.status, 1)
            ON CONFLICT (app_id, status) DO UPDATE SET n = platform_user_counts.n + 1;
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await q.query(`CREATE TRIGGER platform_user_counts_insert_delete AFTER INSERT OR DELETE ON platform_users FOR EACH ROW EXECUTE FUNCTION platform_user_counts_track()`);
    await q.query(
      `CREATE TRIGGER platform_user_counts_status AFTER UPDATE OF status, app_id ON platform_users FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.app_id IS DISTINCT FROM NEW.app_id) EXECUTE FUNCTION platform_user_counts_track()`,
    );
    await q.query(`INSERT INTO platform_user_counts (app_id, status, n) SELECT app_id, status, count(*) FROM platform_users GROUP BY app_id, status`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER platform_user_counts_status ON platform_users`);
    await q.query(`DROP TRIGGER platform_user_counts_insert_delete ON platform_users`);
    await q.query(`DROP FUNCTION platform_user_counts_track()`);
    await q.query(`DROP TABLE "platform_user_counts"`);
  }
}
