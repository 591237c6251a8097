import pg from 'pg';

export default async function globalTeardown() {
  const { TEST_ADMIN_URL: adminUrl, TEST_TEMPLATE_DB: template } = process.env;
  if (adminUrl && template) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => undefined);
    await client.end();
  }
  await globalThis.__embeddedStop?.();
}
