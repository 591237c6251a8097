import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { ADMIN_PASSWORD, Child, DATABASE_URL, login, ME_PATH, PASSWORD, recreateDatabase, serviceEnv, USER_AGENT } from './harness.js';

/**
 * Faults that need whole processes (run after `npm run build`: `node dist/bench/faults.js [kill9|rolling]`):
 *
 * - kill9: admin label writes (each a label and its activity in one transaction) and logins (a
 *   session and its activity in one statement) run flat out; the instance gets SIGKILL in the
 *   middle. Afterwards every label has its activity and every activity its label, every session
 *   its login activity: nothing half-written.
 * - rolling: two instances behind a local round-robin proxy that follows /health/ready; each is
 *   sent SIGTERM in turn (it fails readiness for SHUTDOWN_GRACE_MS, finishes what is in flight,
 *   closes its pools and exits) and replaced, under steady load. No request may fail.
 */
const LABELS = '/api/v2/barong/admin/users/labels';

async function startService(extra: NodeJS.ProcessEnv = {}): Promise<{ child: Child; url: string }> {
  const child = Child.start('service', './server.js', serviceEnv({ RUN_MIGRATIONS: 'true', ...extra }));
  await child.ready;
  return { child, url: `http://127.0.0.1:${await child.call<number>('port')}` };
}

async function kill9(): Promise<boolean> {
  await recreateDatabase(DATABASE_URL);
  const { child, url } = await startService();
  const emails = await child.call<string[]>('seed', { count: 20, password: PASSWORD });
  const signedIn = await fetch(url + '/api/v2/barong/identity/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
    body: JSON.stringify({ email: 'admin@bench.example', password: ADMIN_PASSWORD }),
  });
  const admin = signedIn.headers.getSetCookie().find((c) => c.startsWith('_barong_session='))!.split(';')[0]!;
  const csrf = ((await signedIn.json()) as { csrf_token: string }).csrf_token;
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const [{ uid }] = (await db.query(`SELECT uid FROM users WHERE email = $1`, [emails[0]])).rows as { uid: string }[];
  let answered = 0;
  let n = 0;
  let dead = false;
  const writer = async (): Promise<void> => {
    while (!dead) {
      const key = `kill-${n++}`;
      const res = await fetch(url + LABELS, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin, 'user-agent': USER_AGENT, 'x-csrf-token': csrf },
        body: JSON.stringify({ uid, key, value: 'value', scope: 'public' }),
      }).catch(() => undefined);
      if (res?.status === 200) answered++;
    }
  };
  const loginer = async (i: number): Promise<void> => {
    while (!dead) await login(url, emails[i % emails.length]!).catch(() => undefined);
  };
  const load = [writer(), writer(), writer(), loginer(1), loginer(2)];
  await new Promise((r) => setTimeout(r, 3000));
  child.kill('SIGKILL');
  dead = true;
  await child.exited;
  await Promise.all(load);

  const orphanLabels = await db.query(
    `SELECT l.key FROM labels l JOIN users u ON u.id = l.user_id WHERE u.uid = $1
       AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.target_uid = $1 AND a.category = 'admin' AND a.data::jsonb->>'key' = l.key)`,
    [uid],
  );
  const orphanActivities = await db.query(
    `SELECT a.id FROM activities a WHERE a.target_uid = $1 AND a.category = 'admin' AND a.result = 'succeed'
       AND NOT EXISTS (SELECT 1 FROM labels l JOIN users u ON u.id = l.user_id WHERE u.uid = $1 AND l.key = a.data::jsonb->>'key')`,
    [uid],
  );
  const sessions = await db.query(`SELECT count(*)::int AS n FROM sessions`);
  const loginActivities = await db.query(`SELECT count(*)::int AS n FROM activities WHERE topic = 'session' AND action = 'login' AND result = 'succeed'`);
  const labels = await db.query(`SELECT count(*)::int AS n FROM labels l JOIN users u ON u.id = l.user_id WHERE u.uid = $1`, [uid]);
  await db.end();
  // The driver's own logins (the admin, before the load) have sessions and activities too.
  const ok = orphanLabels.rowCount === 0 && orphanActivities.rowCount === 0 && sessions.rows[0].n === loginActivities.rows[0].n && labels.rows[0].n >= answered;
  console.log('| kill -9 mid-writes | value |');
  console.log('|---|---:|');
  console.log(`| label writes answered 200 before the kill | ${answered} |`);
  console.log(`| labels stored | ${labels.rows[0].n} (the last ones may have committed unanswered) |`);
  console.log(`| labels without their activity / activities without their label | ${orphanLabels.rowCount} / ${orphanActivities.rowCount} |`);
  console.log(`| sessions / successful login activities | ${sessions.rows[0].n} / ${loginActivities.rows[0].n} |`);
  console.log(`| verdict | ${ok ? 'nothing half-written' : 'HALF-WRITTEN ROWS'} |`);
  return ok;
}

