import { MigrationInterface, QueryRunner } from 'typeorm';

/** gen_uuid_v7(): time-ordered UUIDs as column defaults (PostgreSQL before 18 has no uuidv7()). The name avoids
 * uuid_generate_v*, which TypeORM reads as its own generated-uuid strategy. */
export class UuidV7Function1795305692227 implements MigrationInterface {
  name = 'UuidV7Function1795305692227';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION gen_uuid_v7() RETURNS uuid AS $$
        SELECT encode(
          set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
            PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
            FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
      $$ LANGUAGE sql VOLATILE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS gen_uuid_v7()');
  }
}
