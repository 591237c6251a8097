import type { Permission } from '../api/types';

export interface RuleDraft {
  role: string;
  verb: string;
  path: string;
  action: string;
}

/** Barong's decision for one role: a matching DROP denies, else a matching ACCEPT allows (AUDIT only logs). */
export function decide(rules: RuleDraft[], role: string, verb: string, path: string): boolean {
  const method = verb.toUpperCase() === 'ALL' ? 'GET' : verb.toUpperCase();
  let accept = false;
  for (const r of rules) {
    if (r.role !== role) continue;
    const v = r.verb.toUpperCase();
    if (v !== method && v !== 'ALL') continue;
    if (!path.startsWith(r.path)) continue;
    const action = r.action.toUpperCase();
    if (action === 'DROP') return false;
    if (action === 'ACCEPT') accept = true;
  }
  return accept;
}

export interface PreviewRow {
  role: string;
  before: boolean;
  after: boolean;
}

/**
 * What every role is decided for the rule's own verb and path, with the table as it is and with
 * the change applied (`replacing` is the row an edit replaces, `removing` a deletion).
 */
export function preview(table: Permission[], change: { add?: RuleDraft; replacing?: number; removing?: number }): PreviewRow[] {
  const subject = change.add ?? table.find((p) => p.id === change.removing);
  if (!subject || !subject.path) return [];
  const before = table;
  const after: RuleDraft[] = table.filter((p) => p.id !== change.replacing && p.id !== change.removing);
  if (change.add) after.push(change.add);
  const roles = [...new Set([...table.map((p) => p.role), subject.role].filter(Boolean))].sort();
  return roles.map((role) => ({
    role,
    before: decide(before, role, subject.verb, subject.path),
    after: decide(after, role, subject.verb, subject.path),
  }));
}
