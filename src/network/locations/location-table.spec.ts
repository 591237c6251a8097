import { loadLocationData, locationId, type Location } from './location-data.js';
import { LocationTable } from './location-table.js';

describe('the location table', () => {
  const de = locationId('country:de');
  const by = locationId('region:de:BY');
  const munich = locationId('city:de:BY:Munich');
  const country: Location = { id: de, type: 'country', name: 'Germany', countryCode: 'de', countryId: de, countryName: 'Germany' };
  const region: Location = { id: by, type: 'region', name: 'Bavaria', countryCode: 'de', countryId: de, regionId: by, countryName: 'Germany', regionName: 'Bavaria' };
  const city: Location = { id: munich, type: 'city', name: 'München', countryCode: 'de', countryId: de, regionId: by, cityId: munich, countryName: 'Germany', regionName: 'Bavaria' };
  const orphan: Location = { id: locationId('city:de::Nowhere'), type: 'city', name: 'Nowhere', countryCode: 'de', countryId: de, cityId: locationId('city:de::Nowhere'), countryName: 'Germany' };

  it('gives back every location as it was put in, and finds each by id', () => {
    const table = LocationTable.build([country, region, city, orphan]);
    expect([0, 1, 2, 3].map((i) => table.at(i))).toEqual([country, region, city, orphan]);
    expect([de, by, munich, orphan.id].map((id) => table.indexOf(id))).toEqual([0, 1, 2, 3]);
  });

  it('finds nothing for an unknown, malformed or truncated id', () => {
    const table = LocationTable.build([country, region]);
    expect(table.indexOf(munich)).toBe(-1);
    expect(table.indexOf('not-an-id')).toBe(-1);
    expect(table.indexOf(de.slice(0, 35))).toBe(-1);
    expect(table.indexOf(`${de.slice(0, 35)}\u0000`)).toBe(-1);
  });

  it('tells apart ids that land in the same slot', () => {
    // Same first 32 bits, so the same hash: the second is found by probing past the first.
    const a = '00000000-0000-5000-8000-000000000001';
    const b = '00000000-0000-5000-8000-000000000002';
    const locs = [a, b].map((id, k): Location => ({ id, type: 'country', name: `C${k}`, countryCode: `c${k}`, countryId: id, countryName: `C${k}` }));
    const table = LocationTable.build(locs);
    expect(table.indexOf(b)).toBe(1);
    expect(table.at(table.indexOf(b)).name).toBe('C1');
    expect(table.indexOf('00000000-0000-5000-8000-000000000003')).toBe(-1);
  });

  it('holds the whole data set in a few values and answers as the objects did', () => {
    const { locations } = loadLocationData();
    const table = LocationTable.build(locations);
    expect(Object.keys(table.parts())).toHaveLength(8);
    for (let i = 0; i < locations.length; i += 997) {
      expect(table.at(i)).toEqual(locations[i]);
      expect(table.indexOf(locations[i]!.id)).toBe(i);
    }
  });
});
