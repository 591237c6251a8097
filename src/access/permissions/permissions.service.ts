import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { clientConfigOf, PgChannelListener } from '../../core/database/pg-channel-listener.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { Permission } from './permission.entity.js';
import { explain, type Explanation, PermissionDecision, PermissionMatcher, type PermissionRule } from './permission-matcher.js';
import type { RecentDecision } from './decision-stats.js';
import { PERMISSION_ACTIONS, PERMISSION_VERBS } from './permissions.dto.js';

/** The channel the permissions table's trigger notifies on every change. */
export const PERMISSIONS_CHANNEL = 'permissions_changed';
/** Notifications arriving within this window cause one reload. */
const DEBOUNCE_MS = 5;
/** Safety net in case a notification is lost (listener reconnecting, ...). */
const SAFETY_RELOAD_MS = 30_000;

export interface PermissionProposal {
  add: PermissionInput[];
  remove: number[];
  change: (Partial<PermissionInput> & { id: number })[];
}

export interface Flip {
  role: string;
  verb: string;
  /** The route pattern (id-like segments as `:id`). */
  path: string;
  /** One path actually requested under it. */
  sample_path: string;
  from: 'allow' | 'deny';
  to: 'allow' | 'deny';
  /** Requests of the last 24 hours that would have been decided the other way. */
  count: number;
}

export interface PermissionInput {
  role: string;
  verb: string;
  path: string;
  action: string;
  topic?: string | null;
}

/**
 * The permissions table and its in-memory, per-role compiled matcher. Requests are decided from
 * memory only; the matcher is recompiled when the table changes: at once after this instance's own
 * admin writes, within milliseconds of any other change (a trigger NOTIFYs `permissions_changed`,
 * which a dedicated connection LISTENs to), and every 30 s as a safety net.
 */
