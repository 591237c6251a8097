import { BlockList } from 'node:net';
import type { GeoLocation } from './geoip.js';
import { CATEGORIES, RestrictionCategory, canonicalIp, continentCode, countryCode, parseSubnet, resolveCode } from './restriction-rules.js';

/** The whitelink redemption endpoint is never screened (so a blocked IP can whitelist itself). */
export const UNSCREENED_PATH = 'api/v2/barong/identity/users/access';

export interface RestrictionRow {
  id: number;
  category: string;
  scope: string;
  value: string;
  code: number | null;
}

interface Rule {
  id: number;
  code: number;
}

interface CompiledCategory {
  all?: Rule;
  ips: Map<string, Rule>;
  subnets: { list: BlockList; family: 'ipv4' | 'ipv6'; rule: Rule }[];
  continents: Map<string, Rule>;
  countries: Map<string, Rule>;
}

export interface Refusal {
  category: Exclude<RestrictionCategory, 'whitelist'>;
  code: number;
  restrictionId: number;
}

function emptyCategory(): CompiledCategory {
  return { ips: new Map(), subnets: [], continents: new Map(), countries: new Map() };
}

/**
 * Enabled restrictions compiled for screening: categories in precedence order, and within each
 * the scopes all → ip → ip_subnet → continent → country; the first row (lowest id) of a scope wins.
 */
export class RestrictionMatcher {
  private constructor(
    private readonly categories: Map<RestrictionCategory, CompiledCategory>,
    readonly size: number,
    readonly needsGeo: boolean,
  ) {}

  static readonly EMPTY = new RestrictionMatcher(new Map(), 0, false);

  /** Rows must be enabled ones, ordered by id. Rows whose value cannot be used are reported and skipped. */
  static compile(rows: RestrictionRow[], onInvalid: (row: RestrictionRow) => void = () => undefined): RestrictionMatcher {
    const categories = new Map<RestrictionCategory, CompiledCategory>();
    let size = 0;
    let needsGeo = false;
    for (const row of rows) {
      if (!(CATEGORIES as readonly string[]).includes(row.category)) {
        onInvalid(row);
        continue;
      }
      // A code that is not an error status (a row written by hand) falls back to the default.
      const given = row.code !== null && row.code >= 400 && row.code <= 599 ? row.code : null;
      const code = resolveCode(row.category, row.scope, given);
      if (code === null) {
        onInvalid(row);
        continue;
      }
      const rule: Rule = { id: row.id, code };
      const category = row.category as RestrictionCategory;
      let c = categories.get(category);
      if (!c) categories.set(category, (c = emptyCategory()));
      const added = addRule(c, row, rule);
      if (!added) {
        onInvalid(row);
        continue;
      }
      size++;
      if (row.scope === 'country' || row.scope === 'continent') needsGeo = true;
    }
    return new RestrictionMatcher(categories, size, needsGeo);
  }

  /**
   * Barong's screening: a whitelist match ends it, maintenance and blacklist refuse, blocklogin
   * refuses only sign-in routes (routes marked as logins, on every face). `geo` is called at most once, and only if a geo rule is
   * reached.
   */
  screen(ip: string, login: boolean, geo: (ip: string) => GeoLocation | undefined): Refusal | undefined {
    if (!this.size) return undefined;
    const canonical = canonicalIp(ip);
    let located: GeoLocation | undefined | null = null;
    const where = (): GeoLocation | undefined => {
      if (located === null) located = canonical ? geo(canonical) : undefined;
      return located;
    };
    for (const category of CATEGORIES) {
      const c = this.categories.get(category);
      if (!c) continue;
      const rule = firstMatch(c, canonical, where);
      if (!rule) continue;
      if (category === 'whitelist') return undefined;
      if (category === 'blocklogin' && !login) continue;
      return { category, code: rule.code, restrictionId: rule.id };
    }
    return undefined;
  }
}

function addRule(c: CompiledCategory, row: RestrictionRow, rule: Rule): boolean {
  switch (row.scope) {
    case 'all':
      c.all ??= rule;
      return true;
    case 'ip': {
      const ip = canonicalIp(row.value);
      if (!ip) return false;
      if (!c.ips.has(ip)) c.ips.set(ip, rule);
      return true;
    }
    case 'ip_subnet': {
      const subnet = parseSubnet(row.value);
      if (!subnet) return false;
      const list = new BlockList();
      list.addSubnet(subnet.network, subnet.prefix, subnet.family);
      c.subnets.push({ list, family: subnet.family, rule });
      return true;
    }
    case 'continent': {
      const code = continentCode(row.value);
      if (!code) return false;
      if (!c.continents.has(code)) c.continents.set(code, rule);
      return true;
    }
    case 'country': {
      const code = countryCode(row.value);
      if (!code) return false;
      if (!c.countries.has(code)) c.countries.set(code, rule);
      return true;
    }
    default:
      return false;
  }
}

function firstMatch(c: CompiledCategory, ip: string | undefined, where: () => GeoLocation | undefined): Rule | undefined {
  if (c.all) return c.all;
  if (!ip) return undefined;
  const exact = c.ips.get(ip);
  if (exact) return exact;
  if (c.subnets.length) {
    const family = ip.includes(':') ? 'ipv6' : 'ipv4';
    for (const s of c.subnets) if (s.family === family && s.list.check(ip, family)) return s.rule;
  }
  if (c.continents.size) {
    const geo = where();
    if (geo) {
      const hit = pickFirst(geo.continents.map((code) => c.continents.get(code)));
      if (hit) return hit;
    }
  }
  if (c.countries.size) {
    const geo = where();
    if (geo) return c.countries.get(geo.country);
  }
  return undefined;
}

/** Of several matching rules, the oldest (Barong picks the first row in table order). */
function pickFirst(rules: (Rule | undefined)[]): Rule | undefined {
  let best: Rule | undefined;
  for (const r of rules) if (r && (!best || r.id < best.id)) best = r;
  return best;
}
