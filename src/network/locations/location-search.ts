import { type Location, type LocationData, type LocationGroup, loadLocationData } from './location-data.js';
import { LocationTable, type LocationTableParts } from './location-table.js';
import { normalizeQuery, PrefixIndex, type PrefixIndexParts, shared, sharedParts } from './prefix-index.js';

/** Direct matches a search keeps (closest first), before their parents are added. */
const MAX_MATCHES = 30;
/** City candidates read from the index before ranking (the index holds ~450k city strings). */
const CITY_CANDIDATES = 300;

export interface LocationMatch {
  location: Location;
  distance: number;
}

export interface GroupMatch {
  group: LocationGroup;
  distance: number;
}

export interface CatalogParts {
  table: LocationTableParts;
  groups: LocationGroup[];
  search: SearchParts;
}

/** What a search needs, as typed arrays only: a thread that only searches holds no location objects. */
export interface SearchParts {
  small: PrefixIndexParts;
  cities: PrefixIndexParts;
  /** Per location: TYPE_RANK of its type, its name's length, the positions of its region and country (-1 for none). */
  rank: Uint8Array;
  nameLength: Uint16Array;
  region: Int32Array;
  country: Int32Array;
  /** Per group: its name's length. */
  groupNameLength: Uint16Array;
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
 * The search over a catalog, on typed arrays: the small index (countries, regions, groups) and the
 * city index, closest matches first (then countries before regions before cities, then shorter
 * names), with the regions and countries of what matched.
 */
export class CatalogSearch {
  private readonly small: PrefixIndex;
  private readonly cities: PrefixIndex;
  /** Items of the small index at or above this number are groups (item - offset). */
  private readonly groupOffset: number;

  constructor(readonly parts: SearchParts) {
    this.small = PrefixIndex.fromParts(parts.small);
    this.cities = PrefixIndex.fromParts(parts.cities);
    this.groupOffset = parts.rank.length;
  }

  get indexedStrings(): number {
    return this.small.size + this.cities.size;
  }

  /** The same parts in shared memory, for another thread to search without a copy. */
  shared(): SearchParts {
    const p = this.parts;
    return {
      small: sharedParts(p.small),
      cities: sharedParts(p.cities),
      rank: shared(p.rank),
      nameLength: shared(p.nameLength),
      region: shared(p.region),
      country: shared(p.country),
      groupNameLength: shared(p.groupNameLength),
    };
  }

  searchItems(query: string, maxDistance: number): SearchItems {
    const { rank, nameLength, region, country, groupNameLength } = this.parts;
    const groups: { k: number; d: number }[] = [];
    const matches: { i: number; d: number }[] = [];
    for (const [item, d] of this.small.search(query, maxDistance)) {
      if (item >= this.groupOffset) groups.push({ k: item - this.groupOffset, d });
      else matches.push({ i: item, d });
    }
    for (const [item, d] of this.cities.search(query, maxDistance, CITY_CANDIDATES)) matches.push({ i: item, d });
    matches.sort((a, b) => a.d - b.d || rank[a.i]! - rank[b.i]! || nameLength[a.i]! - nameLength[b.i]!);
    groups.sort((a, b) => a.d - b.d || groupNameLength[a.k]! - groupNameLength[b.k]!);
    const kept = matches.slice(0, MAX_MATCHES);
    // Then the regions and countries of what matched, one step further away unless they matched.
    const out = new Map<number, number>();
    for (const m of kept) out.set(m.i, m.d);
    for (const m of kept) {
      for (const parent of [region[m.i]!, country[m.i]!]) if (parent >= 0 && !out.has(parent)) out.set(parent, maxDistance + 1);
    }
    const locations: number[] = [];
    for (const [i, d] of out) locations.push(i, d);
    return { groups: groups.slice(0, MAX_MATCHES).flatMap((g) => [g.k, g.d]), locations, maxDistance };
  }
}

/**
 * Every country, region and city of the data set plus the location groups, searchable by name
 * prefix with typos. Cities index "City, Country", "City (CC)" and "City, Region"; regions
 * "Region, Country" and "Region (CC)"; countries "Country (CC)" and "CC"; groups their name.
 * The locations are kept as columns (LocationTable), not objects.
 */
export class LocationCatalog {
  readonly table: LocationTable;
  readonly groups: LocationGroup[];
  /** Countries by lower-case code. */
  readonly countryByCode = new Map<string, Location>();
  readonly groupById = new Map<string, LocationGroup>();
  readonly searcher: CatalogSearch;

  private constructor(parts: CatalogParts) {
    this.table = LocationTable.fromParts(parts.table);
    this.groups = parts.groups;
    this.searcher = new CatalogSearch(parts.search);
    for (let i = 0; i < this.table.size; i++) {
      if (this.table.type(i) === 'country') {
        const country = this.table.at(i);
        this.countryByCode.set(country.countryCode, country);
      }
    }
    for (const g of this.groups) this.groupById.set(g.id, g);
  }

  /** Everything the catalog is made of, as structured-cloneable values with the search arrays in shared memory. */
  sharedParts(): CatalogParts {
    return { table: this.table.parts(), groups: this.groups, search: this.searcher.shared() };
  }

  /** A catalog from parts built elsewhere (a worker thread), without rebuilding the indexes. */
  static fromParts(parts: CatalogParts): LocationCatalog {
    return new LocationCatalog(parts);
  }

  /** Builds the table and the indexes (seconds of CPU for the whole data set). */
  static build(data: LocationData = loadLocationData()): LocationCatalog {
    const groupOffset = data.locations.length;
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
    data.groups.forEach((g, k) => smallEntries.push({ text: n(g.name), item: groupOffset + k }));
    const table = LocationTable.build(data.locations).parts();
    return new LocationCatalog({
      table,
      groups: data.groups,
      search: {
        small: new PrefixIndex(smallEntries).parts(),
        cities: new PrefixIndex(cityEntries).parts(),
        rank: table.type,
        nameLength: Uint16Array.from(data.locations, (l) => Math.min(l.name.length, 0xffff)),
        region: table.region,
        country: table.country,
        groupNameLength: Uint16Array.from(data.groups, (g) => Math.min(g.name.length, 0xffff)),
      },
    });
  }

  location(id: string): Location | undefined {
    const i = this.table.indexOf(id);
    return i < 0 ? undefined : this.table.at(i);
  }

  get indexedStrings(): number {
    return this.searcher.indexedStrings;
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
    return this.fromItems(this.searcher.searchItems(query, maxDistance));
  }

  /** The result `searchItems` stands for, in this catalog (built from the same parts). */
  fromItems(items: SearchItems): SearchResult {
    const groups: GroupMatch[] = [];
    const locations: LocationMatch[] = [];
    for (let i = 0; i < items.groups.length; i += 2) groups.push({ group: this.groups[items.groups[i]!]!, distance: items.groups[i + 1]! });
    for (let i = 0; i < items.locations.length; i += 2) locations.push({ location: this.table.at(items.locations[i]!), distance: items.locations[i + 1]! });
    return { groups, locations, maxDistance: items.maxDistance };
  }
}
