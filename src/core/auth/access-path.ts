import { AppError } from '../http/app-error.js';

/**
 * The path access control decides on, as Barong's rules are written: no leading slash, no query,
 * percent-decoded exactly once (the router decodes before matching a route, so rules must see what
 * the route sees: `admin/users/%72ole` is `admin/users/role`). Paths that could mean something else
 * to the next hop (malformed escapes, NUL, `.` or `..` segments) are refused outright.
 */
export function accessPath(rawPath: string): string {
  let path = rawPath.split('?')[0]!.replace(/^\/+/, '');
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      throw AppError.badRequest('server.request.invalid_path');
    }
  }
  if (path.includes('\0') || path.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw AppError.badRequest('server.request.invalid_path');
  }
  return path;
}
