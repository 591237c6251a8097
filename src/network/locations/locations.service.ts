import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { ClientsService, type PublicProvider } from '../clients/clients.service.js';
import { isId } from '../common/ids.js';
import type { Location, LocationGroup } from './location-data.js';
import { SearchClient } from './location-search-channel.js';
import { LocationCatalog, type CatalogParts, type SearchItems, type SearchParts, type SearchResult } from './location-search.js';

export interface LocationView {
  location_id: string;
  location_type: string;
  name: string;
  city_location_id?: string;
  region_location_id?: string;
  country_location_id?: string;
  country_code: string;
  provider_count?: number;
  match_distance?: number;
}

export interface GroupView {
  location_group_id: string;
  name: string;
  provider_count?: number;
  promoted?: boolean;
  match_distance?: number;
}

export interface LocationsResult {
  groups: GroupView[];
  locations: LocationView[];
  devices: { client_id: string; device_name: string }[];
}

/**
 * Search results kept per query, as positions (the data set never changes while running; provider
 * counts are added after): location objects are made per answer, so a kept result is two arrays of
 * small numbers, not dozens of objects and strings for the collector to walk.
 */
const SEARCH_CACHE_SIZE = 2_000;

/**
 * Locations and providers. The catalog (every country, region and city) is built once, in the
 * background right after start-up; requests that arrive before it is ready wait for it rather than
 * search a partial index. Outside tests a second thread runs the searches over the
 * index arrays, shared with it (a typo'd search walks thousands of trie nodes), so the event loop
 * only sends the query and renders the answer; if that thread dies, searches run here.
 */