@Injectable()
export class PermissionsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Permissions');
  private matcher = PermissionMatcher.EMPTY;
  /** The rows the matcher was compiled from, in id order (dry-runs start from them). */
  private rules: Permission[] = [];
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private listener?: PgChannelListener;
  private debounce: NodeJS.Timeout | null = null;
  private safety: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly activities: ActivitiesService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.listener = new PgChannelListener(
      clientConfigOf(this.dataSource, 'barong-nest-permissions'),
      PERMISSIONS_CHANNEL,
      () => this.scheduleReload(),
      // Changes made while nobody listened are picked up now.
      () => void this.reload().catch((err: unknown) => this.logger.error(`reload failed: ${String(err)}`)),
      this.logger,
    );
    await this.listener.start();
    this.safety = setInterval(() => void this.reload().catch((err: unknown) => this.logger.error(`reload failed: ${String(err)}`)), SAFETY_RELOAD_MS);
    this.safety.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const timer of [this.debounce, this.safety]) if (timer) clearTimeout(timer);
    await this.listener?.stop();
    await this.running?.catch(() => undefined);
    await this.queued?.catch(() => undefined);
  }

  /** The decision for a request, from memory. */
  decide(role: string, method: string, path: string): PermissionDecision {
    return this.matcher.decide(role, method, path);
  }

  /** The decision for a request and the rows that produced it, from the same compiled matcher. */
  explain(role: string, method: string, path: string): Explanation {
    return explain(this.matcher, role, method, path);
  }

  /**
   * What a proposed change would flip among `recent` requests, before anything is saved: the
   * current rows with `remove` taken out, `change` applied and `add` appended are compiled into a
   * second matcher, and each recent (role, verb, path) is decided by both.
   */
  dryRun(proposal: PermissionProposal, recent: readonly RecentDecision[]): Flip[] {
    const known = new Set(this.rules.map((r) => Number(r.id)));
    const unknown = [...proposal.remove, ...proposal.change.map((c) => c.id)].filter((id) => !known.has(id));
    if (unknown.length) throw new AppError(422, 'admin.permission.doesnt_exist', { ids: unknown });
    const removed = new Set(proposal.remove);
    const changes = new Map(proposal.change.map((c) => [c.id, c]));
    const proposed: PermissionRule[] = this.rules
      .filter((r) => !removed.has(Number(r.id)))
      .map((r) => {
        const c = changes.get(Number(r.id));
        return { id: Number(r.id), role: c?.role ?? r.role, verb: c?.verb ?? r.verb, path: c?.path ?? r.path, action: c?.action ?? r.action, topic: c?.topic !== undefined ? c.topic || null : r.topic };
      });
    for (const a of proposal.add) proposed.push({ id: null, role: a.role, verb: a.verb, path: a.path, action: a.action, topic: a.topic || null });
    const next = PermissionMatcher.compile(proposed);
    const flips = new Map<string, Flip>();
    for (const d of recent) {
      const from = this.matcher.decide(d.role, d.verb, d.path).allowed;
      const to = next.decide(d.role, d.verb, d.path).allowed;
      if (from === to) continue;
      const key = `${d.role}\t${d.verb}\t${d.pattern}`;
      const seen = flips.get(key);
      if (seen) seen.count += d.count;
      else flips.set(key, { role: d.role, verb: d.verb, path: d.pattern, sample_path: d.path, from: from ? 'allow' : 'deny', to: to ? 'allow' : 'deny', count: d.count });
    }
    return [...flips.values()].sort((a, b) => b.count - a.count);
  }

  /** The distinct roles of the table, from memory. */
  roles(): string[] {
    return [...this.matcher.roles];
  }

  /**
   * Recompiles the matcher from the table. Calls made while a reload runs share one follow-up
   * reload, so a change committed during a reload is never missed.
   */
  reload(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.load().finally(() => (this.running = null));
      return this.running;
    }
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.reload();
      });
    return this.queued;
  }

  private async load(): Promise<void> {
    const rows = await this.dataSource.getRepository(Permission).find({ order: { id: 'ASC' } });
    this.matcher = PermissionMatcher.compile(rows);
    this.rules = rows;
  }

  private scheduleReload(): void {
    if (this.closed) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.reload().catch((err: unknown) => this.logger.error(`reload failed: ${String(err)}`));
    }, DEBOUNCE_MS);
  }

  // ---- admin API ------------------------------------------------------------------------------

  list(page: number, limit: number): Promise<[Permission[], number]> {
    return this.dataSource.getRepository(Permission).findAndCount({ order: { id: 'ASC' }, skip: (page - 1) * limit, take: limit });
  }

  async create(input: PermissionInput, actor: BarongPrincipal, meta: RequestMeta): Promise<Permission> {
    if (!(PERMISSION_VERBS as readonly string[]).includes(input.verb.toLowerCase())) throw AppError.unprocessable('admin.permissions.invalid_verb');
    if (!(PERMISSION_ACTIONS as readonly string[]).includes(input.action.toLowerCase())) throw AppError.unprocessable('admin.permissions.invalid_action');
    const saved = await this.dataSource.transaction(async (m) => {
      if (!(await m.exists(Permission, { where: { role: input.role } }))) throw AppError.unprocessable('admin.permission.role_doesnt_exist');
      const permission = m.create(Permission, { role: input.role, verb: input.verb, path: input.path, action: input.action, topic: input.topic || null });
      await m.save(permission);
      await this.audit(m, actor, meta, 'create', describe(permission));
      return permission;
    });
    await this.reload();
    return saved;
  }

  async update(id: number, patch: Partial<PermissionInput>, actor: BarongPrincipal, meta: RequestMeta): Promise<Permission> {
    const saved = await this.dataSource.transaction(async (m) => {
      const permission = await m.findOne(Permission, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!permission) throw AppError.notFound('admin.permission.doesnt_exist');
      const before = describe(permission);
      if (patch.role !== undefined) permission.role = patch.role;
      if (patch.verb !== undefined) permission.verb = patch.verb;
      if (patch.path !== undefined) permission.path = patch.path;
      if (patch.action !== undefined) permission.action = patch.action;
      if (patch.topic !== undefined) permission.topic = patch.topic || null;
      await m.save(permission);
      const after = describe(permission);
      const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => k !== 'id' && before[k] !== after[k]);
      await this.audit(m, actor, meta, 'update', {
        id: permission.id,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      });
      return permission;
    });
    await this.reload();
    return saved;
  }

  async remove(id: number, actor: BarongPrincipal, meta: RequestMeta): Promise<Permission> {
    const removed = await this.dataSource.transaction(async (m) => {
      const permission = await m.findOne(Permission, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!permission) throw AppError.notFound('admin.permission.doesnt_exist');
      const snapshot = Object.assign(new Permission(), permission);
      await m.delete(Permission, { id });
      await this.audit(m, actor, meta, 'delete', describe(snapshot));
      return snapshot;
    });
    await this.reload();
    return removed;
  }

  private audit(m: EntityManager, actor: BarongPrincipal, meta: RequestMeta, action: string, data: Record<string, unknown>): Promise<void> {
    return this.activities.record(
      { userId: actor.kind === 'user' ? actor.id : null, category: 'admin', topic: 'permissions', action, result: 'succeed', meta, data },
      m,
    );
  }
}

function describe(p: Permission): { id: number; role: string; verb: string; path: string; action: string; topic: string | null } {
  return { id: Number(p.id), role: p.role, verb: p.verb, path: p.path, action: p.action, topic: p.topic ?? null };
}
