import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '../../src/identity/users/user.entity.js';
import type { Agent } from '../support/agent.js';
import { createUser, signIn, STRONG_PASSWORD } from '../support/factories.js';
import { codeFor, controlClock, enableOtp } from '../support/otp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ARTIFACTS, documentPng, launchChromium, screenshots, until, watchProblems } from './browser.js';

const FUTURE = `${new Date().getUTCFullYear() + 5}-06-30`;

async function uploadPassport(t: TestApp, agent: Agent): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ doc_type: 'Passport', doc_number: 'CX123478', doc_expire: FUTURE })) form.append(k, v);
  form.append('upload[]', new Blob([new Uint8Array(documentPng())], { type: 'image/png' }), 'passport.png');
  const headers: Record<string, string> = { 'user-agent': agent.userAgent, 'x-forwarded-for': agent.ip, 'x-csrf-token': agent.csrfToken! };
  headers.cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL('/api/v2/barong/resource/documents', t.baseUrl), { method: 'POST', headers, body: form });
  if (res.status !== 201) throw new Error(`document upload: ${res.status} ${await res.text()}`);
}

async function signInThroughForm(page: Page, email: string, password: string, otp?: () => string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (otp) {
    await page.getByLabel('Two-factor code').fill(otp());
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
}

/** A few more accounts and four weeks of sign-ups and logins, so lists and charts have something to show. */
async function seedHistory(t: TestApp): Promise<void> {
  const people: [string, string, string][] = [
    ['olena.k@example.com', 'member', 'active'],
    ['marc.dupont@example.com', 'member', 'pending'],
    ['support@console.test', 'support', 'active'],
    ['compliance@console.test', 'compliance', 'active'],
    ['spam.bot@example.com', 'member', 'banned'],
  ];
  for (const [email, role, state] of people) await createUser(t, { email, role, state, emailVerified: state === 'active' });
  // Older than today, so the audit filters on today's activity see only what this run does.
  await t.dataSource.query(`
    INSERT INTO activities (category, user_ip, user_agent, topic, action, result, created_at)
    SELECT 'user', '203.0.113.' || (d % 200), 'Mozilla/5.0', topic, action, result, now() - make_interval(days => d, hours => n)
    FROM generate_series(1, 27) AS d,
         LATERAL (VALUES ('account', 'signup', 'succeed', 1 + d % 3), ('session', 'login', 'succeed', 3 + d % 5), ('session', 'login', 'failed', d % 2)) AS k(topic, action, result, times),
         LATERAL generate_series(1, times) AS n`);
}

const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link');

describe('admin console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let adminContext: BrowserContext;
  let page: Page;
  let problems: string[];
  let admin: User;
  let otpSecret: string;
  let target: User;
  let applicant: User;
  let rejected: User;
  let auditor: User;
  const labelOf = async (user: User, key: string): Promise<string | undefined> =>
    (await t.dataSource.query(`SELECT value FROM labels WHERE user_id = $1 AND key = $2 AND scope = 'private'`, [user.id, key]))[0]?.value;
  const stateOf = async (user: User): Promise<string> => (await t.dataSource.query(`SELECT state FROM users WHERE id = $1`, [user.id]))[0].state;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, { email: 'root@console.test', role: 'superadmin', emailVerified: true });
    otpSecret = (await enableOtp(await signIn(t, t.agent(), admin))).secret;
    target = await createUser(t, { email: 'target@console.test', emailVerified: true });
    applicant = await createUser(t, { email: 'applicant@console.test', emailVerified: true });
    await uploadPassport(t, await signIn(t, t.agent(), applicant));
    rejected = await createUser(t, { email: 'blurry@console.test', emailVerified: true });
    await uploadPassport(t, await signIn(t, t.agent(), rejected));
    auditor = await createUser(t, { email: 'auditor@console.test', role: 'auditor', emailVerified: true });
    await seedHistory(t);
    browser = await launchChromium();
    adminContext = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    // Fail fast: a missing element is a failure, not something to wait half a minute for.
    adminContext.setDefaultTimeout(10_000);
    page = await adminContext.newPage();
    problems = watchProblems(page);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the built console with its content types, caching and CSP, and an index.html for client routes', async () => {
    const index = await fetch(`${t.baseUrl}/console`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy');
    expect(csp).toBe("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    const html = await index.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|<style|style=/);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;

    const asset = await fetch(`${t.baseUrl}${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const route = await fetch(`${t.baseUrl}/console/users/ID123`);
    expect([route.status, route.headers.get('cache-control'), await route.text()]).toEqual([200, 'no-cache', html]);
    expect((await fetch(`${t.baseUrl}/console/assets/missing-123.js`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/console/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
    // The console's policy is its own: the API keeps its headers.
    expect((await fetch(`${t.baseUrl}/health`)).headers.get('content-security-policy')).toBeNull();
  });

  it('signs in with e-mail, password and the 2FA code', async () => {
    await page.goto('/console');
    await page.waitForURL('**/console/sign-in');
    await screenshots(page, 'sign-in');
    await page.getByLabel('E-mail').fill(admin.email!);
    await page.getByLabel('Password').fill('wrong-Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The e-mail or password is wrong.').waitFor();
    // The code of the next time step: the one of this step was spent enabling 2FA.
    await signInThroughForm(page, admin.email!, STRONG_PASSWORD, () => codeFor(otpSecret, Date.now() + 30_000));
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Users' }).getByText('olena.k@example.com').waitFor();
    await screenshots(page, 'users-all');
    expect(await navLinks(page).allInnerTexts()).toEqual(expect.arrayContaining(['Users', 'KYC queue', 'Access', 'Audit', 'Metrics']));
  });

  it('finds a user by e-mail, bans and unbans them', async () => {
    await page.getByRole('search', { name: 'Filter users' }).getByLabel('E-mail').fill(target.email!);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/email=target/);
    const rows = page.getByRole('region', { name: 'Users' }).locator('tbody tr');
    await until(() => rows.count(), (n) => n === 1);
    await screenshots(page, 'users');
    await rows.getByRole('link', { name: target.email! }).click();
    await page.getByRole('heading', { name: target.email!, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Ban', exact: true }).click();
    await page.getByText('State changed to banned.').waitFor();
    await until(() => page.getByTestId('user-state').innerText(), (v) => v === 'banned');
    expect(await stateOf(target)).toBe('banned');
    await screenshots(page, 'user');

    await page.getByRole('button', { name: 'Unban' }).click();
    await page.getByText('State changed to active.').waitFor();
    await until(() => page.getByTestId('user-state').innerText(), (v) => v === 'active');
    expect(await stateOf(target)).toBe('active');
  });

  it('approves a pending document from the KYC queue, and rejects another with a comment', async () => {
    await navLinks(page).filter({ hasText: 'KYC queue' }).click();
    const review = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: applicant.email! }) });
    await review.waitFor();
    await review.getByRole('button', { name: 'View file' }).click();
    const image = review.getByRole('img', { name: /Uploaded document/ });
    await until(() => image.evaluate((img) => ((img as unknown as { complete: boolean; naturalWidth: number }).complete ? (img as unknown as { naturalWidth: number }).naturalWidth : 0)), (w) => w === 240);
    await screenshots(page, 'kyc');

    await review.getByLabel('Comment').fill('Passport matches the profile.');
    await review.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(`${applicant.email}: document approved.`).waitFor();
    expect(await labelOf(applicant, 'document')).toBe('verified');

    const second = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: rejected.email! }) });
    await second.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Write a comment that tells the user why the document is rejected.').waitFor();
    await second.getByLabel('Comment').fill('The photo is blurred.');
    await second.getByRole('button', { name: 'Reject' }).click();
    await page.getByText(`${rejected.email}: document rejected.`).waitFor();
    await page.getByText('The queue is empty').waitFor();
    expect(await labelOf(rejected, 'document')).toBe('rejected');
    const [comment] = await t.dataSource.query(`SELECT title, data FROM comments WHERE user_id = $1`, [rejected.id]);
    expect(comment).toEqual({ title: 'Document rejected', data: 'The photo is blurred.' });
  });

  it('adds a permission with a preview of the roles it affects, sees the effect, and removes it', async () => {
    const auditorContext = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    const auditorPage = await auditorContext.newPage();
    await auditorPage.goto('/console');
    await signInThroughForm(auditorPage, auditor.email!, STRONG_PASSWORD);
    const adminTab = auditorPage.getByRole('tab', { name: 'Admin activities' });
    await adminTab.waitFor();

    await navLinks(page).filter({ hasText: 'Access' }).click();
    const form = page.getByRole('form', { name: 'Add permission' });
    await form.getByLabel('Role').fill('auditor');
    await form.getByLabel('Verb').selectOption('ALL');
    await form.getByLabel('Path prefix').fill('api/v2/barong/admin/activities/admin');
    await form.getByLabel('Action').selectOption('DROP');
    await page.getByTestId('rule-preview').getByText('Affects auditor (allowed → refused).').waitFor();
    await screenshots(page, 'access');
    await form.getByRole('button', { name: 'Add permission' }).click();
    await page.getByText('Permission added.').waitFor();

    // Every instance reloads the table on a NOTIFY; the auditor's console then drops the tab.
    const tabsAfterReload = async () => {
      await auditorPage.reload();
      await auditorPage.getByRole('heading', { name: 'User activities', level: 2 }).waitFor();
      return adminTab.count();
    };
    await until(tabsAfterReload, (n) => n === 0, 15_000);

    const row = page.locator('tr.highlight');
    expect(await row.innerText()).toContain('api/v2/barong/admin/activities/admin');
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: /^Delete permission \d+$/ }).click();
    await page.getByText(/Permission \d+ deleted\./).waitFor();

    await until(tabsAfterReload, (n) => n === 1, 15_000);
    await auditorContext.close();
  });

  it('filters activities by topic and date, and shows the data of an entry', async () => {
    await navLinks(page).filter({ hasText: 'Audit' }).click();
    const filters = page.getByRole('search', { name: 'Filter activities' });
    const today = new Date().toISOString().slice(0, 10);
    await filters.getByLabel('Topic').fill('session');
    await filters.getByLabel('From (UTC)').fill(`${today}T00:00`);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/topic=session/);
    const feed = page.getByRole('region', { name: 'User activities' });
    const rows = feed.locator('tbody tr.activity-row');
    await until(() => rows.count(), (n) => n > 0);
    const topics = await rows.locator('td:nth-child(3)').allInnerTexts();
    expect(new Set(topics)).toEqual(new Set(['session']));
    await rows.first().getByRole('button', { name: 'Show' }).click();
    await feed.locator('pre.data').waitFor();
    await screenshots(page, 'audit');

    await filters.getByLabel('From (UTC)').fill('2020-01-01T00:00');
    await filters.getByLabel('To (UTC)').fill('2020-01-02T00:00');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No activity matches these filters.').waitFor();

    await page.getByRole('tab', { name: 'Admin activities' }).click();
    await page.getByRole('heading', { name: 'Admin activities', level: 2 }).waitFor();
  });

  it('draws sign-ups and logins from the metrics endpoint', async () => {
    await navLinks(page).filter({ hasText: 'Metrics' }).click();
    await page.getByRole('img', { name: /Logins per day/ }).waitFor();
    expect(await page.locator('svg rect.bar').count()).toBeGreaterThan(0);
    await screenshots(page, 'metrics');
  });

  it('shows an auditor the audit pages only', async () => {
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    const auditorPage = await context.newPage();
    const auditorProblems = watchProblems(auditorPage);
    await auditorPage.goto('/console/users');
    await signInThroughForm(auditorPage, auditor.email!, STRONG_PASSWORD);
    await auditorPage.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    expect(await navLinks(auditorPage).allInnerTexts()).toEqual(['Audit']);
    await auditorPage.goto('/console/users');
    await auditorPage.getByRole('heading', { name: 'Not available' }).waitFor();
    await auditorPage.goto('/console/access');
    await auditorPage.getByRole('heading', { name: 'Not available' }).waitFor();
    expect(auditorProblems).toEqual([]);
    await context.close();
  });

  it('runs the tenant and balance-code pages against the endpoint contract (answered in the browser)', async () => {
    // These admin APIs are being built elsewhere; the browser answers for them, as the contract says.
    const apps: { app_id: string; name: string; public_token: string; status: string; created_at: string }[] = [];
    const codes: { balance_code_id: string; balance_byte_count: number; start_time: string; end_time: string; redeem_time: string | null }[] = [];
    const json = (body: unknown, headers: Record<string, string> = {}) => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body), headers });
    await adminContext.route(/\/api\/v2\/barong\/admin\/apps(\/|\?|$)/, async (route) => {
      const req = route.request();
      const url = new URL(req.url());
      const [, id, verb] = /\/admin\/apps(?:\/([^/]+)\/(rotate|disable))?$/.exec(url.pathname) ?? [];
      if (req.method() === 'GET') return route.fulfill(json(apps));
      if (!id) {
        const app = { app_id: `app-${apps.length + 1}`, name: (req.postDataJSON() as { name: string }).name, public_token: `pk_${apps.length + 1}`, status: 'active', created_at: new Date().toISOString() };
        apps.push(app);
        return route.fulfill(json({ ...app, secret_key: `sk_first_${app.app_id}` }));
      }
      const app = apps.find((a) => a.app_id === id)!;
      if (verb === 'disable') app.status = 'disabled';
      return route.fulfill(json(verb === 'rotate' ? { app_id: id, secret_key: `sk_rotated_${id}` } : app));
    });
    await adminContext.route(/\/api\/v2\/barong\/admin\/balance_codes(\?|$)/, async (route) => {
      const req = route.request();
      if (req.method() === 'GET') return route.fulfill(json(codes, { total: String(codes.length), page: '1', 'per-page': '25' }));
      const { balance_byte_count, duration_days } = req.postDataJSON() as { balance_byte_count: number; duration_days: number };
      const start = new Date();
      const code = { balance_code_id: `bc-${codes.length + 1}`, balance_byte_count, start_time: start.toISOString(), end_time: new Date(start.getTime() + duration_days * 86_400_000).toISOString(), redeem_time: null };
      codes.push(code);
      return route.fulfill(json({ secret: `secret-code-${codes.length}`, balance_byte_count, start_time: code.start_time, end_time: code.end_time }));
    });

    await page.reload();
    await navLinks(page).filter({ hasText: 'Tenants' }).click();
    await page.getByText('No apps yet.').waitFor();
    await page.getByRole('form', { name: 'Create an app' }).getByLabel('Name').fill('Partner wallet');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByText('is shown only this once').waitFor();
    expect(await page.getByTestId('secret').innerText()).toBe('sk_first_app-1');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('button', { name: 'Rotate the key of Partner wallet' }).click();
    await until(() => page.getByTestId('secret').innerText(), (v) => v === 'sk_rotated_app-1');
    await screenshots(page, 'tenants');
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('button', { name: 'Disable Partner wallet' }).click();
    await page.getByText('App Partner wallet disabled.').waitFor();
    await until(() => page.getByRole('region', { name: 'Apps' }).getByText('disabled', { exact: true }).count(), (n) => n === 1);

    await navLinks(page).filter({ hasText: 'Balance codes' }).click();
    await page.getByText('No balance codes yet.').waitFor();
    await page.getByLabel('Balance (GiB)').fill('5');
    await page.getByLabel('Valid for (days)').fill('14');
    await page.getByRole('button', { name: 'Create code' }).click();
    expect(await page.getByTestId('secret').innerText()).toBe('secret-code-1');
    await page.getByRole('region', { name: 'Balance codes' }).getByText('5 GiB').waitFor();
    expect(codes[0]!.balance_byte_count).toBe(5 * 1024 ** 3);
    await screenshots(page, 'balance-codes');
    await adminContext.unrouteAll();
  });

  it('returns to sign-in when the session ends', async () => {
    await adminContext.clearCookies();
    await navLinks(page).filter({ hasText: 'Users' }).click();
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.waitForURL('**/console/sign-in');
    // Signing in again returns to the page the session ended on.
    // Both codes near this moment are spent: move the service's clock on to a fresh time step.
    const clock = controlClock();
    try {
      clock.nextStep();
      await signInThroughForm(page, admin.email!, STRONG_PASSWORD, () => codeFor(otpSecret, Date.now() + 30_000));
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    } finally {
      clock.restore();
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(problems).toEqual([]);
    // The README shows the user list; refresh its picture from this run when asked.
    if (process.env.CONSOLE_DOCS_SCREENSHOT === '1' && existsSync(join(ARTIFACTS, 'console-users-all-1280.png'))) {
      copyFileSync(join(ARTIFACTS, 'console-users-all-1280.png'), join(process.cwd(), 'docs', 'console.png'));
    }
  });
});
