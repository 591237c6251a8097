/**
 * What an API key's scopes let it call. A key without scopes may call whatever its holder's role
 * may; a key with scopes may call a path only when at least one scope allows it (and the role
 * still has to allow it too: scopes narrow, they never widen).
 *
 * A scope is either
 *  - a path prefix (it contains a `/`, e.g. `api/v2/peatio/account`): every verb on that path and
 *    below it (segment boundary: `api/v2/peatio/account` allows `api/v2/peatio/account/balances`,
 *    not `api/v2/peatio/accounts`), or
 *  - a named scope from the table below (unknown names allow nothing):
 *
 *  | scope          | verbs                    | path prefixes                                          |
 *  |----------------|--------------------------|--------------------------------------------------------|
 *  | read_only      | GET HEAD                 | every path                                             |
 *  | read_users     | GET HEAD                 | api/v2/barong/resource/users                           |
 *  | write_users    | POST PUT PATCH DELETE    | api/v2/barong/resource/users                           |
 *  | read_kyc       | GET HEAD                 | api/v2/barong/resource/{profiles,phones,documents,labels,data_storage} |
 *  | api_keys       | any                      | api/v2/barong/resource/{api_keys,service_accounts}     |
 *  | read_accounts  | GET HEAD                 | api/v2/peatio/account                                  |
 *  | withdraw       | POST                     | api/v2/peatio/account/withdraws                        |
 *  | read_trades    | GET HEAD                 | api/v2/peatio/market                                   |
 *  | trade          | any                      | api/v2/peatio/market                                   |
 */
export interface ScopeRule {
  verbs: string[] | 'any';
  prefixes: string[];
}

const READ = ['GET', 'HEAD'];
const WRITE = ['POST', 'PUT', 'PATCH', 'DELETE'];
const RESOURCE = 'api/v2/barong/resource';

export const SCOPE_RULES: Record<string, ScopeRule> = {
  read_only: { verbs: READ, prefixes: [''] },
  read_users: { verbs: READ, prefixes: [`${RESOURCE}/users`] },
  write_users: { verbs: WRITE, prefixes: [`${RESOURCE}/users`] },
  read_kyc: {
    verbs: READ,
    prefixes: ['profiles', 'phones', 'documents', 'labels', 'data_storage'].map((p) => `${RESOURCE}/${p}`),
  },
  api_keys: { verbs: 'any', prefixes: [`${RESOURCE}/api_keys`, `${RESOURCE}/service_accounts`] },
  read_accounts: { verbs: READ, prefixes: ['api/v2/peatio/account'] },
  withdraw: { verbs: ['POST'], prefixes: ['api/v2/peatio/account/withdraws'] },
  read_trades: { verbs: READ, prefixes: ['api/v2/peatio/market'] },
  trade: { verbs: 'any', prefixes: ['api/v2/peatio/market'] },
};

const underPrefix = (path: string, prefix: string): boolean =>
  prefix === '' || path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** Whether one scope allows a request (path without the leading slash, no query). */
export function scopeAllows(scope: string, method: string, path: string): boolean {
  const verb = method.toUpperCase();
  const clean = path.replace(/^\/+/, '').split('?')[0]!;
  if (scope.includes('/')) {
    const prefix = scope.trim().replace(/^\/+/, '').replace(/\/+$/, '');
    return prefix !== '' && underPrefix(clean, prefix);
  }
  const rule = SCOPE_RULES[scope.trim().toLowerCase()];
  if (!rule) return false;
  if (rule.verbs !== 'any' && !rule.verbs.includes(verb)) return false;
  return rule.prefixes.some((p) => underPrefix(clean, p));
}

/** Empty scope lists allow everything (the role decides); otherwise any scope must allow it. */
export function scopesAllow(scopes: readonly string[] | undefined, method: string, path: string): boolean {
  if (!scopes?.length) return true;
  return scopes.some((s) => scopeAllows(s, method, path));
}

/** Barong takes scopes as a comma-separated string; JSON clients may send an array. */
export function parseScopes(input: unknown): string[] {
  const parts = Array.isArray(input) ? input.map(String) : typeof input === 'string' ? input.split(',') : [];
  return [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
}
