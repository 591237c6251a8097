import { type Location, type LocationData, type LocationGroup, loadLocationData } from './location-data.js';
import { normalizeQuery, PrefixIndex, type PrefixIndexParts, sharedParts } from './prefix-index.js';

/** Direct matches a search keeps (closest first), before their parents are added. */
const MAX_MATCHES = 30;
/** City candidates read from the index before ranking (the index holds ~450k city strings). */
const CITY_CANDIDATES = 300;
const TYPE_RANK = { country: 0, region: 1, city: 2 } as const;

export interface LocationMatch {
  location: Location;
  distance: number;
}

export interface GroupMatch {
  group: LocationGroup;
  distance: number;
}

export interface CatalogParts {
  data: { locations: Location[]; groups: LocationGroup[] };
  small: PrefixIndexParts;
  cities: PrefixIndexParts;
}

export interface SearchResult {
  groups: GroupMatch[];
  locations: LocationMatch[];
  /** The distance allowed for this query; parents that did not match directly get this + 1. */
  maxDistance: number;
}

/** A search result as numbers (to cross threads cheaply): [index, distance] pairs into the catalog's groups and locations. */
export interface SearchItems {
  groups: number[];
  locations: number[];
  maxDistance: number;
}

/**
 * Every country, region and city of the data set plus the location groups, searchable by name
 * prefix with typos. Cities index "City, Country", "City (CC)" and "City, Region"; regions
 * "Region, Country" and "Region (CC)"; countries "Country (CC)" and "CC"; groups their name.
 */
export class LocationCatalog {
  readonly data: LocationData;
  /** Position of each location in `data.locations`, by id. */
  private readonly indexById = new Map<string, number>();
  readonly groupById = new Map<string, LocationGroup>();
  private readonly small: PrefixIndex;
  private readonly cities: PrefixIndex;
  /** Items of the small index at or above this number are groups (item - offset). */
  private readonly groupOffset: number;

  /** Everything the catalog is made of, as structured-cloneable values and typed arrays. */
  parts(): CatalogParts {
    return { data: { locations: this.data.locations, groups: this.data.groups }, small: this.small.parts(), cities: this.cities.parts() };
  }

  /** The parts with the index arrays in shared memory (the data itself is copied by whoever receives it). */
  sharedParts(): CatalogParts {
    const parts = this.parts();
    return { ...parts, small: sharedParts(parts.small), cities: sharedParts(parts.cities) };
  }

  /** A catalog from parts built elsewhere (a worker thread), without rebuilding the indexes. */
  static fromParts(parts: CatalogParts): LocationCatalog {
    const countryByCode = new Map(parts.data.locations.filter((l) => l.type === 'country').map((l) => [l.countryCode, l]));
    return new LocationCatalog({ ...parts.data, countryByCode }, { small: PrefixIndex.fromParts(parts.small), cities: PrefixIndex.fromParts(parts.cities) });
  }

  constructor(data: LocationData = loadLocationData(), built?: { small: PrefixIndex; cities: PrefixIndex }) {
    this.data = data;
    this.groupOffset = data.locations.length;
    if (built) {
      data.locations.forEach((loc, i) => this.indexById.set(loc.id, i));
      data.groups.forEach((g) => this.groupById.set(g.id, g));
      this.small = built.small;
      this.cities = built.cities;
      return;
    }
    const smallEntries: { text: string; item: number }[] = [];
    const cityEntries: { text: string; item: number }[] = [];
    // Each name is normalised once; the indexed strings are built from the normalised parts.
    const norm = new Map<string, string>();
    const n = (text: string): string => {
      let v = norm.get(text);
      if (v === undefined) norm.set(text, (v = normalizeQuery(text)));
      return v;
    };
    data.locations.forEach((loc, i) => {
      this.indexById.set(loc.id, i);
      const cc = loc.countryCode;
      const name = n(loc.name);
      if (loc.type === 'country') {
        smallEntries.push({ text: `${name} (${cc})`, item: i }, { text: cc, item: i });
      } else if (loc.type === 'region') {
        smallEntries.push({ text: `${name}, ${n(loc.countryName)}`, item: i }, { text: `${name} (${cc})`, item: i });
      } else {
        cityEntries.push({ text: `${name}, ${n(loc.countryName)}`, item: i }, { text: `${name} (${cc})`, item: i });
        if (loc.regionName) cityEntries.push({ text: `${name}, ${n(loc.regionName)}`, item: i });
      }
    });
    data.groups.forEach((g, k) => {
      this.groupById.set(g.id, g);
      smallEntries.push({ text: n(g.name), item: this.groupOffset + k });
    });
    this.small = new PrefixIndex(smallEntries);
    this.cities = new PrefixIndex(cityEntries);
  }

