import { MessageChannel } from 'node:worker_threads';
import { locationId, type Location, type LocationData } from './location-data.js';
import { SearchClient, serveSearches } from './location-search-channel.js';
import { CatalogSearch, LocationCatalog } from './location-search.js';

function smallData(): LocationData {
  const de = locationId('country:de');
  const by = locationId('region:de:BY');
  const country: Location = { id: de, type: 'country', name: 'Germany', countryCode: 'de', countryId: de, countryName: 'Germany' };
  const region: Location = { id: by, type: 'region', name: 'Bavaria', countryCode: 'de', countryId: de, regionId: by, countryName: 'Germany', regionName: 'Bavaria' };
  const munich = locationId('city:de:BY:Munich');
  const city: Location = { id: munich, type: 'city', name: 'Munich', countryCode: 'de', countryId: de, regionId: by, cityId: munich, countryName: 'Germany', regionName: 'Bavaria' };
  const fr = locationId('country:fr');
  const france: Location = { id: fr, type: 'country', name: 'France', countryCode: 'fr', countryId: fr, countryName: 'France' };
  return {
    locations: [country, region, city, france],
    groups: [{ id: locationId('group:Europe'), name: 'Europe', promoted: false, members: ['DE', 'FR'] }],
  };
}

describe('location searches across threads', () => {
  const catalog = LocationCatalog.build(smallData());
  let channel: MessageChannel;
  let client: SearchClient;

  beforeEach(() => {
    channel = new MessageChannel();
    serveSearches(channel.port2, new CatalogSearch(catalog.sharedParts().search));
    client = new SearchClient(channel.port1);
  });
  afterEach(() => {
    channel.port1.close();
    channel.port2.close();
  });

  it('answers as the catalog itself does, in the receiving catalog objects', async () => {
    const receiving = LocationCatalog.fromParts(catalog.sharedParts());
    for (const [query, d] of [['germny', 1], ['munch', 1], ['eurpe', 1], ['bavaria, germany', 2], ['zzzzzz', 1]] as const) {
      const remote = receiving.fromItems(await client.search(query, d));
      expect(remote).toEqual(catalog.search(query, d));
      for (const m of remote.locations) expect(receiving.location(m.location.id)).toEqual(m.location);
    }
    const found = receiving.fromItems(await client.search('munch', 1));
    expect(found.locations.map((m) => [m.location.name, m.distance])).toEqual([['Munich', 1], ['Bavaria', 2], ['Germany', 2]]);
  });

  it('answers concurrent searches each with its own result', async () => {
    const [a, b] = await Promise.all([client.search('germany', 1), client.search('france', 1)]);
    expect(catalog.fromItems(a).locations[0]!.location.name).toBe('Germany');
    expect(catalog.fromItems(b).locations[0]!.location.name).toBe('France');
  });

  it('once the other end has failed, waiting and later searches are refused', async () => {
    channel.port2.close();
    const waiting = client.search('germany', 1);
    client.fail(new Error('search thread stopped'));
    await expect(waiting).rejects.toThrow('search thread stopped');
    expect(client.usable).toBe(false);
    await expect(client.search('france', 1)).rejects.toThrow('search thread stopped');
  });
});
