import { parseScopes, scopeAllows, scopesAllow } from './api-key-scopes.js';

describe('API key scopes', () => {
  it('allows everything with no scopes', () => {
    expect(scopesAllow([], 'DELETE', 'api/v2/anything')).toBe(true);
    expect(scopesAllow(undefined, 'GET', 'x')).toBe(true);
  });

  it('maps named scopes to verbs and path prefixes', () => {
    expect(scopeAllows('read_users', 'GET', 'api/v2/barong/resource/users/me')).toBe(true);
    expect(scopeAllows('read_users', 'PUT', 'api/v2/barong/resource/users/password')).toBe(false);
    expect(scopeAllows('write_users', 'PUT', 'api/v2/barong/resource/users/password')).toBe(true);
    expect(scopeAllows('read_users', 'GET', 'api/v2/barong/resource/users_extra')).toBe(false);
    expect(scopeAllows('trade', 'POST', 'api/v2/peatio/market/orders')).toBe(true);
    expect(scopeAllows('read_trades', 'POST', 'api/v2/peatio/market/orders')).toBe(false);
    expect(scopeAllows('withdraw', 'POST', 'api/v2/peatio/account/withdraws')).toBe(true);
    expect(scopeAllows('withdraw', 'GET', 'api/v2/peatio/account/withdraws')).toBe(false);
    expect(scopeAllows('read_only', 'GET', 'api/v2/peatio/account/balances')).toBe(true);
    expect(scopeAllows('read_only', 'POST', 'api/v2/peatio/account/balances')).toBe(false);
    expect(scopeAllows('unknown_scope', 'GET', 'api/v2/barong/resource/users/me')).toBe(false);
  });

  it('treats a scope with a slash as a path prefix on segment boundaries', () => {
    expect(scopeAllows('api/v2/peatio/account', 'POST', 'api/v2/peatio/account/withdraws')).toBe(true);
    expect(scopeAllows('/api/v2/peatio/account/', 'GET', 'api/v2/peatio/account')).toBe(true);
    expect(scopeAllows('api/v2/peatio/account', 'GET', 'api/v2/peatio/accounts')).toBe(false);
    expect(scopeAllows('/', 'GET', 'api/v2/peatio/accounts')).toBe(false);
  });

  it('allows a request when any scope allows it', () => {
    expect(scopesAllow(['read_users', 'trade'], 'POST', 'api/v2/peatio/market/orders')).toBe(true);
    expect(scopesAllow(['read_users', 'trade'], 'POST', 'api/v2/peatio/account/withdraws')).toBe(false);
  });

  it('parses comma-separated strings and arrays', () => {
    expect(parseScopes(' read_users, trade ,,trade')).toEqual(['read_users', 'trade']);
    expect(parseScopes(['a', ' b '])).toEqual(['a', 'b']);
    expect(parseScopes(undefined)).toEqual([]);
  });
});
