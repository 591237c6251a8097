import { isIP } from 'node:net';
import { continents, getCountryDataList } from 'countries-list';

/** Precedence order: a whitelist match ends screening, the others refuse. */
export const CATEGORIES = ['whitelist', 'maintenance', 'blacklist', 'blocklogin'] as const;
/** Order in which scopes are tried within a category. */
export const SCOPES = ['all', 'ip', 'ip_subnet', 'continent', 'country'] as const;
export const STATES = ['enabled', 'disabled'] as const;

export type RestrictionCategory = (typeof CATEGORIES)[number];
export type RestrictionScope = (typeof SCOPES)[number];
export type RestrictionState = (typeof STATES)[number];

export const MAINTENANCE_CODE = 471;
export const DEFAULT_CODES: Record<RestrictionScope, number> = { continent: 423, country: 423, ip_subnet: 403, ip: 401, all: 401 };

/** Barong's assign_code: a whitelist row's code is always recomputed, other rows only when blank. */
export function resolveCode(category: string, scope: string, code: number | null | undefined): number | null {
  if (code !== null && code !== undefined && category !== 'whitelist') return code;
  if (category === 'maintenance') return MAINTENANCE_CODE;
  return DEFAULT_CODES[scope as RestrictionScope] ?? null;
}

/** An IPv4-mapped IPv6 address is its IPv4 address; IPv6 is lower-cased and fully expanded. */
export function canonicalIp(raw: string): string | undefined {
  let ip = raw.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip);
  if (family === 4) return ip.split('.').map((o) => String(Number(o))).join('.');
  if (family !== 6) return undefined;
  return expandIpv6(ip.toLowerCase());
}

function expandIpv6(ip: string): string {
  const withoutZone = ip.replace(/%.*$/, '');
  const hex = withoutZone.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const parts = hex.split('::');
  const left = parts[0] ? parts[0].split(':') : [];
  const right = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
  const groups = parts.length === 2 ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':');
}

export interface ParsedSubnet {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export function parseSubnet(value: string): ParsedSubnet | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(value.trim());
  if (!m) return undefined;
  const family = isIP(m[1]!);
  const prefix = Number(m[2]);
  if (family === 4 && prefix <= 32) return { network: m[1]!, prefix, family: 'ipv4' };
  if (family === 6 && prefix <= 128) return { network: m[1]!, prefix, family: 'ipv6' };
  return undefined;
}

interface CountryIndex {
  byKey: Map<string, string>;
}

let countryIndex: CountryIndex | undefined;

function countries(): CountryIndex {
  if (countryIndex) return countryIndex;
  const byKey = new Map<string, string>();
  const list = getCountryDataList();
  // Codes first, so a name never shadows a code; then names, then well-known aliases.
  for (const c of list) byKey.set(c.iso2.toLowerCase(), c.iso2);
  for (const c of list) if (!byKey.has(c.iso3.toLowerCase())) byKey.set(c.iso3.toLowerCase(), c.iso2);
  for (const c of list) if (!byKey.has(c.name.toLowerCase())) byKey.set(c.name.toLowerCase(), c.iso2);
  for (const c of list) {
    for (const alias of (c as { alias?: string[] }).alias ?? []) if (!byKey.has(alias.toLowerCase())) byKey.set(alias.toLowerCase(), c.iso2);
  }
  countryIndex = { byKey };
  return countryIndex;
}

/** ISO 3166-1 alpha-2 code for an alpha-2 code, alpha-3 code or English name (case-insensitive). */
export function countryCode(value: string): string | undefined {
  return countries().byKey.get(value.trim().toLowerCase());
}

/** Continent code (AF AN AS EU NA OC SA) for a code or English name (case-insensitive). */
export function continentCode(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  for (const [code, name] of Object.entries(continents)) {
    if (code.toLowerCase() === v || name.toLowerCase() === v) return code;
  }
  return undefined;
}

/** True when `value` is acceptable for the scope (ip, CIDR, country, continent; anything for `all`). */
export function validValue(scope: string, value: string): boolean {
  switch (scope) {
    case 'ip':
      return isIP(value.trim()) !== 0;
    case 'ip_subnet':
      return parseSubnet(value) !== undefined;
    case 'country':
      return countryCode(value) !== undefined;
    case 'continent':
      return continentCode(value) !== undefined;
    default:
      return true;
  }
}
