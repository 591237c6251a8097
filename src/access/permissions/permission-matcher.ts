/** A permissions row as the matcher needs it. */
export interface PermissionRule {
  role: string;
  verb: string;
  path: string;
  action: string;
  topic: string | null;
}

export interface PermissionDecision {
  allowed: boolean;
  /** Allowed, and an AUDIT rule matched: the request goes to the admin activity log. */
  audit: boolean;
  /** The topic of the first matching AUDIT rule (may be null: the topic is then derived from the path). */
  auditTopic: string | null;
}

interface CompiledRule {
  path: string;
  /** DROP rules match case-insensitively: an upstream that routes `WITHDRAWS` as `withdraws` stays blocked. */
  lowerPath: string;
  action: string;
  topic: string | null;
}

interface RoleTable {
  /** Rules of one verb plus the ALL rules, in table order, per upper-case verb. */
  byVerb: Map<string, CompiledRule[]>;
  /** The ALL rules alone, for verbs no rule names. */
  all: CompiledRule[];
}

const DENIED: PermissionDecision = Object.freeze({ allowed: false, audit: false, auditTopic: null });
const ALLOWED: PermissionDecision = Object.freeze({ allowed: true, audit: false, auditTopic: null });

/**
 * Barong's permission check compiled per role (§2): candidates are the role's rules whose verb is
 * the request method or ALL and whose path is a raw string prefix of the request path. No
 * candidate, any DROP (matched case-insensitively), or no ACCEPT denies; AUDIT never grants, it only marks an allowed request
 * for the audit log. Immutable: a reload compiles a new matcher and swaps it in.
 */
export class PermissionMatcher {
  private constructor(
    private readonly tables: Map<string, RoleTable>,
    readonly roles: readonly string[],
    readonly size: number,
  ) {}

  static readonly EMPTY = PermissionMatcher.compile([]);

  /** Rules in table (id) order; the first matching AUDIT rule gives the audit topic. */
  static compile(rules: readonly PermissionRule[]): PermissionMatcher {
    const grouped = new Map<string, { verb: string; rule: CompiledRule }[]>();
    for (const r of rules) {
      const list = grouped.get(r.role) ?? [];
      list.push({ verb: String(r.verb).toUpperCase(), rule: { path: r.path, lowerPath: r.path.toLowerCase(), action: String(r.action).toUpperCase(), topic: r.topic || null } });
      grouped.set(r.role, list);
    }
    const tables = new Map<string, RoleTable>();
    for (const [role, list] of grouped) {
      const verbs = new Set(list.map((e) => e.verb).filter((v) => v !== 'ALL'));
      const byVerb = new Map<string, CompiledRule[]>();
      for (const verb of verbs) byVerb.set(verb, list.filter((e) => e.verb === verb || e.verb === 'ALL').map((e) => e.rule));
      tables.set(role, { byVerb, all: list.filter((e) => e.verb === 'ALL').map((e) => e.rule) });
    }
    return new PermissionMatcher(tables, [...tables.keys()].sort(), rules.length);
  }

  hasRole(role: string): boolean {
    return this.tables.has(role);
  }

  /** `path` without the leading slash, as rules are written (e.g. `api/v2/barong/resource/users/me`). */
  decide(role: string, method: string, path: string): PermissionDecision {
    const table = this.tables.get(role);
    if (!table) return DENIED;
    const candidates = table.byVerb.get(method.toUpperCase()) ?? table.all;
    let accept = false;
    let audit: CompiledRule | undefined;
    let lowerPath: string | undefined;
    for (const rule of candidates) {
      if (rule.action === 'DROP') {
        if ((lowerPath ??= path.toLowerCase()).startsWith(rule.lowerPath)) return DENIED;
        continue;
      }
      if (!path.startsWith(rule.path)) continue;
      if (rule.action === 'ACCEPT') accept = true;
      else if (rule.action === 'AUDIT') audit ??= rule;
    }
    if (!accept) return DENIED;
    return audit ? { allowed: true, audit: true, auditTopic: audit.topic } : ALLOWED;
  }
}

/** Barong's admin-activity topic: the rule's topic, else the first path segment after `admin/`, else `general`. */
export function activityTopic(path: string, ruleTopic: string | null): string {
  if (ruleTopic) return ruleTopic;
  const at = path.indexOf('admin/');
  if (at >= 0) {
    const segment = path.slice(at + 'admin/'.length).split('/')[0];
    if (segment) return segment;
  }
  return 'general';
}

const VERB_ACTIONS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', GET: 'read', DELETE: 'delete' };

/** Barong's admin-activity action for an HTTP verb. */
export function activityAction(method: string): string {
  return VERB_ACTIONS[method.toUpperCase()] ?? 'system';
}
