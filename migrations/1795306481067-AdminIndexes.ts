import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes behind the admin API at scale: users by e-mail across apps and by updated_at (range
 * filter and ordering), activities by (category, topic, created_at) for the admin lists, and by
 * (topic, action, result, created_at) so the metrics counts are index-only scans. Topic and
 * action depend on each other (and on the category); extended statistics tell the planner so,
 * which keeps its row estimates (and the estimated `Total` of large lists) close to the truth;
 * statistics on the UTC day of created_at let the metrics group per day with a small hash table
 * instead of sorting every counted row.
 */
export class AdminIndexes1795306481067 implements MigrationInterface {
  name = 'AdminIndexes1795306481067';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_users_email" ON "users"  ("email") `);
    await q.query(`CREATE INDEX "idx_users_updated_at" ON "users"  ("updated_at") `);
    await q.query(`CREATE INDEX "idx_activities_category_topic_created" ON "activities"  ("category", "topic", "created_at") `);
    await q.query(`CREATE INDEX "idx_activities_metrics" ON "activities"  ("topic", "action", "result", "created_at") `);
    await q.query(`CREATE STATISTICS "stx_activities_category_topic_action" (dependencies, mcv) ON "category", "topic", "action" FROM "activities"`);
    await q.query(`CREATE STATISTICS "stx_activities_created_day" ON ((created_at AT TIME ZONE 'UTC')::date) FROM "activities"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS "public"."stx_activities_created_day"`);
    await q.query(`DROP STATISTICS "public"."stx_activities_category_topic_action"`);
    await q.query(`DROP INDEX "public"."idx_activities_metrics"`);
    await q.query(`DROP INDEX "public"."idx_activities_category_topic_created"`);
    await q.query(`DROP INDEX "public"."idx_users_updated_at"`);
    await q.query(`DROP INDEX "public"."idx_users_email"`);
  }
}