  location(id: string): Location | undefined {
    const i = this.indexById.get(id);
    return i === undefined ? undefined : this.data.locations[i];
  }

  get indexedStrings(): number {
    return this.small.size + this.cities.size;
  }

  /**
   * Edits allowed: the fraction (0.2 unless the caller sets one) of the query length, rounded down,
   * at least one and at most two (the current server's fixed bound): "Germny" may miss one letter,
   * "Rio de Janiero" may have two typos.
   */
  static maxDistance(query: string, fraction?: number): number {
    const f = fraction !== undefined && Number.isFinite(fraction) && fraction >= 0 && fraction <= 1 ? fraction : 0.2;
    return Math.max(1, Math.min(2, Math.floor(f * query.trim().length)));
  }

  search(query: string, maxDistance: number): SearchResult {
    const groups: GroupMatch[] = [];
    const matches: LocationMatch[] = [];
    for (const [item, distance] of this.small.search(query, maxDistance)) {
      if (item >= this.groupOffset) groups.push({ group: this.data.groups[item - this.groupOffset]!, distance });
      else matches.push({ location: this.data.locations[item]!, distance });
    }
    for (const [item, distance] of this.cities.search(query, maxDistance, CITY_CANDIDATES)) {
      matches.push({ location: this.data.locations[item]!, distance });
    }
    const kept = matches
      .sort((a, b) => a.distance - b.distance || TYPE_RANK[a.location.type] - TYPE_RANK[b.location.type] || a.location.name.length - b.location.name.length)
      .slice(0, MAX_MATCHES);
    groups.sort((a, b) => a.distance - b.distance || a.group.name.length - b.group.name.length);
    return { groups: groups.slice(0, MAX_MATCHES), locations: this.withParents(kept, maxDistance + 1), maxDistance };
  }

  /** Adds the regions and countries of matched cities and regions (at `parentDistance` unless they matched). */
  withParents(matches: LocationMatch[], parentDistance: number): LocationMatch[] {
    const out = new Map<string, LocationMatch>();
    for (const m of matches) out.set(m.location.id, m);
    for (const m of matches) {
      for (const parentId of [m.location.regionId, m.location.countryId]) {
        if (!parentId || out.has(parentId)) continue;
        const parent = this.location(parentId);
        if (parent) out.set(parentId, { location: parent, distance: parentDistance });
      }
    }
    return [...out.values()];
  }

  /** `search` as numbers, for a caller in another thread (see `fromItems`). */
  searchItems(query: string, maxDistance: number): SearchItems {
    const found = this.search(query, maxDistance);
    const groups: number[] = [];
    const locations: number[] = [];
    for (const m of found.groups) groups.push(this.data.groups.indexOf(m.group), m.distance);
    for (const m of found.locations) locations.push(this.indexById.get(m.location.id)!, m.distance);
    return { groups, locations, maxDistance: found.maxDistance };
  }

  /** The result `searchItems` stands for, in this catalog (built from the same parts). */
  fromItems(items: SearchItems): SearchResult {
    const groups: GroupMatch[] = [];
    const locations: LocationMatch[] = [];
    for (let i = 0; i < items.groups.length; i += 2) groups.push({ group: this.data.groups[items.groups[i]!]!, distance: items.groups[i + 1]! });
    for (let i = 0; i < items.locations.length; i += 2) locations.push({ location: this.data.locations[items.locations[i]!]!, distance: items.locations[i + 1]! });
    return { groups, locations, maxDistance: items.maxDistance };
  }
}
