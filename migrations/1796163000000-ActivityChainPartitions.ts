import { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `"id", "user_id", "target_uid", "category", "user_ip", "user_ip_country", "user_agent", "topic", "action", "result", "data", "created_at"`;

/**
 * The activity log becomes tamper-evident and partitioned:
 * - `activities` is rebuilt as a table range-partitioned by month on `created_at` (UTC months,
 *   partitions `activities_pYYYYMM`, plus `activities_default` so an insert never fails). The
 *   primary key must contain the partition column, so it becomes (id, created_at); rows, ids,
 *   the index names and the planner statistics are carried over (the list indexes gain a trailing
 *   id); the foreign key to users, if still there, goes (an entry is never rewritten when its user
 *   is deleted, and a chained entry could not be).
 * - `seq` and `hash` place each row in the hash chain once the sealer has sealed it; a partial
 *   index finds the rows still to seal.
 * - checkpoints, the chain head and the per-day rollup the metrics read.
 * - `activity_partition_ensure(month)` creates a month's partition, moving any of its rows out
 *   of the default partition first (the maintenance job calls it for the months ahead).
 */
export class ActivityChainPartitions1796163000000 implements MigrationInterface {
  name = 'ActivityChainPartitions1796163000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "activities" RENAME TO "activities_unpartitioned"`);
    // The log references users by id only (no foreign key: an entry is never rewritten when its user goes).
    await q.query(`ALTER TABLE "activities_unpartitioned" DROP CONSTRAINT IF EXISTS "FK_b82f1d8368dd5305ae7e7e664c2"`);
    await q.query(`ALTER TABLE "activities_unpartitioned" RENAME CONSTRAINT "PK_7f4004429f731ffb9c88eb486a8" TO "activities_unpartitioned_pkey"`);
    for (const index of ['created', 'target_created', 'topic_created', 'category_created', 'user_created', 'category_topic_created', 'metrics']) {
      await q.query(`DROP INDEX "public"."idx_activities_${index}"`);
    }
    await q.query(`DROP STATISTICS IF EXISTS "public"."stx_activities_created_day"`);
    await q.query(`DROP STATISTICS IF EXISTS "public"."stx_activities_category_topic_action"`);

    await q.query(`CREATE TABLE "activities" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "user_id" uuid, "target_uid" character varying(16), "category" character varying(8) NOT NULL, "user_ip" character varying(64) NOT NULL, "user_ip_country" character varying(64), "user_agent" text NOT NULL DEFAULT '', "topic" character varying(64) NOT NULL, "action" character varying(64) NOT NULL, "result" character varying(16) NOT NULL, "data" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "seq" bigint, "hash" bytea, CONSTRAINT "PK_a8e069b7444a9449716169c917f" PRIMARY KEY ("id", "created_at")) PARTITION BY RANGE ("created_at")`);
    await q.query(`CREATE TABLE "activities_default" PARTITION OF "activities" DEFAULT`);
    await q.query(`CREATE FUNCTION "activity_partition_ensure"(month_start date) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        lo timestamptz := date_trunc('month', month_start)::date::timestamp AT TIME ZONE 'UTC';
        hi timestamptz := (date_trunc('month', month_start) + interval '1 month')::date::timestamp AT TIME ZONE 'UTC';
        part text := 'activities_p' || to_char(month_start, 'YYYYMM');
      BEGIN
        IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
        -- A range that has rows in the default partition cannot be created: move them over.
        CREATE TEMP TABLE activity_partition_moving AS SELECT * FROM activities_default WHERE created_at >= lo AND created_at < hi;
        DELETE FROM activities_default WHERE created_at >= lo AND created_at < hi;
        EXECUTE format('CREATE TABLE %I PARTITION OF activities FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
        INSERT INTO activities SELECT * FROM activity_partition_moving;
        DROP TABLE activity_partition_moving;
        RETURN true;
      END
    $$`);
    // The sealer's write: one primary-key update per row (each pruned to its partition), so the
    // cost of a batch never depends on how many rows wait to be sealed.
    await q.query(`CREATE FUNCTION "activity_seal_apply"(ids uuid[], times timestamptz[], seqs bigint[], hashes bytea[]) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        sealed integer := 0;
        n integer;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
          UPDATE activities SET seq = seqs[i], hash = hashes[i] WHERE id = ids[i] AND created_at = times[i] AND seq IS NULL;
          GET DIAGNOSTICS n = ROW_COUNT;
          sealed := sealed + n;
        END LOOP;
        RETURN sealed;
      END
    $$`);
    // Partitions from the oldest row's month to three months ahead, then the rows.
    await q.query(`SELECT activity_partition_ensure(m::date) FROM generate_series(
        date_trunc('month', coalesce((SELECT min(created_at) FROM activities_unpartitioned), now() - interval '1 month') AT TIME ZONE 'UTC'),
        date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', interval '1 month') AS m`);
    await q.query(`INSERT INTO "activities" (${COLUMNS}) SELECT ${COLUMNS} FROM "activities_unpartitioned"`);
    await q.query(`DROP TABLE "activities_unpartitioned"`);

    // The list indexes end with the id: the lists order by (created_at, id), and across
    // partitions only an index with both columns lets a merge of the partitions stop after a page.
    await q.query(`CREATE INDEX "idx_activities_created" ON "activities" ("created_at", "id")`);
    await q.query(`CREATE INDEX "idx_activities_target_created" ON "activities" ("target_uid", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_activities_topic_created" ON "activities" ("topic", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_activities_category_created" ON "activities" ("category", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_activities_user_created" ON "activities" ("user_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_activities_category_topic_created" ON "activities" ("category", "topic", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_activities_metrics" ON "activities" ("topic", "action", "result", "created_at")`);
    await q.query(`CREATE INDEX "idx_activities_seq" ON "activities" ("seq")`);
    await q.query(`CREATE INDEX "idx_activities_unsealed" ON "activities" ("created_at") WHERE seq IS NULL`);
    await q.query(`CREATE STATISTICS "stx_activities_category_topic_action" (dependencies, mcv) ON "category", "topic", "action" FROM "activities"`);
    await q.query(`CREATE STATISTICS "stx_activities_created_day" ON ((created_at AT TIME ZONE 'UTC')::date) FROM "activities"`);
    await q.query(`ANALYZE "activities"`);

    await q.query(`CREATE TABLE "activity_checkpoints" ("seq" bigint NOT NULL, "hash" bytea NOT NULL, "dropped" jsonb NOT NULL DEFAULT '[]', "reason" character varying(16) NOT NULL, "mac" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_88742a8b508f8025077a6cb74f1" PRIMARY KEY ("seq"))`);
    await q.query(`CREATE TABLE "activity_chain_head" ("id" smallint NOT NULL DEFAULT '1', "seq" bigint NOT NULL, "hash" bytea NOT NULL, "mac" bytea NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_df2b92a4ae889bae0f44e4f4902" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "activity_daily_counts" ("day" date NOT NULL, "category" character varying(8) NOT NULL, "topic" character varying(64) NOT NULL, "action" character varying(64) NOT NULL, "result" character varying(16) NOT NULL, "n" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_18ee02a2254fd68ee2e86fb8702" PRIMARY KEY ("day", "category", "topic", "action", "result"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "activity_daily_counts"`);
    await q.query(`DROP TABLE "activity_chain_head"`);
    await q.query(`DROP TABLE "activity_checkpoints"`);
    await q.query(`ALTER TABLE "activities" RENAME TO "activities_partitioned"`);
    await q.query(`ALTER TABLE "activities_partitioned" RENAME CONSTRAINT "PK_a8e069b7444a9449716169c917f" TO "activities_partitioned_pkey"`);
    await q.query(`DROP STATISTICS IF EXISTS "public"."stx_activities_category_topic_action"`);
    await q.query(`DROP STATISTICS IF EXISTS "public"."stx_activities_created_day"`);
    for (const index of ['created', 'target_created', 'topic_created', 'category_created', 'user_created', 'category_topic_created', 'metrics', 'seq', 'unsealed']) {
      await q.query(`DROP INDEX "public"."idx_activities_${index}"`);
    }
    await q.query(`CREATE TABLE "activities" ("id" uuid NOT NULL DEFAULT gen_uuid_v7(), "user_id" uuid, "target_uid" character varying(16), "category" character varying(8) NOT NULL, "user_ip" character varying(64) NOT NULL, "user_ip_country" character varying(64), "user_agent" text NOT NULL DEFAULT '', "topic" character varying(64) NOT NULL, "action" character varying(64) NOT NULL, "result" character varying(16) NOT NULL, "data" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f4004429f731ffb9c88eb486a8" PRIMARY KEY ("id"))`);
    await q.query(`INSERT INTO "activities" (${COLUMNS}) SELECT ${COLUMNS} FROM "activities_partitioned"`);
    await q.query(`DROP TABLE "activities_partitioned"`);
    await q.query(`DROP FUNCTION "activity_partition_ensure"(date)`);
    await q.query(`DROP FUNCTION "activity_seal_apply"(uuid[], timestamptz[], bigint[], bytea[])`);
    await q.query(`CREATE INDEX "idx_activities_created" ON "activities" ("created_at")`);
    await q.query(`CREATE INDEX "idx_activities_target_created" ON "activities" ("target_uid", "created_at")`);
    await q.query(`CREATE INDEX "idx_activities_topic_created" ON "activities" ("topic", "created_at")`);
    await q.query(`CREATE INDEX "idx_activities_category_created" ON "activities" ("category", "created_at")`);
    await q.query(`CREATE INDEX "idx_activities_user_created" ON "activities" ("user_id", "created_at")`);
    await q.query(`CREATE INDEX "idx_activities_category_topic_created" ON "activities" ("category", "topic", "created_at")`);
    await q.query(`CREATE INDEX "idx_activities_metrics" ON "activities" ("topic", "action", "result", "created_at")`);
    await q.query(`CREATE STATISTICS "stx_activities_category_topic_action" (dependencies, mcv) ON "category", "topic", "action" FROM "activities"`);
    await q.query(`CREATE STATISTICS "stx_activities_created_day" ON ((created_at AT TIME ZONE 'UTC')::date) FROM "activities"`);
  }
}