/** A round-robin proxy over the instances that answer /health/ready; retries a refused connection once on the other. */
function startProxy(): { url: Promise<string>; backends: Set<string>; close: () => void } {
  const backends = new Set<string>();
  const ready = new Set<string>();
  let turn = 0;
  const poll = setInterval(() => {
    for (const b of backends) {
      fetch(`${b}/health/ready`)
        .then((r) => (r.status === 200 ? ready.add(b) : ready.delete(b)))
        .catch(() => ready.delete(b));
    }
  }, 100);
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, attempt: number): void => {
    const live = [...ready];
    const target = live[turn++ % Math.max(1, live.length)];
    if (!target) {
      res.writeHead(502).end();
      return;
    }
    const u = new URL(target);
    const upstream = request({ host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      ready.delete(target);
      if (attempt === 0 && !res.headersSent) forward(req, body, res, 1);
      else if (!res.headersSent) res.writeHead(502).end();
    });
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, Buffer.concat(chunks), res, 0));
  });
  const url = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  return {
    url,
    backends,
    close: () => {
      clearInterval(poll);
      server.close();
    },
  };
}

async function rolling(): Promise<boolean> {
  await recreateDatabase(DATABASE_URL);
  const env = { SHUTDOWN_GRACE_MS: '500' };
  const first = await startService(env);
  const emails = await first.child.call<string[]>('seed', { count: 50, password: PASSWORD });
  const second = await startService(env);
  const proxy = startProxy();
  const proxyUrl = await proxy.url;
  proxy.backends.add(first.url).add(second.url);
  await new Promise((r) => setTimeout(r, 300));
  const cookies: string[] = [];
  for (const e of emails) cookies.push(`_barong_session=${await login(proxyUrl, e)}`);

  let sent = 0;
  const failures: string[] = [];
  let running = true;
  const client = async (i: number): Promise<void> => {
    while (running) {
      const slow = i === 0;
      const res = slow
        ? await fetch(proxyUrl + '/api/v2/barong/identity/sessions', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
            body: JSON.stringify({ email: emails[sent % emails.length], password: PASSWORD }),
          }).catch((e: Error) => e)
        : await fetch(proxyUrl + ME_PATH, { headers: { cookie: cookies[sent % cookies.length]!, 'user-agent': USER_AGENT } }).catch((e: Error) => e);
      sent++;
      if (res instanceof Error) failures.push(res.message);
      else if (res.status !== 200) failures.push(`${res.status} ${await res.text()}`);
      else await res.arrayBuffer();
    }
  };
  const load = Array.from({ length: 8 }, (_, i) => client(i));
  const instances = [first, second];
  for (let k = 0; k < instances.length; k++) {
    await new Promise((r) => setTimeout(r, 1500));
    const old = instances[k]!;
    const replacement = await startService(env);
    proxy.backends.add(replacement.url);
    await new Promise((r) => setTimeout(r, 300));
    const stopping = Date.now();
    old.child.kill('SIGTERM');
    await old.child.exited;
    console.log(`  instance ${k + 1} drained and exited ${Date.now() - stopping} ms after SIGTERM`);
    proxy.backends.delete(old.url);
    instances[k] = replacement;
  }
  await new Promise((r) => setTimeout(r, 1500));
  running = false;
  await Promise.all(load);
  proxy.close();
  for (const i of instances) i.child.kill('SIGTERM');
  await Promise.all(instances.map((i) => i.child.exited));
  console.log('| rolling restart of two instances | value |');
  console.log('|---|---:|');
  console.log(`| requests through the proxy | ${sent} |`);
  console.log(`| failed | ${failures.length}${failures.length ? ` (${[...new Set(failures)].slice(0, 3).join('; ')})` : ''} |`);
  return failures.length === 0;
}

const which = process.argv[2] ?? 'all';
const runs: [string, () => Promise<boolean>][] = [
  ['kill9', kill9],
  ['rolling', rolling],
];
(async () => {
  let ok = true;
  for (const [name, run] of runs) if (which === 'all' || which === name) ok = (await run()) && ok;
  process.exit(ok ? 0 : 1);
})().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
