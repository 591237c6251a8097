import type { GeoLocation } from './geoip.js';
import { RestrictionMatcher, type RestrictionRow } from './restriction-matcher.js';
import { canonicalIp, continentCode, countryCode, parseSubnet, resolveCode, validValue } from './restriction-rules.js';

const noGeo = (): GeoLocation | undefined => undefined;
const geoOf = (country: string, ...continents: string[]) => (): GeoLocation => ({ country, countryName: country, continents });

let nextId = 1;
const row = (category: string, scope: string, value: string, code: number | null = null): RestrictionRow => ({ id: nextId++, category, scope, value, code });

describe('restriction rules', () => {
  it('assigns Barong default codes', () => {
    expect(resolveCode('maintenance', 'ip', null)).toBe(471);
    expect(resolveCode('maintenance', 'ip', 503)).toBe(503);
    expect(resolveCode('blacklist', 'country', null)).toBe(423);
    expect(resolveCode('blacklist', 'continent', null)).toBe(423);
    expect(resolveCode('blacklist', 'ip_subnet', null)).toBe(403);
    expect(resolveCode('blacklist', 'ip', null)).toBe(401);
    expect(resolveCode('blocklogin', 'all', null)).toBe(401);
    expect(resolveCode('blacklist', 'ip', 433)).toBe(433);
    expect(resolveCode('whitelist', 'ip_subnet', 499)).toBe(403);
  });

  it('canonicalises IP addresses', () => {
    expect(canonicalIp('203.0.113.4')).toBe('203.0.113.4');
    expect(canonicalIp('::ffff:203.0.113.4')).toBe('203.0.113.4');
    expect(canonicalIp('2001:DB8::4')).toBe('2001:db8:0:0:0:0:0:4');
    expect(canonicalIp('2001:db8:0:0:0:0:0:0004')).toBe('2001:db8:0:0:0:0:0:4');
    expect(canonicalIp('::')).toBe('0:0:0:0:0:0:0:0');
    expect(canonicalIp('::1')).toBe('0:0:0:0:0:0:0:1');
    expect(canonicalIp('fe80::')).toBe('fe80:0:0:0:0:0:0:0');
    expect(canonicalIp('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0:0:0:c000:221');
    expect(canonicalIp('not an ip')).toBeUndefined();
    expect(canonicalIp('1.2.3.256')).toBeUndefined();
  });

  it('validates values per scope', () => {
    expect(validValue('ip', '10.0.0.1')).toBe(true);
    expect(validValue('ip', '2001:db8::1')).toBe(true);
    expect(validValue('ip', '10.0.0.0/8')).toBe(false);
    expect(parseSubnet('10.0.0.0/8')).toEqual({ network: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseSubnet('2001:db8::/32')).toEqual({ network: '2001:db8::', prefix: 32, family: 'ipv6' });
    expect(validValue('ip_subnet', '10.0.0.0/33')).toBe(false);
    expect(validValue('ip_subnet', '2001:db8::/129')).toBe(false);
    expect(validValue('ip_subnet', 'x/8')).toBe(false);
    expect(countryCode('gb')).toBe('GB');
    expect(countryCode('GBR')).toBe('GB');
    expect(countryCode('United Kingdom')).toBe('GB');
    expect(countryCode('USA')).toBe('US');
    expect(countryCode('Atlantis')).toBeUndefined();
    expect(continentCode('eu')).toBe('EU');
    expect(continentCode('South America')).toBe('SA');
    expect(continentCode('Atlantis')).toBeUndefined();
    expect(validValue('all', 'anything')).toBe(true);
  });
});

describe('RestrictionMatcher', () => {
  it('applies categories in precedence order and stops at a whitelist match', () => {
    const m = RestrictionMatcher.compile([
      row('blacklist', 'all', 'all'),
      row('maintenance', 'ip', '10.0.0.2'),
      row('whitelist', 'ip_subnet', '10.0.0.0/31'),
    ]);
    expect(m.screen('10.0.0.1', false, noGeo)).toBeUndefined();
    expect(m.screen('10.0.0.2', false, noGeo)).toMatchObject({ category: 'maintenance', code: 471 });
    expect(m.screen('10.0.0.3', false, noGeo)).toMatchObject({ category: 'blacklist', code: 401 });
  });

  it('tries scopes in order all, ip, ip_subnet, continent, country', () => {
    const m = RestrictionMatcher.compile([
      row('blacklist', 'country', 'US', 435),
      row('blacklist', 'continent', 'NA', 436),
      row('blacklist', 'ip_subnet', '198.51.100.0/24', 434),
      row('blacklist', 'ip', '198.51.100.7', 433),
    ]);
    const us = geoOf('US', 'NA');
    expect(m.screen('198.51.100.7', false, us)?.code).toBe(433);
    expect(m.screen('198.51.100.8', false, us)?.code).toBe(434);
    expect(m.screen('203.0.113.1', false, us)?.code).toBe(436);
    expect(m.screen('203.0.113.1', false, geoOf('MX', 'NA'))?.code).toBe(436);
    expect(m.screen('203.0.113.1', false, geoOf('FR', 'EU'))).toBeUndefined();
    expect(m.needsGeo).toBe(true);
  });

  it('matches transcontinental countries on any of their continents, and the oldest rule wins', () => {
    const m = RestrictionMatcher.compile([row('blacklist', 'continent', 'Europe', 440), row('blacklist', 'continent', 'AS', 441)]);
    expect(m.screen('203.0.113.1', false, geoOf('RU', 'AS', 'EU'))?.code).toBe(440);
    const countries = RestrictionMatcher.compile([row('blacklist', 'country', 'United States', 450), row('blacklist', 'country', 'USA', 451)]);
    expect(countries.screen('203.0.113.1', false, geoOf('US', 'NA'))?.code).toBe(450);
  });

  it('looks the IP up only when a geo rule is reached, and at most once', () => {
    let calls = 0;
    const geo = (): GeoLocation => {
      calls++;
      return { country: 'US', countryName: 'United States', continents: ['NA'] };
    };
    const m = RestrictionMatcher.compile([row('whitelist', 'ip', '10.0.0.1'), row('maintenance', 'country', 'CA'), row('blacklist', 'country', 'US')]);
    expect(m.screen('10.0.0.1', false, geo)).toBeUndefined();
    expect(calls).toBe(0);
    expect(m.screen('10.0.0.2', false, geo)?.category).toBe('blacklist');
    expect(calls).toBe(1);
  });

  it('applies blocklogin only to sign-in routes', () => {
    const m = RestrictionMatcher.compile([row('blocklogin', 'ip', '10.0.0.1', 452)]);
    expect(m.screen('10.0.0.1', false, noGeo)).toBeUndefined();
    expect(m.screen('10.0.0.1', true, noGeo)).toMatchObject({ category: 'blocklogin', code: 452 });
  });

  it('skips rows it cannot apply', () => {
    const bad: RestrictionRow[] = [];
    const m = RestrictionMatcher.compile(
      [row('blacklist', 'ip', 'nonsense'), row('blacklist', 'planet', 'x'), row('greylist', 'all', 'all'), row('blacklist', 'ip', '::ffff:10.0.0.9')],
      (r) => bad.push(r),
    );
    expect(bad.map((r) => r.value)).toEqual(['nonsense', 'x', 'all']);
    expect(m.size).toBe(1);
    expect(m.screen('10.0.0.9', false, noGeo)?.category).toBe('blacklist');
    expect(m.screen('::ffff:10.0.0.9', false, noGeo)?.category).toBe('blacklist');
    expect(m.needsGeo).toBe(false);
    const hand = RestrictionMatcher.compile([row('blacklist', 'ip', '10.0.0.9', 200), row('maintenance', 'all', 'all', 999)]);
    expect(hand.screen('10.0.0.9', false, noGeo)).toMatchObject({ category: 'maintenance', code: 471 });
  });
});
