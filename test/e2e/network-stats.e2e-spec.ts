import { ProviderStatsService } from '../../src/network/stats/provider-stats.service.js';
import { dayKey } from '../../src/network/common/go-time.js';
import { addClient, createNetwork, GO_TIME, nget, npost } from '../support/network.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const SEED_KEYS = [
  'lookback', 'created_time', 'all_transfer_data', 'all_transfer_summary', 'all_transfer_summary_rate', 'all_packets_data', 'all_packets_summary',
  'all_packets_summary_rate', 'providers_data', 'providers_superspeed_data', 'providers_summary', 'providers_summary_superspeed', 'countries_data',
  'countries_summary', 'regions_data', 'regions_summary', 'cities_data', 'cities_summary', 'extender_transfer_data', 'extender_transfer_summary',
  'extender_transfer_summary_rate', 'extenders_data', 'extenders_superspeed_data', 'extenders_summary', 'extenders_summary_superspeed',
  'networks_data', 'networks_summary', 'devices_data', 'devices_summary',
];

describe('network face: stats, transfer, preferences, feedback, connect, hello', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('hello answers the caller address, with or without a bearer', async () => {
    const res = await nget(t.agent({ ip: '203.0.113.9' }), '/hello', 'not-a-jwt');
    expect(res.status).toBe(200);
    expect(res.body.client_address).toMatch(/^203\.0\.113\.9:\d+$/);
  });

  it('stats/last-90 has every key of the seed, 90 days, created_time in unix ms', async () => {
    await createNetwork(t);
    const res = await nget(t.agent(), '/stats/last-90');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([...SEED_KEYS].sort());
    expect(res.body.lookback).toBe(90);
    expect(Math.abs(res.body.created_time - Date.now())).toBeLessThan(60_000);
    expect(Object.keys(res.body.networks_data)).toHaveLength(90);
    expect(res.body.networks_data[dayKey(Date.now())]).toBeGreaterThanOrEqual(1);
    expect(Object.values(res.body.all_packets_data).every((v) => v === 0)).toBe(true);
  });

  it('provider stats: real figures for the caller network only; another network\'s client is 403', async () => {
    const n = await createNetwork(t);
    const other = await createNetwork(t);
    const provider = await addClient(n.agent, n.jwt, 'provider');
    await npost(n.agent, '/device/set-provide', { client_id: provider.clientId, provide_mode: 3 }, n.jwt);
    const today = dayKey(Date.now());
    await t.get(ProviderStatsService).add(n.networkId, provider.clientId, today, { uptimeMinutes: 90, transferBytes: 2 * 2 ** 30, payoutNanoCents: 1_500_000_000, contracts: 4, clients: 2 });

    const providers = await nget(n.agent, '/stats/providers', n.jwt);
    expect(providers.body).toEqual({
      created_time: expect.stringMatching(GO_TIME),
      providers: [
        {
          client_id: provider.clientId, connected: false, connected_events_last_24h: [], uptime_last_24h: 1.5, transfer_data_last_24h: 2, payout_last_24h: 1.5,
          search_interest_last_24h: 0, contracts_last_24h: 4, clients_last_24h: 2, provide_mode: 3,
        },
      ],
    });
    expect((await nget(other.agent, '/stats/providers', other.jwt)).body.providers).toEqual([]);

    const last90 = await npost(n.agent, '/stats/provider-last-90', { client_id: provider.clientId }, n.jwt);
    expect(last90.body).toEqual(expect.objectContaining({ lookback: 90, created_time: expect.stringMatching(GO_TIME) }));
    expect(Object.keys(last90.body.uptime)).toHaveLength(90);
    expect(last90.body.transfer_data[today]).toBe(2);
    expect(last90.body.contracts[today]).toBe(4);
    expect(last90.body.client_details).toEqual([{ client_id: provider.clientId, transfer_data: expect.objectContaining({ [today]: 2 }) }]);
    const refused = await npost(other.agent, '/stats/provider-last-90', { client_id: provider.clientId }, other.jwt);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: { message: 'Not authorized to view this provider.' } });
    expect((await npost(n.agent, '/stats/provider-last-90', { client_id: 'x' }, n.jwt)).status).toBe(400);

    const overview = await nget(n.agent, '/stats/providers-overview-last-90', n.jwt);
    expect(overview.body.uptime[today]).toBe(1.5);
    expect(overview.body.payout[today]).toBe(1.5);
    expect(overview.body.client_details).toBeUndefined();
    expect(Object.values((await nget(other.agent, '/stats/providers-overview-last-90', other.jwt)).body.transfer_data).every((v) => v === 0)).toBe(true);

    expect((await nget(n.agent, '/transfer/stats', n.jwt)).body).toEqual({ paid_bytes_provided: 0, unpaid_bytes_provided: 2 * 2 ** 30 });
    expect((await nget(other.agent, '/transfer/stats', other.jwt)).body).toEqual({ paid_bytes_provided: 0, unpaid_bytes_provided: 0 });
    expect((await nget(t.agent(), '/stats/providers')).status).toBe(401);
  });

  it('preferences read back what was set, per network', async () => {
    const n = await createNetwork(t);
    const other = await createNetwork(t);
    expect((await nget(n.agent, '/preferences', n.jwt)).body).toEqual({ product_updates: false });
    expect((await npost(n.agent, '/preferences/set-preferences', { product_updates: true }, n.jwt)).body).toEqual({});
    expect((await nget(n.agent, '/preferences', n.jwt)).body).toEqual({ product_updates: true });
    expect((await nget(other.agent, '/preferences', other.jwt)).body).toEqual({ product_updates: false });
    expect((await npost(n.agent, '/preferences/set-preferences', { product_updates: 'yes' }, n.jwt)).status).toBe(400);
  });

  it('feedback is stored for the network and user', async () => {
    const n = await createNetwork(t);
    const res = await npost(n.agent, '/feedback/send-feedback', { uses: { personal: true }, needs: { private: true, other: 'faster servers' }, star_count: 5 }, n.jwt);
    expect(res.body).toEqual({ feedback_id: expect.any(String) });
    const rows = await t.dataSource.query('SELECT network_id, needs, uses, star_count FROM network_feedback WHERE id = $1', [res.body.feedback_id]);
    expect(rows[0]).toEqual({ network_id: n.networkId, needs: { private: true, other: 'faster servers' }, uses: { personal: true }, star_count: 5 });
    expect((await npost(n.agent, '/feedback/send-feedback', { star_count: 'five' }, n.jwt)).status).toBe(400);
  });

  it('connect/control: a client JWT; an empty pack in the form sent; bad base64 is 400', async () => {
    const n = await createNetwork(t);
    const c = await addClient(n.agent, n.jwt);
    expect((await npost(n.agent, '/connect/control', { pack: '' }, c.jwt)).body).toEqual({ pack: '', error: null });
    expect((await npost(n.agent, '/connect/control', { pack: 'CgQIARAB' }, c.jwt)).body).toEqual({ pack: '', error: null });
    expect((await npost(n.agent, '/connect/control', { pack: [] }, c.jwt)).body).toEqual({ pack: [], error: null });
    expect((await npost(n.agent, '/connect/control', { pack: ['CgQIARAB'] }, c.jwt)).body).toEqual({ pack: [], error: null });
    expect((await npost(n.agent, '/connect/control', { pack: '***' }, c.jwt)).status).toBe(400);
    expect((await npost(n.agent, '/connect/control', { pack: '' }, n.jwt)).status).toBe(401);
  });
});
