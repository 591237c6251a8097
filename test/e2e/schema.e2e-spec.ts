import { DataSource } from 'typeorm';
import { dataSourceOptions, pendingSchemaChanges } from '../../src/core/database/data-source-options.js';
import { loadEntities } from '../../src/core/database/discover.js';
import { cloneDatabase } from '../support/test-app.js';

describe('schema', () => {
  it('the migrations produce exactly the schema the entities describe', async () => {
    const db = await cloneDatabase();
    const ds = await new DataSource(dataSourceOptions(db.url, { entities: await loadEntities() })).initialize();
    try {
      expect(await pendingSchemaChanges(ds)).toEqual([]);
      const functions = await ds.query(`SELECT gen_uuid_v7()::text AS id`);
      expect(functions[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
