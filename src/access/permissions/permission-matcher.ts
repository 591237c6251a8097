/** A permissions row as the matcher needs it. */
export interface PermissionRule {
  /** The row id (explain names the rows; absent for rules not saved yet). */
  id?: number | null;
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
  id: number | null;
  verb: string;
  path: string;
  /** DROP rules match case-insensitively: an upstream that routes `WITHDRAWS` as `withdraws` stays blocked. */
  lowerPath: string;
  action: string;
  topic: string | null;
}

/** A rule as explain reports it, with why it did or did not take part in the decision. */
export interface ExplainedRule {
  id: number | null;
  role: string;
  verb: string;
  path: string;
  action: string;
  topic: string | null;
  /** `verb` (the rule names another verb), `path` (not a prefix of the path) or both. */
  mismatch?: 'verb' | 'path' | 'verb_and_path';
}

export interface Explanation {
  decision: 'allow' | 'deny';
  /** `accept`, `drop` (a DROP matched: it wins), `no_accept` (only AUDIT matched), `no_candidates`, `unknown_role`. */
  reason: 'accept' | 'drop' | 'no_accept' | 'no_candidates' | 'unknown_role';
  audit: boolean;
  audit_topic: string | null;
  /** The candidate rows (role, verb or ALL, path prefix) in table order: the ACCEPT, DROP and AUDIT rows that decided. */
  matched: ExplainedRule[];
  /** The role's other rows and why each did not match. */
  unmatched: ExplainedRule[];
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
    private readonly byRole: Map<string, CompiledRule[]>,
  ) {}

  static readonly EMPTY = PermissionMatcher.compile([]);

  /** Rules in table (id) order; the first matching AUDIT rule gives the audit topic. */
  static compile(rules: readonly PermissionRule[]): PermissionMatcher {
    const grouped = new Map<string, { verb: string; rule: CompiledRule }[]>();
    for (const r of rules) {
      const list = grouped.get(r.role) ?? [];
      const verb = String(r.verb).toUpperCase();
      list.push({ verb, rule: { id: r.id ?? null, verb, path: r.path, lowerPath: r.path.toLowerCase(), action: String(r.action).toUpperCase(), topic: r.topic || null } });
      grouped.set(r.role, list);
    }
    const tables = new Map<string, RoleTable>();
    for (const [role, list] of grouped) {
      const verbs = new Set(list.map((e) => e.verb).filter((v) => v !== 'ALL'));
      const byVerb = new Map<string, CompiledRule[]>();
      for (const verb of verbs) byVerb.set(verb, list.filter((e) => e.verb === verb || e.verb === 'ALL').map((e) => e.rule));
      tables.set(role, { byVerb, all: list.filter((e) => e.verb === 'ALL').map((e) => e.rule) });
    }
    const byRole = new Map([...grouped].map(([role, list]) => [role, list.map((e) => e.rule)]));
    return new PermissionMatcher(tables, [...tables.keys()].sort(), rules.length, byRole);
  }

  /** The role's rules in table order. */
  rulesOf(role: string): readonly CompiledRule[] {
    return this.byRole.get(role) ?? [];
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

/**
 * Why `decide` answers what it answers: the decision is `decide`'s own, and the rows are the
 * role's rules split into those that matched (verb or ALL, path prefix) and the others.
 */
export function explain(matcher: PermissionMatcher, role: string, method: string, path: string): Explanation {
  const decision = matcher.decide(role, method, path);
  const rules = matcher.rulesOf(role);
  const verb = method.toUpperCase();
  const matched: ExplainedRule[] = [];
  const unmatched: ExplainedRule[] = [];
  for (const r of rules) {
    const verbOk = r.verb === verb || r.verb === 'ALL';
    // As decide: DROP rows match the path case-insensitively.
    const pathOk = r.action === 'DROP' ? path.toLowerCase().startsWith(r.lowerPath) : path.startsWith(r.path);
    const row: ExplainedRule = { id: r.id, role, verb: r.verb, path: r.path, action: r.action, topic: r.topic };
    if (verbOk && pathOk) matched.push(row);
    else unmatched.push({ ...row, mismatch: !verbOk && !pathOk ? 'verb_and_path' : verbOk ? 'path' : 'verb' });
  }
  const actions = new Set(matched.map((r) => r.action));
  const reason: Explanation['reason'] = !rules.length
    ? 'unknown_role'
    : !matched.length
      ? 'no_candidates'
      : actions.has('DROP')
        ? 'drop'
        : actions.has('ACCEPT')
          ? 'accept'
          : 'no_accept';
  return {
    decision: decision.allowed ? 'allow' : 'deny',
    reason,
    audit: decision.audit,
    audit_topic: decision.audit ? activityTopic(path, decision.auditTopic) : null,
    matched,
    unmatched,
  };
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
