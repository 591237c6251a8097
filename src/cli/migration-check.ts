import { pendingSchemaChanges, runMigrationsLocked } from '../core/database/data-source-options.js';
import { openCliDataSource } from './cli-data-source.js';

/** Fails when the entities describe a schema the migrations do not produce. */
const { dataSource, close } = await openCliDataSource();
try {
  await runMigrationsLocked(dataSource);
  const pending = await pendingSchemaChanges(dataSource);
  if (pending.length) {
    console.error(`entities and migrations disagree; a migration is missing:\n${pending.join(';\n')};`);
    process.exitCode = 1;
  } else {
    console.log('entities and migrations agree');
  }
} finally {
  await close();
}
