import { runMigrationsLocked } from '../core/database/data-source-options.js';
import { openCliDataSource } from './cli-data-source.js';

const { dataSource, close } = await openCliDataSource();
try {
  const applied = await runMigrationsLocked(dataSource);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
} finally {
  await close();
}
