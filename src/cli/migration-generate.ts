import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMigrationsLocked } from '../core/database/data-source-options.js';
import { openCliDataSource } from './cli-data-source.js';

/** Writes migrations/<timestamp>-<Name>.ts with the SQL that brings the schema in line with the entities. */
const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- <PascalCaseName>');
  process.exit(2);
}
const { dataSource, close } = await openCliDataSource();
try {
  await runMigrationsLocked(dataSource);
  const log = await dataSource.driver.createSchemaBuilder().log();
  if (!log.upQueries.length) {
    console.log('no changes');
  } else {
    const ts = Date.now();
    const esc = (q: string): string => q.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
    const up = log.upQueries.map((q) => `    await q.query(\`${esc(q.query)}\`);`).join('\n');
    const down = log.downQueries.reverse().map((q) => `    await q.query(\`${esc(q.query)}\`);`).join('\n');
    const body = `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  async up(q: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`;
    const file = join(fileURLToPath(new URL('../../../migrations/', import.meta.url)), `${ts}-${name}.ts`);
    writeFileSync(file.replace('/dist/', '/'), body);
    console.log(`wrote ${file.replace('/dist/', '/')}`);
  }
} finally {
  await close();
}
