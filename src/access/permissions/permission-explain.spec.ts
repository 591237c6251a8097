import fc from 'fast-check';
import { explain, PermissionMatcher, type PermissionRule } from './permission-matcher.js';
import { routePattern } from './decision-stats.js';

const roles = ['member', 'admin'];
const verbs = ['GET', 'POST', 'PUT', 'DELETE', 'ALL'];
const segments = ['api', 'v2', 'barong', 'admin', 'resource', 'users'];
const path = fc.array(fc.constantFrom(...segments), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const rule: fc.Arbitrary<PermissionRule> = fc.record({
  id: fc.nat(),
  role: fc.constantFrom(...roles),
  verb: fc.constantFrom(...verbs),
  path,
  action: fc.constantFrom('ACCEPT', 'DROP', 'AUDIT'),
  topic: fc.constantFrom(null, 'users'),
});

describe('permission explain', () => {
  it('gives the decision of the matcher itself, and the matched rows are exactly the candidates', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 12 }), fc.constantFrom(...roles, 'nobody'), fc.constantFrom('GET', 'POST', 'DELETE'), path, (rules, role, verb, p) => {
        const matcher = PermissionMatcher.compile(rules);
        const e = explain(matcher, role, verb, p);
        const d = matcher.decide(role, verb, p);
        expect(e.decision).toBe(d.allowed ? 'allow' : 'deny');
        expect(e.audit).toBe(d.audit);
        const candidates = rules.filter((r) => r.role === role && (r.verb === verb || r.verb === 'ALL') && p.startsWith(r.path));
        expect(e.matched.map((r) => r.id)).toEqual(candidates.map((r) => r.id));
        expect(e.matched.length + e.unmatched.length).toBe(rules.filter((r) => r.role === role).length);
        if (e.reason === 'drop') expect(e.decision).toBe('deny');
        if (e.reason === 'accept') expect(e.decision).toBe('allow');
      }),
    );
  });
});

describe('route patterns of recorded decisions', () => {
  it('collapse record ids and keep route words', () => {
    expect(routePattern('api/v2/barong/admin/users/ID1A2B3C4D5E')).toBe('api/v2/barong/admin/users/:id');
    expect(routePattern('api/v2/barong/resource/api_keys/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe('api/v2/barong/resource/api_keys/:id');
    expect(routePattern('api/v2/barong/admin/permissions/42')).toBe('api/v2/barong/admin/permissions/:id');
    expect(routePattern('api/v2/barong/resource/users/me')).toBe('api/v2/barong/resource/users/me');
  });
});
