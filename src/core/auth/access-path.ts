import { canonicalPath } from '../http/canonical-target.js';

/**
 * The path access control decides on: the canonical path of the request target (see
 * core/http/canonical-target), without the leading slash and the query, decoded once.
 */
export function accessPath(rawPath: string): string {
  return canonicalPath(rawPath);
}
