import { AppError } from './app-error.js';

/**
 * The one rule for what a request target means, used by the router's URL rewrite, the request
 * gate in front of every route, the guard, the restriction screens and the gateway, so that every
 * access decision is made on exactly the path the router routes and an upstream would serve.
 *
 * - absolute-form targets (`http://host/path?q`) are reduced to their origin form (`/path?q`);
 * - fragments (`#`, also `%23`) are refused: they are never part of an HTTP request target;
 * - after decoding once, `;` parameters, backslashes, `%` (an encoded `%`, i.e. double encoding),
 *   NUL, repeated slashes and `.`/`..` segments are refused: another hop could read each of them
 *   as a different path than the one decided on.
 */

export const INVALID_PATH_CODE = 'server.request.invalid_path';

/** `http://host[:port]/path?q` as `/path?q`; any other target unchanged. Never throws. */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === 47 /* / */) return target;
  const schemeEnd = target.indexOf('://');
  if (schemeEnd <= 0) return target;
  const scheme = target.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return target;
  const authorityStart = schemeEnd + 3;
  let end = target.length;
  for (const c of ['/', '?', '#']) {
    const at = target.indexOf(c, authorityStart);
    if (at !== -1 && at < end) end = at;
  }
  if (end === authorityStart) return target;
  const rest = target.slice(end);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * Canonical targets seen lately and their canonical paths. Every request asks twice (the request
 * gate, then the guard) and a busy client sends the same few targets; the rules above are a pure
 * function of the target. Bounded: a flood of distinct targets only empties it.
 */
const canonicalPaths = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

/** Why a target is not canonical, or undefined when it is (the target as the router sees it, after `originForm`). */
export function targetProblem(target: string): string | undefined {
  if (canonicalPaths.has(target)) return undefined;
  if (target.charCodeAt(0) !== 47) return 'not in origin form';
  if (target.includes('#')) return 'fragment';
  const raw = target.split('?')[0]!;
  let path = raw;
  if (raw.includes('%')) {
    try {
      path = decodeURIComponent(raw);
    } catch {
      return 'malformed escape';
    }
  }
  return pathProblem(path);
}

/** Problems of an already decoded path (leading slash or not). */
function pathProblem(path: string): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return 'NUL';
    if (c === 35 /* # */) return 'fragment';
    if (c === 59 /* ; */) return 'parameter';
    if (c === 92 /* \ */) return 'backslash';
    if (c === 37 /* % */) return 'double encoding';
    if (c === 47 && path.charCodeAt(i + 1) === 47) return 'repeated slash';
  }
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return 'dot segment';
  return undefined;
}

/**
 * The path access control decides on, as Barong's rules are written: no leading slash, no query,
 * percent-decoded exactly once (the router decodes before matching a route, so rules see what the
 * route sees: `admin/users/%72ole` is `admin/users/role`). Non-canonical targets throw a 400.
 */
export function canonicalPath(target: string): string {
  const known = canonicalPaths.get(target);
  if (known !== undefined) return known;
  const origin = originForm(target);
  const absolute = origin === '' ? '/' : origin;
  if (targetProblem(absolute)) throw AppError.badRequest(INVALID_PATH_CODE);
  const raw = absolute.split('?')[0]!;
  const path = (raw.includes('%') ? decodeURIComponent(raw) : raw).slice(1);
  // Only origin-form targets: targetProblem refuses the others, and answers from this map.
  if (absolute === target) {
    if (canonicalPaths.size >= MAX_REMEMBERED) canonicalPaths.clear();
    canonicalPaths.set(target, path);
  }
  return path;
}
