import { Injectable, Logger } from '@nestjs/common';

/** Where an IP is, as far as restrictions care: its country and continent codes. */
export interface GeoLocation {
  /** ISO 3166-1 alpha-2. */
  country: string;
  countryName: string;
  /** Continent codes (AF AN AS EU NA OC SA); transcontinental countries list several. */
  continents: string[];
}

interface GeoIpCountryRecord {
  country: string;
  name?: string;
  continent?: string;
  continents?: string[];
}

interface GeoIpCountryModule {
  lookup(ip: string): GeoIpCountryRecord | null;
}

/** The package that ships the offline IP → country database (GeoLite2 country data). */
const GEOIP_PACKAGE = 'geoip-country';

/**
 * Offline GeoIP lookups. The database (a few MB, read into memory) is loaded once, the first time
 * a geo rule needs it, and never per request.
 */
@Injectable()
export class GeoIp {
  private readonly logger = new Logger('GeoIp');
  private db?: GeoIpCountryModule;
  private loading?: Promise<GeoIpCountryModule | undefined>;

  get loaded(): boolean {
    return this.db !== undefined;
  }

  /** Loads the database if it is not loaded yet; false when it cannot be loaded. */
  async ensureLoaded(): Promise<boolean> {
    if (this.db) return true;
    this.loading ??= this.load();
    this.db = await this.loading;
    return this.db !== undefined;
  }

  private async load(): Promise<GeoIpCountryModule | undefined> {
    try {
      const specifier: string = GEOIP_PACKAGE;
      const mod = (await import(specifier)) as { default?: GeoIpCountryModule } & Partial<GeoIpCountryModule>;
      const db = mod.default ?? (mod as GeoIpCountryModule);
      if (typeof db.lookup !== 'function') throw new Error('unexpected module shape');
      return db;
    } catch (err) {
      this.logger.error(`GeoIP database could not be loaded; country and continent rules match nothing: ${(err as Error).message}`);
      this.loading = undefined;
      return undefined;
    }
  }

  /** Synchronous lookup; undefined when the database is not loaded or does not know the IP. */
  lookup(ip: string): GeoLocation | undefined {
    if (!this.db) return undefined;
    let record: GeoIpCountryRecord | null;
    try {
      record = this.db.lookup(ip);
    } catch {
      return undefined;
    }
    if (!record?.country) return undefined;
    const continents = [...new Set([record.continent, ...(record.continents ?? [])].filter((c): c is string => !!c))];
    return { country: record.country.toUpperCase(), countryName: record.name ?? record.country, continents };
  }
}
