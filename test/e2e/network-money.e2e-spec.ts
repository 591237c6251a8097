import { Activity } from '../../src/core/audit/activity.entity.js';
import { agentWithRole } from '../support/factories.js';
import { createNetwork, GO_TIME, nget, npost, UUID } from '../support/network.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const SOLANA = 'DRpbCBMxVnDK7maPM5tGv6MvB3v1sRMC86PZ8okm21hy';
const USDC_MINT = 'EPjFWdd5AufqSSo1M8gRuTgRcjGdTBEYLkYcg2BFzHdw';
const POLYGON_CHECKSUMMED = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const BALANCE_CODES = '/api/v2/barong/admin/balance_codes';

describe('network face: wallets, account, subscriptions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('validate-address: Solana and Polygon (EIP-55 when mixed case) are valid, the rest is not', async () => {
    const n = await createNetwork(t);
    const check = async (address: string, chain?: string) => (await npost(n.agent, '/wallet/validate-address', { address, ...(chain ? { chain } : {}) }, n.jwt)).body;
    expect(await check(SOLANA)).toEqual({ valid: true });
    expect(await check(SOLANA, 'SOL')).toEqual({ valid: true });
    expect(await check(POLYGON_CHECKSUMMED, 'MATIC')).toEqual({ valid: true });
    expect(await check(POLYGON_CHECKSUMMED.toLowerCase(), 'polygon')).toEqual({ valid: true });
    expect(await check('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'MATIC')).toEqual({});
    expect(await check(USDC_MINT)).toEqual({});
    expect(await check(SOLANA, 'MATIC')).toEqual({});
    expect(await check(POLYGON_CHECKSUMMED)).toEqual({});
    expect(await check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({});
    expect(await check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'BTC')).toEqual({});
    expect(await check('garbage!!')).toEqual({});
    expect((await npost(n.agent, '/wallet/validate-address', { address: 5 }, n.jwt)).status).toBe(400);
    expect((await npost(n.agent, '/wallet/validate-address', { address: SOLANA })).status).toBe(401);
  });

  it('Circle edge: no wallet is {}, init and transfer-out answer business errors without an account', async () => {
    const n = await createNetwork(t);
    expect((await nget(n.agent, '/wallet/balance', n.jwt)).body).toEqual({});
    expect((await t.agent().post('/wallet/circle-init', undefined, { headers: { authorization: `Bearer ${n.jwt}` } })).body).toEqual({ error: { message: 'Circle wallets are not configured on this service.' } });
    expect((await npost(n.agent, '/wallet/circle-transfer-out', { to_address: SOLANA, amount_usdc_nano_cents: 1_000_000_000, terms: false }, n.jwt)).body.error.message).toBe('You must accept the terms of transfer.');
    expect((await npost(n.agent, '/wallet/circle-transfer-out', { to_address: SOLANA, amount_usdc_nano_cents: 1_000_000_000, terms: true }, n.jwt)).body.error.message).toBe('Circle wallets are not configured on this service.');
    expect((await npost(n.agent, '/wallet/circle-transfer-out', { to_address: SOLANA, amount_usdc_nano_cents: 1.5, terms: true }, n.jwt)).status).toBe(400);
  });

  it('payout wallets: add (the first becomes the payout wallet), list, reuse, remove, ownership', async () => {
    const n = await createNetwork(t);
    const other = await createNetwork(t);
    expect((await nget(n.agent, '/account/payout-wallet', n.jwt)).body).toEqual({ wallet_id: null });
    expect((await npost(n.agent, '/account/wallet', { blockchain: 'BTC', wallet_address: SOLANA, default_token_type: 'USDC' }, n.jwt)).body.error.message).toBe('invalid blockchain, use SOL or MATIC');
    expect((await npost(n.agent, '/account/wallet', { blockchain: 'SOL', wallet_address: 'nope', default_token_type: 'USDC' }, n.jwt)).body.error.message).toBe('invalid wallet address');
    const sol = await npost(n.agent, '/account/wallet', { blockchain: 'sol', wallet_address: SOLANA, default_token_type: 'USDC' }, n.jwt);
    expect(sol.body).toEqual({ wallet_id: expect.stringMatching(UUID) });
    expect((await nget(n.agent, '/account/payout-wallet', n.jwt)).body).toEqual({ wallet_id: sol.body.wallet_id });
    const poly = await npost(n.agent, '/account/wallet', { blockchain: 'MATIC', wallet_address: POLYGON_CHECKSUMMED, default_token_type: 'USDC' }, n.jwt);
    expect((await nget(n.agent, '/account/payout-wallet', n.jwt)).body).toEqual({ wallet_id: sol.body.wallet_id });
    const again = await npost(n.agent, '/account/wallet', { blockchain: 'SOL', wallet_address: SOLANA }, n.jwt);
    expect(again.body.wallet_id).toBe(sol.body.wallet_id);
    const list = await nget(n.agent, '/account/wallets', n.jwt);
    expect(list.body.wallets).toEqual([
      { wallet_id: sol.body.wallet_id, network_id: n.networkId, wallet_type: 'external', blockchain: 'SOL', wallet_address: SOLANA, active: true, default_token_type: 'USDC', create_time: expect.stringMatching(GO_TIME) },
      expect.objectContaining({ wallet_id: poly.body.wallet_id, blockchain: 'MATIC' }),
    ]);
    expect((await nget(other.agent, '/account/wallets', other.jwt)).body).toEqual({ wallets: [] });

    expect((await npost(other.agent, '/account/payout-wallet', { wallet_id: poly.body.wallet_id }, other.jwt)).body.error.message).toBe('Wallet must be an active wallet owned by the network.');
    expect((await npost(n.agent, '/account/payout-wallet', { wallet_id: poly.body.wallet_id }, n.jwt)).body).toEqual({});
    expect((await nget(n.agent, '/account/payout-wallet', n.jwt)).body).toEqual({ wallet_id: poly.body.wallet_id });
    expect((await npost(n.agent, '/account/payout-wallet', { wallet_id: 'x' }, n.jwt)).status).toBe(400);

    expect((await npost(n.agent, '/account/wallets/remove', { wallet_id: 'abc' }, n.jwt)).body).toEqual({ success: false, error: { message: 'Error parsing id abc' } });
    expect((await npost(other.agent, '/account/wallets/remove', { wallet_id: poly.body.wallet_id }, other.jwt)).body).toEqual({ success: false });
    expect((await npost(n.agent, '/account/wallets/remove', { wallet_id: poly.body.wallet_id }, n.jwt)).body).toEqual({ success: true });
    expect((await nget(n.agent, '/account/payout-wallet', n.jwt)).body).toEqual({ wallet_id: null });
    expect((await nget(n.agent, '/account/wallets', n.jwt)).body.wallets).toHaveLength(1);
    const activities = await t.dataSource.getRepository(Activity).find({ where: { topic: 'wallet' } });
    expect(activities.map((a) => a.action)).toEqual(expect.arrayContaining(['add payout wallet', 'set payout wallet', 'remove payout wallet']));
  });

  it('referral code: one per network, counts the networks that signed up with it', async () => {
    const n = await createNetwork(t);
    const first = await nget(n.agent, '/account/referral-code', n.jwt);
    expect(first.body).toEqual({ referral_code: expect.stringMatching(/^[A-Z0-9]{6}$/), total_referrals: 0 });
    expect((await nget(n.agent, '/account/referral-code', n.jwt)).body.referral_code).toBe(first.body.referral_code);
    const other = await createNetwork(t);
    expect((await nget(other.agent, '/account/referral-code', other.jwt)).body.referral_code).not.toBe(first.body.referral_code);
    await npost(t.agent(), '/auth/network-create', { user_auth: `ref-${Date.now()}@example.com`, password: 'network-passw0rd-2026', network_name: `refnet${Date.now()}`, terms: true, referral_code: first.body.referral_code.toLowerCase() });
    expect((await nget(n.agent, '/account/referral-code', n.jwt)).body.total_referrals).toBe(1);
  });

  it('balance codes: admins create them (secret once, hashed), networks check and redeem once, even concurrently', async () => {
    const { agent: admin } = await agentWithRole(t, 'superadmin', { emailVerified: true });
    const { agent: member } = await agentWithRole(t, 'member', { emailVerified: true });
    expect((await member.post(BALANCE_CODES, { balance_byte_count: 1024, duration_days: 30 })).status).toBeGreaterThanOrEqual(400);
    expect((await admin.post(BALANCE_CODES, { balance_byte_count: 'lots', duration_days: 30 })).body).toEqual({ errors: ['admin.balance_code.non_integer_balance_byte_count'] });
    const created = await admin.post(BALANCE_CODES, { balance_byte_count: 10 * 1024 ** 3, duration_days: 30 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{26}$/), balance_byte_count: 10 * 1024 ** 3, start_time: expect.any(String), end_time: expect.any(String) });
    const secret = created.body.secret as string;
    expect(JSON.stringify(await t.dataSource.query('SELECT * FROM network_balance_codes'))).not.toContain(secret);
    const adminActivity = await t.dataSource.getRepository(Activity).find({ where: { category: 'admin', topic: 'balance_codes', result: 'succeed' } });
    expect(adminActivity).toHaveLength(1);

    const listed = await admin.get(BALANCE_CODES, { query: { page: 1, limit: 10 } });
    expect(listed.body).toEqual([{ balance_code_id: expect.stringMatching(UUID), balance_byte_count: 10 * 1024 ** 3, start_time: created.body.start_time, end_time: created.body.end_time, redeem_time: null }]);
    expect(listed.headers.total).toBe('1');

    const n = await createNetwork(t);
    const other = await createNetwork(t);
    expect((await nget(n.agent, '/subscription/balance', n.jwt)).body).toEqual({ balance_byte_count: 0, pending_payout_usd_nano_cents: 0, update_time: expect.stringMatching(GO_TIME) });
    expect((await npost(n.agent, '/subscription/check-balance-code', { secret: 'NOPE' }, n.jwt)).body).toEqual({ error: { message: 'Unknown balance code.' } });
    expect((await npost(n.agent, '/subscription/check-balance-code', { secret }, n.jwt)).body).toEqual({ balance: { start_time: expect.stringMatching(GO_TIME), end_time: expect.stringMatching(GO_TIME), balance_byte_count: 10 * 1024 ** 3 } });

    const redeems = await Promise.all([n, other, n, other].map((x) => npost(x.agent, '/subscription/redeem-balance-code', { secret }, x.jwt)));
    const won = redeems.filter((r) => r.body.transfer_balance);
    expect(won).toHaveLength(1);
    expect(redeems.filter((r) => r.body.error?.message === 'Balance code already redeemed.')).toHaveLength(3);
    expect(won[0]!.body.transfer_balance).toEqual({ transfer_balance_id: expect.stringMatching(UUID), start_time: expect.stringMatching(GO_TIME), end_time: expect.stringMatching(GO_TIME), balance_byte_count: 10 * 1024 ** 3 });
    const winnerJwt = [n, other, n, other][redeems.indexOf(won[0]!)]!.jwt;
    const balance = await nget(n.agent, '/subscription/balance', winnerJwt);
    expect(balance.body.balance_byte_count).toBe(10 * 1024 ** 3);
    expect(balance.body.active_transfer_balances).toEqual([expect.objectContaining({ balance_id: won[0]!.body.transfer_balance.transfer_balance_id, balance_byte_count: 10 * 1024 ** 3, start_balance_byte_count: 10 * 1024 ** 3, net_revenue_nano_cents: 0 })]);
    const loserJwt = winnerJwt === n.jwt ? other.jwt : n.jwt;
    expect((await nget(n.agent, '/subscription/balance', loserJwt)).body.balance_byte_count).toBe(0);
    expect((await npost(n.agent, '/subscription/check-balance-code', { secret }, n.jwt)).body.error.message).toBe('Unknown balance code.');
    expect((await admin.get(BALANCE_CODES)).body[0].redeem_time).toEqual(expect.any(String));
    expect((await npost(n.agent, '/subscription/redeem-balance-code', { secret: 'UNKNOWNCODE' }, n.jwt)).body.error.message).toBe('Unknown balance code.');
  });

  it('create-payment-id: anonymous ids, at most 5 per network per hour', async () => {
    const n = await createNetwork(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await npost(n.agent, '/subscription/create-payment-id', {}, n.jwt);
      expect(res.body.subscription_payment_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(res.body.subscription_payment_id).not.toContain(n.networkId.slice(0, 8));
      ids.push(res.body.subscription_payment_id);
    }
    expect(new Set(ids).size).toBe(5);
    expect((await npost(n.agent, '/subscription/create-payment-id', {}, n.jwt)).body).toEqual({ error: { message: 'Too many subscription payments in the last hour. Try again later.' } });
    const other = await createNetwork(t);
    expect((await npost(other.agent, '/subscription/create-payment-id', {}, other.jwt)).body.subscription_payment_id).toEqual(expect.any(String));
  });
});
