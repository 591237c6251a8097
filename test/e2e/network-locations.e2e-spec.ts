import { ProviderStatsService } from '../../src/network/stats/provider-stats.service.js';
import { addClient, createNetwork, npost, nget, UUID } from '../support/network.js';
import { createTestApp, TestApp } from '../support/test-app.js';

/** Public IPs the offline GeoIP data places in Germany and in France. */
const GERMAN_IP = '5.9.0.1';
const FRENCH_IP = '90.0.0.1';

describe('network face: locations and providers', () => {
  let t: TestApp;
  let germany: string;
  let france: string;
  beforeAll(async () => {
    t = await createTestApp();
    const found = await npost(t.agent(), '/network/find-locations', { query: 'Germany' });
    germany = found.body.locations.find((l: any) => l.location_type === 'country' && l.name === 'Germany').location_id;
    france = (await npost(t.agent(), '/network/find-locations', { query: 'France' })).body.locations.find((l: any) => l.location_type === 'country' && l.name === 'France').location_id;
    // The first search waits for the index of every city of the world to be built.
  }, 120_000);
  afterAll(() => t?.close());

  it('find-locations is typo tolerant: "Germny" finds Germany; cities come with their region and country', async () => {
    const res = await npost(t.agent(), '/network/find-locations', { query: 'Germny' });
    expect(res.status).toBe(200);
    const country = res.body.locations.find((l: any) => l.name === 'Germany');
    expect(country).toEqual({ location_id: germany, location_type: 'country', name: 'Germany', country_location_id: germany, country_code: 'de', match_distance: 1 });
    const berlin = await npost(t.agent(), '/network/find-locations', { query: 'berlim' });
    const city = berlin.body.locations.find((l: any) => l.location_type === 'city' && l.name === 'Berlin' && l.country_code === 'de');
    expect(city).toEqual(expect.objectContaining({ location_id: expect.stringMatching(UUID), city_location_id: city.location_id, region_location_id: expect.stringMatching(UUID), country_location_id: germany, match_distance: 1 }));
    expect(berlin.body.locations.map((l: any) => l.location_id)).toEqual(expect.arrayContaining([city.region_location_id, germany]));
    expect(berlin.body.devices).toEqual([]);
    expect(Array.isArray(berlin.body.groups)).toBe(true);
    // Ids are stable: the same search gives the same ids.
    expect((await npost(t.agent(), '/network/find-locations', { query: 'Germny' })).body.locations.find((l: any) => l.name === 'Germany').location_id).toBe(germany);
  });

  it('groups (promoted ones marked) and the UUID query answer', async () => {
    const nordic = await npost(t.agent(), '/network/find-locations', { query: 'nordc' });
    expect(nordic.body.groups).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Nordic', promoted: true, location_group_id: expect.stringMatching(UUID) })]));
    const id = '0190a2b4-0000-7000-8000-000000000001';
    expect((await npost(t.agent(), '/network/find-locations', { query: id })).body).toEqual({ groups: [], locations: [], devices: [{ client_id: id, device_name: id }] });
    expect((await npost(t.agent(), '/network/find-locations', { query: 7 })).status).toBe(400);
  });

  it('provider-locations counts public providers by country; find-provider-locations searches only those', async () => {
    expect((await nget(t.agent(), '/network/provider-locations')).body).toEqual({ groups: [], locations: [], devices: [] });
    const n = await createNetwork(t);
    const de1 = await addClient(n.agent, n.jwt, 'de-1', GERMAN_IP);
    const de2 = await addClient(n.agent, n.jwt, 'de-2', GERMAN_IP);
    const fr = await addClient(n.agent, n.jwt, 'fr-1', FRENCH_IP);
    const hidden = await addClient(n.agent, n.jwt, 'de-private', GERMAN_IP);
    for (const c of [de1, de2, fr]) await npost(n.agent, '/device/set-provide', { client_id: c.clientId, provide_mode: 3 }, n.jwt);
    await npost(n.agent, '/device/set-provide', { client_id: hidden.clientId, provide_mode: 1 }, n.jwt);
    await new Promise((r) => setTimeout(r, 1100));

    const all = await nget(t.agent(), '/network/provider-locations');
    expect(all.body.locations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ location_id: germany, provider_count: 2 }),
        expect.objectContaining({ location_id: france, provider_count: 1 }),
      ]),
    );
    expect(all.body.locations).toHaveLength(2);
    expect(all.body.groups).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Europe', provider_count: 3 })]));

    const found = await npost(t.agent(), '/network/find-provider-locations', { query: 'Germny' });
    // The direct match first; countries of matched cities follow at d + 1.
    expect(found.body.locations[0]).toEqual(expect.objectContaining({ location_id: germany, provider_count: 2, match_distance: 1 }));
    expect(found.body.locations.slice(1).every((l: any) => l.match_distance > 1 && l.provider_count > 0)).toBe(true);
    expect((await npost(t.agent(), '/network/find-provider-locations', { query: 'Japan' })).body.locations).toEqual([]);
    expect((await npost(t.agent(), '/network/find-provider-locations', { query: '' })).body.locations).toHaveLength(2);

    // find-providers (legacy) and find-providers2 honour count and exclusions; [] never null.
    const legacy = await npost(t.agent(), '/network/find-providers', { location_id: germany, count: 5, exclude_location_ids: [de1.clientId] });
    expect(legacy.body).toEqual({ client_ids: [de2.clientId] });
    expect((await npost(t.agent(), '/network/find-providers', { location_id: germany, count: 0 })).body).toEqual({ client_ids: [] });

    const two = await npost(t.agent(), '/network/find-providers2', { specs: [{ location_id: germany }, { location_id: france }], count: 10 });
    expect(two.body.providers.map((p: any) => p.client_id).sort()).toEqual([de1.clientId, de2.clientId, fr.clientId].sort());
    expect(two.body.providers[0]).toEqual({ client_id: expect.stringMatching(UUID), estimated_bytes_per_second: 0 });
    const one = await npost(t.agent(), '/network/find-providers2', { specs: [{ location_id: germany }, { location_id: france }], count: 1 });
    expect(one.body.providers).toHaveLength(1);
    const excluded = await npost(t.agent(), '/network/find-providers2', {
      specs: [{ location_id: germany }, { location_id: france }],
      exclude_client_ids: [de1.clientId],
      exclude_destinations: [[fr.clientId]],
    });
    expect(excluded.body.providers.map((p: any) => p.client_id)).toEqual([de2.clientId]);
    expect((await npost(t.agent(), '/network/find-providers2', { specs: [] })).body).toEqual({ providers: [] });
    expect((await npost(t.agent(), '/network/find-providers2', { exclude_client_ids: ['bad'] })).status).toBe(400);
    const group = all.body.groups.find((g: any) => g.name === 'Europe');
    expect((await npost(t.agent(), '/network/find-providers2', { specs: [{ location_group_id: group.location_group_id }] })).body.providers).toHaveLength(3);

    // Searches record search interest, which the provider stats show.
    const rows = await t.get(ProviderStatsService).forClients([de2.clientId], '2000-01-01');
    expect(rows[0]!.searchInterest).toBeGreaterThan(0);

    const spec = await npost(t.agent(), '/network/create-provider-spec', { query: 'germ' });
    expect(spec.body.specs).toEqual(expect.arrayContaining([{ location_id: germany }]));
    expect((await npost(t.agent(), '/network/create-provider-spec', { query: '' })).body).toEqual({ specs: [] });
  });
});