@Injectable()
export class LocationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Locations');
  private catalogPromise?: Promise<LocationCatalog>;
  private readonly cache = new Map<string, SearchItems>();
  private worker?: Worker;
  private searcher?: SearchClient;

  constructor(
    private readonly clients: ClientsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Outside tests the index is built right after start-up, so the first search does not wait. */
  onApplicationBootstrap(): void {
    if (this.config.nodeEnv !== 'test') setImmediate(() => void this.catalog());
  }

  /**
   * The catalog, built once. Outside tests a worker thread builds it (seconds of CPU that would
   * otherwise stall every request after start-up); if the worker cannot run, it is built here.
   */
  catalog(): Promise<LocationCatalog> {
    this.catalogPromise ??= (async () => {
      const started = Date.now();
      const catalog = this.config.nodeEnv === 'test' ? LocationCatalog.build() : await this.buildInWorker().catch((err: unknown) => {
        this.logger.warn(`location index worker failed (${(err as Error).message}); building on the main thread`);
        return LocationCatalog.build();
      });
      this.logger.log(`location index ready: ${catalog.table.size} locations, ${catalog.indexedStrings} strings, ${Date.now() - started} ms`);
      return catalog;
    })();
    return this.catalogPromise;
  }

  async onApplicationShutdown(): Promise<void> {
    this.searcher?.fail(new Error('shutting down'));
    await this.worker?.terminate();
  }

  /** The catalog from a worker that builds it and exits; then the thread that runs the searches starts. */
  private buildInWorker(): Promise<LocationCatalog> {
    return new Promise<LocationCatalog>((resolve, reject) => {
      const builder = new Worker(new URL('./location-index.worker.js', import.meta.url));
      builder.once('message', (parts: CatalogParts) => {
        void builder.terminate();
        const catalog = LocationCatalog.fromParts(parts);
        this.startSearchThread(parts.search);
        resolve(catalog);
      });
      builder.once('error', reject);
      builder.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
    });
  }

  private startSearchThread(parts: SearchParts): void {
    const worker = new Worker(new URL('./location-search.worker.js', import.meta.url), { workerData: parts });
    worker.unref();
    this.worker = worker;
    const searcher = new SearchClient(worker);
    this.searcher = searcher;
    const gone = (err: Error): void => {
      if (searcher.usable) this.logger.warn(`location search thread stopped (${err.message}); searching on the main thread`);
      searcher.fail(err);
    };
    worker.once('error', gone);
    worker.once('exit', (code) => gone(new Error(`exited with code ${code}`)));
  }

  private async search(catalog: LocationCatalog, query: string, fraction: number | undefined): Promise<SearchResult> {
    const d = LocationCatalog.maxDistance(query, fraction);
    const key = `${d}:${query.trim().toLowerCase()}`;
    let items = this.cache.get(key);
    if (items) {
      this.cache.delete(key);
    } else {
      const searcher = this.searcher;
      items = searcher?.usable ? await searcher.search(query, d).catch(() => catalog.searcher.searchItems(query, d)) : catalog.searcher.searchItems(query, d);
      if (this.cache.size >= SEARCH_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, items);
    return catalog.fromItems(items);
  }

  private static locationView(loc: Location, extra: { provider_count?: number; match_distance?: number }): LocationView {
    const view: LocationView = { location_id: loc.id, location_type: loc.type, name: loc.name, country_code: loc.countryCode };
    if (loc.cityId) view.city_location_id = loc.cityId;
    if (loc.regionId) view.region_location_id = loc.regionId;
    view.country_location_id = loc.countryId;
    if (extra.provider_count !== undefined) view.provider_count = extra.provider_count;
    if (extra.match_distance !== undefined) view.match_distance = extra.match_distance;
    return view;
  }

  private static groupView(g: LocationGroup, extra: { provider_count?: number; match_distance?: number }): GroupView {
    const view: GroupView = { location_group_id: g.id, name: g.name };
    if (extra.provider_count !== undefined) view.provider_count = extra.provider_count;
    if (g.promoted) view.promoted = true;
    if (extra.match_distance !== undefined) view.match_distance = extra.match_distance;
    return view;
  }

  /** Public providers per country code (lower-case). Providers are located to their country. */
  private async providerCounts(): Promise<{ providers: PublicProvider[]; byCountry: Map<string, number> }> {
    const providers = await this.clients.publicProviders();
    const byCountry = new Map<string, number>();
    for (const p of providers) byCountry.set(p.countryCode, (byCountry.get(p.countryCode) ?? 0) + 1);
    return { providers, byCountry };
  }

  private static groupCount(g: LocationGroup, byCountry: Map<string, number>): number {
    return g.members.reduce((sum, cc) => sum + (byCountry.get(cc.toLowerCase()) ?? 0), 0);
  }

  private static uuidQuery(query: string): LocationsResult | undefined {
    const q = query.trim();
    return isId(q) ? { groups: [], locations: [], devices: [{ client_id: q.toLowerCase(), device_name: q }] } : undefined;
  }

  /** Every location and group with at least one public provider, with its count. */
  async providerLocations(): Promise<LocationsResult> {
    const catalog = await this.catalog();
    const { byCountry } = await this.providerCounts();
    const locations: LocationView[] = [];
    for (const [cc, count] of byCountry) {
      const loc = catalog.countryByCode.get(cc);
      if (loc) locations.push(LocationsService.locationView(loc, { provider_count: count }));
    }
    const groups = catalog.groups
      .map((g) => ({ g, count: LocationsService.groupCount(g, byCountry) }))
      .filter((x) => x.count > 0)
      .map((x) => LocationsService.groupView(x.g, { provider_count: x.count }));
    return { groups, locations, devices: [] };
  }

  async findProviderLocations(query: string, fraction?: number): Promise<LocationsResult> {
    if (!query.trim()) return this.providerLocations();
    const asId = LocationsService.uuidQuery(query);
    if (asId) return asId;
    const catalog = await this.catalog();
    const { byCountry } = await this.providerCounts();
    const found = await this.search(catalog, query, fraction);
    const countOf = (loc: Location): number => byCountry.get(loc.countryCode) ?? 0;
    return {
      groups: found.groups
        .map((m) => ({ m, count: LocationsService.groupCount(m.group, byCountry) }))
        .filter((x) => x.count > 0)
        .map((x) => LocationsService.groupView(x.m.group, { provider_count: x.count, match_distance: x.m.distance })),
      // Providers are known by country, so only countries carry them.
      locations: found.locations
        .filter((m) => m.location.type === 'country' && countOf(m.location) > 0)
        .map((m) => LocationsService.locationView(m.location, { provider_count: countOf(m.location), match_distance: m.distance })),
      devices: [],
    };
  }

  async findLocations(query: string, fraction?: number): Promise<LocationsResult> {
    const asId = LocationsService.uuidQuery(query);
    if (asId) return asId;
    const catalog = await this.catalog();
    if (!query.trim()) return { groups: catalog.groups.map((g) => LocationsService.groupView(g, {})), locations: [], devices: [] };
    const found = await this.search(catalog, query, fraction);
    return {
      groups: found.groups.map((m) => LocationsService.groupView(m.group, { match_distance: m.distance })),
      locations: found.locations.map((m) => LocationsService.locationView(m.location, { match_distance: m.distance })),
      devices: [],
    };
  }

  /** Country codes (lower-case) a location or group stands for. */
  async countriesOf(spec: { locationId?: string; groupId?: string }): Promise<Set<string>> {
    const catalog = await this.catalog();
    const out = new Set<string>();
    if (spec.locationId) {
      const loc = catalog.location(spec.locationId.toLowerCase());
      if (loc) out.add(loc.countryCode);
    }
    if (spec.groupId) {
      const group = catalog.groupById.get(spec.groupId.toLowerCase());
      for (const cc of group?.members ?? []) out.add(cc.toLowerCase());
    }
    return out;
  }

  publicProviders(): Promise<PublicProvider[]> {
    return this.clients.publicProviders();
  }
}
