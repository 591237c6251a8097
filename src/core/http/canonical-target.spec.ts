import { AppError } from './app-error.js';
import { canonicalPath, originForm, targetProblem } from './canonical-target.js';

describe('canonical request target', () => {
  it('reduces absolute-form targets to their origin form, leaving others alone', () => {
    expect(originForm('http://any-host/api/v2/x?y=1')).toBe('/api/v2/x?y=1');
    expect(originForm('HTTPS://h:8443/a')).toBe('/a');
    expect(originForm('http://h?q')).toBe('/?q');
    expect(originForm('http://h')).toBe('/');
    expect(originForm('/already')).toBe('/already');
    expect(originForm('ftp://h/a')).toBe('ftp://h/a');
    expect(originForm('*')).toBe('*');
  });

  it.each([
    ['/a#x', 'fragment'],
    ['/a%23x', 'fragment'],
    ['/a;x/b', 'parameter'],
    ['/a%3Bx/b', 'parameter'],
    ['/a\\b', 'backslash'],
    ['/a%5Cb', 'backslash'],
    ['/a/%2577', 'double encoding'],
    ['/a//b', 'repeated slash'],
    ['//a', 'repeated slash'],
    ['/a/%2F/b', 'repeated slash'],
    ['/a/%00', 'NUL'],
    ['/a/../b', 'dot segment'],
    ['/a/%2e%2e/b', 'dot segment'],
    ['/a/%E0%A4%A', 'malformed escape'],
    ['*', 'not in origin form'],
  ])('refuses %s (%s)', (target, problem) => {
    expect(targetProblem(target)).toBe(problem);
    expect(() => canonicalPath(target)).toThrow(AppError);
  });

  it('accepts ordinary paths and decodes once; the query is not the path', () => {
    expect(targetProblem('/api/v2/barong/resource/users/me?x=%25;#')).toBe('fragment');
    expect(targetProblem('/api/v2/barong/resource/users/me?x=%25;a//b')).toBeUndefined();
    expect(canonicalPath('/api/v2/barong/admin/users/%72ole?uid=1')).toBe('api/v2/barong/admin/users/role');
    expect(canonicalPath('http://h/api/v2/x')).toBe('api/v2/x');
    expect(canonicalPath('/')).toBe('');
    expect(canonicalPath('')).toBe('');
  });

  it('answers a target the same after it has been seen (remembered paths)', () => {
    for (let i = 0; i < 2; i++) {
      expect(canonicalPath('/api/v2/barong/admin/users/%72ole?uid=2')).toBe('api/v2/barong/admin/users/role');
      expect(targetProblem('/api/v2/barong/admin/users/%72ole?uid=2')).toBeUndefined();
      expect(canonicalPath('http://h/api/v2/y')).toBe('api/v2/y');
      expect(targetProblem('http://h/api/v2/y')).toBe('not in origin form');
      expect(() => canonicalPath('/a/../b')).toThrow(AppError);
    }
  });
});
