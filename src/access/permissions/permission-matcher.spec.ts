import { activityAction, activityTopic, PermissionMatcher, PermissionRule } from './permission-matcher.js';

const rule = (role: string, verb: string, path: string, action: string, topic: string | null = null): PermissionRule => ({ role, verb, path, action, topic });

describe('PermissionMatcher', () => {
  const matcher = PermissionMatcher.compile([
    rule('admin', 'ALL', 'api/v2', 'ACCEPT'),
    rule('admin', 'ALL', 'api/v2/barong/admin/permissions', 'DROP'),
    rule('admin', 'POST', 'api/v2/', 'AUDIT'),
    rule('admin', 'PUT', 'api/v2/barong/admin/users', 'AUDIT', 'people'),
    rule('admin', 'PUT', 'api/v2/', 'AUDIT'),
    rule('member', 'all', 'api/v2/barong/resource', 'accept'),
    rule('member', 'GET', 'api/v2/ranger', 'ACCEPT'),
    rule('watcher', 'GET', 'api/v2/barong/admin', 'AUDIT', 'watch'),
    rule('reader', 'GET', 'api/v2/barong/admin', 'ACCEPT'),
    rule('Member', 'ALL', 'api/v2', 'ACCEPT'),
  ]);

  it('matches DROP rules in any case, ACCEPT rules exactly', () => {
    expect(matcher.decide('admin', 'GET', 'api/v2/barong/admin/PERMISSIONS').allowed).toBe(false);
    expect(matcher.decide('admin', 'GET', 'api/v2/Barong/Admin/Permissions/1').allowed).toBe(false);
    expect(matcher.decide('member', 'GET', 'api/v2/barong/RESOURCE/users/me').allowed).toBe(false);
  });

  it('accepts on a verb or ALL rule whose path is a raw string prefix', () => {
    expect(matcher.decide('member', 'GET', 'api/v2/barong/resource/users/me').allowed).toBe(true);
    expect(matcher.decide('member', 'DELETE', 'api/v2/barong/resource/api_keys/1').allowed).toBe(true);
    // no segment boundary: a prefix is a prefix
    expect(matcher.decide('member', 'GET', 'api/v2/barong/resourceful').allowed).toBe(true);
    expect(matcher.decide('member', 'GET', 'api/v2/ranger/public').allowed).toBe(true);
    expect(matcher.decide('member', 'POST', 'api/v2/ranger/public').allowed).toBe(false);
    expect(matcher.decide('member', 'get', 'api/v2/ranger').allowed).toBe(true);
  });

  it('denies without a candidate, for unknown roles and with a leading slash', () => {
    expect(matcher.decide('member', 'GET', 'api/v2/barong/admin/users')).toEqual({ allowed: false, audit: false, auditTopic: null });
    expect(matcher.decide('nobody', 'GET', 'api/v2/barong/resource')).toEqual({ allowed: false, audit: false, auditTopic: null });
    expect(matcher.decide('member', 'GET', '/api/v2/barong/resource/users/me').allowed).toBe(false);
  });

  it('matches roles exactly (case-sensitive)', () => {
    expect(matcher.decide('Member', 'GET', 'api/v2/barong/admin/users').allowed).toBe(true);
    expect(matcher.decide('MEMBER', 'GET', 'api/v2/barong/resource').allowed).toBe(false);
  });

  it('lets DROP win over ACCEPT whatever the specificity', () => {
    expect(matcher.decide('admin', 'GET', 'api/v2/barong/admin/permissions').allowed).toBe(false);
    expect(matcher.decide('admin', 'GET', 'api/v2/barong/admin/permissions/anything').allowed).toBe(false);
    expect(matcher.decide('admin', 'GET', 'api/v2/barong/admin/users').allowed).toBe(true);
  });

  it('never grants on AUDIT alone, and marks allowed requests that match one', () => {
    expect(matcher.decide('watcher', 'GET', 'api/v2/barong/admin/users').allowed).toBe(false);
    expect(matcher.decide('admin', 'POST', 'api/v2/barong/admin/users')).toEqual({ allowed: true, audit: true, auditTopic: null });
    expect(matcher.decide('admin', 'GET', 'api/v2/barong/admin/users')).toEqual({ allowed: true, audit: false, auditTopic: null });
    // the first matching AUDIT rule (table order) gives the topic
    expect(matcher.decide('admin', 'PUT', 'api/v2/barong/admin/users')).toEqual({ allowed: true, audit: true, auditTopic: 'people' });
    // a denied request is not an audit candidate
    expect(matcher.decide('admin', 'POST', 'api/v2/barong/admin/permissions')).toEqual({ allowed: false, audit: false, auditTopic: null });
  });

  it('uses the ALL rules for verbs no rule names', () => {
    expect(matcher.decide('admin', 'OPTIONS', 'api/v2/barong/admin/users').allowed).toBe(true);
    expect(matcher.decide('reader', 'HEAD', 'api/v2/barong/admin/users').allowed).toBe(false);
  });

  it('lists the distinct roles, and an empty table denies everything', () => {
    expect(matcher.roles).toEqual(['Member', 'admin', 'member', 'reader', 'watcher']);
    expect(matcher.hasRole('reader')).toBe(true);
    expect(matcher.size).toBe(10);
    expect(PermissionMatcher.EMPTY.decide('admin', 'GET', 'api/v2').allowed).toBe(false);
    expect(PermissionMatcher.EMPTY.roles).toEqual([]);
  });
});

describe('admin activity fields', () => {
  it('topic: the rule topic, else the segment after admin/, else general', () => {
    expect(activityTopic('api/v2/barong/admin/users/role', 'custom')).toBe('custom');
    expect(activityTopic('api/v2/barong/admin/users/role', null)).toBe('users');
    expect(activityTopic('api/v2/peatio/admin/markets', null)).toBe('markets');
    expect(activityTopic('api/v2/barong/admin/', null)).toBe('general');
    expect(activityTopic('api/v2/barong/resource/users/me', null)).toBe('general');
  });

  it('action from the verb', () => {
    expect(['POST', 'PUT', 'PATCH', 'GET', 'DELETE', 'HEAD', 'options'].map(activityAction)).toEqual([
      'create',
      'update',
      'update',
      'read',
      'delete',
      'system',
      'system',
    ]);
  });
});
