import { fromPublicId } from '../../src/core/database/public-id.js';
import { LedgerService } from '../../src/platform/wallets/ledger.service.js';
import { controlClock } from '../support/otp.js';
import { createTenant, expectSbError, PlatformClient, superadmin } from '../support/platform.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ETH_DEST = '0x' + 'ab'.repeat(20);

describe('platform face: custodial wallets and transfers', () => {
  let t: TestApp;
  let a: PlatformClient;
  let b: PlatformClient;
  let appId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await superadmin(t);
    const one = await createTenant(t, admin, 'Wallets');
    a = one.client;
    appId = fromPublicId('app', one.app.app_id)!;
    b = (await createTenant(t, admin, 'Other')).client;
  });
  afterAll(() => t?.close());

  const fund = (walletId: string, currency: string, units: bigint) => t.get(LedgerService).credit(appId, fromPublicId('wallet', walletId)!, currency, units);

  it('wallets/create is idempotent per type; get, list, balance, the /v1/auth aliases; tenant isolation', async () => {
    const user = (await a.post('/v1/auth/users/create', { email: 'w@example.com', include_user: true })).body;
    const defaultEth = user.user.wallets[0];
    const eth = await a.post('/v1/wallets/create', { user_id: user.user_id, wallet_type: 'ETH' });
    expect(eth.body.id).toBe(defaultEth.id);
    const formats: Record<string, RegExp> = {
      SOL: /^[1-9A-HJ-NP-Za-km-z]{32,44}$/,
      BTC: /^[mn][1-9A-HJ-NP-Za-km-z]{25,34}$/,
      DOT: /^1[1-9A-HJ-NP-Za-km-z]{46,47}$/,
      XLM: /^G[A-Z2-7]{55}$/,
    };
    for (const [type, format] of Object.entries(formats)) {
      const w = await a.post('/v1/auth/wallets/create', { user_id: user.user_id, wallet_type: type.toLowerCase() === 'sol' ? 'solana' : type });
      expect(w.status).toBe(200);
      expect(w.body).toMatchObject({ wallet_type: type, is_default: true, is_imported: false, user_id: user.user_id });
      expect(w.body.public_address).toMatch(format);
    }
    expectSbError(await a.post('/v1/wallets/create', { user_id: user.user_id, wallet_type: 'DOGE' }), 400, 'invalid_wallet_type');
    expectSbError(await a.post('/v1/wallets/create', { user_id: 'user_0000000000000000000000', wallet_type: 'ETH' }), 404, 'user_not_found');
    expectSbError(await b.post('/v1/wallets/create', { user_id: user.user_id, wallet_type: 'ETH' }), 404, 'user_not_found');

    expect((await a.get(`/v1/wallets/${defaultEth.id}`)).body).toEqual(defaultEth);
    expect((await a.get(`/v1/auth/wallets/${defaultEth.id}`)).body).toEqual(defaultEth);
    expectSbError(await b.get(`/v1/wallets/${defaultEth.id}`), 404, 'wallet_not_found');
    expectSbError(await a.get('/v1/wallets/wallet_nope'), 404, 'wallet_not_found');
    const list = await a.get('/v1/wallets/list', { user_id: user.user_id });
    expect(list.body.wallets).toHaveLength(5);
    expect(JSON.stringify(list.body)).not.toMatch(/private/i);
    expect((await a.get('/v1/auth/wallets/list')).body.wallets.length).toBeGreaterThanOrEqual(5);
    expect((await b.get('/v1/wallets/list')).body.wallets).toEqual([]);

    const zero = await a.post('/v1/wallets/balance', { wallet_id: defaultEth.id, token_symbol: 'USDC' });
    expect(zero.body).toEqual({ balance: '0', token_symbol: 'USDC', wallet: defaultEth });
    await fund(defaultEth.id, 'ETH', 1_500_000_000_000_000_000n);
    expect((await a.post('/v1/auth/wallets/balance', { wallet_id: defaultEth.id, token_symbol: 'eth' })).body.balance).toBe('1.5');
    expectSbError(await a.post('/v1/wallets/balance', { wallet_id: defaultEth.id, token_symbol: 'SOL' }), 400, 'incompatible_currency');
    expectSbError(await b.post('/v1/wallets/balance', { wallet_id: defaultEth.id, token_symbol: 'ETH' }), 404, 'wallet_not_found');
  });

  it('transfers: create (unconfirmed, 120 s), confirm (completed, funds moved), get, list; errors', async () => {
    const user = (await a.post('/v1/auth/users/create', { email: 'tx@example.com', include_user: true })).body;
    const wallet = user.user.wallets[0];
    await fund(wallet.id, 'ETH', 1_000_000_000_000_000_000n);
    const created = await a.post('/v1/transfers/create', { source: wallet.id, dest: ETH_DEST, dest_currency: 'ETH', source_amount: '0.25', notes: 'rent' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^transfer_/),
      status: 'unconfirmed',
      source: wallet.id,
      user_id: user.user_id,
      dest: ETH_DEST,
      dest_amount: '0.25',
      source_amount: '0.250021',
      total_fees: '0.000021',
      dest_currency: 'ETH',
      source_currency: 'ETH',
      custom_id: null,
      blockchain_tx_hash: '',
      completed_at: 0,
    });
    expect(created.body.expires_at - created.body.created_at).toBe(120);
    expect((await a.get('/v1/transfers/list')).body).toMatchObject({ transfers: [], count: 0, offset: 0, limit: 50 });

    const confirmed = await a.post(`/v1/transfers/${created.body.id}/confirm`, { user_id: user.user_id });
    expect(confirmed.body).toMatchObject({ status: 'completed', blockchain_tx_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(confirmed.body.completed_at).toBeGreaterThan(0);
    expect((await a.post('/v1/wallets/balance', { wallet_id: wallet.id, token_symbol: 'ETH' })).body.balance).toBe('0.749979');
    const legs = await t.dataSource.query('SELECT sum(amount)::text AS total, count(*)::int AS n FROM platform_ledger_entries WHERE transfer_id = $1', [fromPublicId('transfer', created.body.id)]);
    expect(legs[0]).toEqual({ total: '0', n: 3 });
    expectSbError(await a.post(`/v1/transfers/${created.body.id}/confirm`), 400, 'transfer_not_unconfirmed');
    expect((await a.get(`/v1/transfers/${created.body.id}`)).body.status).toBe('completed');
    expectSbError(await b.get(`/v1/transfers/${created.body.id}`), 404, 'transfer_not_found');
    expectSbError(await b.post(`/v1/transfers/${created.body.id}/confirm`), 404, 'transfer_not_found');
    const list = await a.get('/v1/transfers/list', { user_id: user.user_id, limit: 10 });
    expect(list.body).toMatchObject({ count: 1, offset: 0, limit: 10 });
    expect(list.body.transfers[0].id).toBe(created.body.id);
    expectSbError(await a.get('/v1/transfers/list', { limit: 9 }), 400, 'invalid_limit');
    expect((await b.get('/v1/transfers/list')).body.count).toBe(0);

    const fees = await a.post('/v1/transfers/create', { source: wallet.id, dest: ETH_DEST, dest_currency: 'MATIC', source_amount: '0.1', amount_includes_fees: true });
    expect(fees.body).toMatchObject({ source_amount: '0.1', dest_amount: '0.099979' });
    // No MATIC on the ledger: confirming fails, nothing moves.
    expect((await a.post(`/v1/transfers/${fees.body.id}/confirm`)).body.status).toBe('failed');

    for (const [body, type] of [
      [{ source: wallet.id, dest: ETH_DEST, dest_currency: 'SOL', source_amount: '1' }, 'incompatible_currency'],
      [{ source: wallet.id, dest: 'not-an-address', dest_currency: 'ETH', source_amount: '1' }, 'invalid_destination'],
      [{ source: wallet.id, dest: ETH_DEST, dest_currency: 'ETH', source_amount: '-1' }, 'invalid_amount'],
      [{ source: wallet.id, dest: ETH_DEST, dest_currency: 'ETH', source_amount: 0.5e-30 }, 'invalid_amount'],
      [{ source: wallet.id, dest: ETH_DEST, dest_currency: 'ETH', source_amount: '1.0000000000000000001' }, 'invalid_amount'],
      [{ source: wallet.id, dest: ETH_DEST, dest_currency: 'ETH', source_amount: '1', user_id: 'user_0000000000000000000000' }, 'user_id_mismatch'],
    ] as const) {
      expectSbError(await a.post('/v1/transfers/create', body), 400, type);
    }
    expectSbError(await a.post('/v1/transfers/create', { source: 'wallet_x', dest: ETH_DEST, dest_currency: 'ETH', source_amount: '1' }), 404, 'wallet_not_found');
    expectSbError(await a.post('/v1/transfers/transfer_nope/confirm'), 404, 'transfer_not_found');

    const late = await a.post('/v1/transfers/create', { source: wallet.id, dest: ETH_DEST, dest_currency: 'ETH', source_amount: '0.01' });
    const clock = controlClock();
    try {
      clock.advance(121_000);
      expectSbError(await a.post(`/v1/transfers/${late.body.id}/confirm`), 400, 'transfer_expired');
    } finally {
      clock.restore();
    }
  });

  it('the balance never goes negative under concurrent confirmations', async () => {
    const user = (await a.post('/v1/auth/users/create', { email: 'race@example.com', include_user: true })).body;
    const wallet = user.user.wallets[0];
    await fund(wallet.id, 'ETH', 1_000_000_000_000_000_000n); // 1 ETH
    const transfers = [];
    for (let i = 0; i < 12; i++) transfers.push((await a.post('/v1/transfers/create', { source: wallet.id, dest: ETH_DEST, dest_currency: 'ETH', source_amount: '0.3', amount_includes_fees: true })).body.id);
    const results = await Promise.all(transfers.map((id) => a.post(`/v1/transfers/${id}/confirm`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const statuses = results.map((r) => r.body.status);
    expect(statuses.filter((s) => s === 'completed')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'failed')).toHaveLength(9);
    expect((await a.post('/v1/wallets/balance', { wallet_id: wallet.id, token_symbol: 'ETH' })).body.balance).toBe('0.1');
    const negative = await t.dataSource.query('SELECT count(*)::int AS n FROM platform_balances WHERE amount < 0');
    expect(negative[0].n).toBe(0);
  });
});
