import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

export type LocationType = 'country' | 'region' | 'city';

export interface Location {
  id: string;
  type: LocationType;
  name: string;
  /** Lower-case ISO 3166-1 alpha-2. */
  countryCode: string;
  countryId: string;
  regionId?: string;
  cityId?: string;
  countryName: string;
  regionName?: string;
}

export interface LocationGroup {
  id: string;
  name: string;
  promoted: boolean;
  /** Upper-case country codes of its member countries. */
  members: string[];
}

/** A stable id for a location key (the same on every start and instance). */
export function locationId(key: string): string {
  const h = createHash('sha256').update(`urnetwork-location:${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The promoted groups the apps show first, then one group per continent. */
const PROMOTED: [string, string[]][] = [
  ['Nordic', ['DK', 'FI', 'IS', 'NO', 'SE']],
  ['Strong Privacy Laws and Internet Freedom', ['CH', 'IS', 'NO', 'SE', 'NL', 'DE', 'EE', 'FI', 'DK', 'CA', 'AU', 'NZ', 'LU', 'AT', 'IE']],
];

export interface LocationData {
  locations: Location[];
  groups: LocationGroup[];
}

/**
 * Countries, regions (states) and cities of the country-state-city data set, with groups. The data
 * set is loaded here, not when this module is imported: the thread that builds the catalog needs
 * it, the threads that only serve requests would carry ~30 MB of objects for nothing.
 */
export function loadLocationData(): LocationData {
  const require = createRequire(import.meta.url);
  const { City, Country, State } = require('country-state-city') as typeof import('country-state-city');
  const { continents, countries: countryInfo } = require('countries-list') as typeof import('countries-list');
  const locations: Location[] = [];
  const countryByCode = new Map<string, Location>();
  const regionByKey = new Map<string, Location>();
  for (const c of Country.getAllCountries()) {
    const cc = c.isoCode.toLowerCase();
    const id = locationId(`country:${cc}`);
    const loc: Location = { id, type: 'country', name: c.name, countryCode: cc, countryId: id, countryName: c.name };
    locations.push(loc);
    countryByCode.set(cc, loc);
  }
  for (const s of State.getAllStates()) {
    const country = countryByCode.get(s.countryCode.toLowerCase());
    if (!country) continue;
    const id = locationId(`region:${country.countryCode}:${s.isoCode}`);
    const loc: Location = { id, type: 'region', name: s.name, countryCode: country.countryCode, countryId: country.id, regionId: id, countryName: country.name, regionName: s.name };
    locations.push(loc);
    regionByKey.set(`${country.countryCode}:${s.isoCode}`, loc);
  }
  for (const city of City.getAllCities()) {
    const cc = city.countryCode.toLowerCase();
    const country = countryByCode.get(cc);
    if (!country) continue;
    const region = regionByKey.get(`${cc}:${city.stateCode}`);
    const id = locationId(`city:${cc}:${city.stateCode}:${city.name}`);
    locations.push({ id, type: 'city', name: city.name, countryCode: cc, countryId: country.id, regionId: region?.id, cityId: id, countryName: country.name, regionName: region?.name });
  }
  const groups: LocationGroup[] = PROMOTED.map(([name, members]) => ({ id: locationId(`group:${name}`), name, promoted: true, members }));
  const byContinent = new Map<string, string[]>();
  for (const [code, info] of Object.entries(countryInfo)) byContinent.set(info.continent, [...(byContinent.get(info.continent) ?? []), code]);
  for (const [code, name] of Object.entries(continents)) groups.push({ id: locationId(`group:${name}`), name, promoted: false, members: byContinent.get(code) ?? [] });
  return { locations, groups };
}
