import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { And, DataSource, EntityManager, LessThan, LessThanOrEqual, MoreThan, MoreThanOrEqual, Repository, type FindOptionsWhere } from 'typeorm';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { randomHex, sha256Hex } from '../../core/crypto/tokens.js';
import { AppError } from '../../core/http/app-error.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { SessionsService } from '../../identity/sessions/sessions.service.js';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { Restriction, RestrictionWhitelink } from './restriction.entity.js';
import { resolveCode, validValue } from './restriction-rules.js';
import { RestrictionsScreen } from './restrictions.screen.js';

export interface RestrictionFilter {
  scope?: string;
  category?: string;
  range?: string;
  from?: number;
  to?: number;
  page: number;
  limit: number;
}

export interface RestrictionFields {
  scope?: string;
  value?: string;
  category?: string;
  state?: string;
  code?: number;
}

const VALUE_MAX = 64;
const UNIQUE_VIOLATION = '23505';

/** Who made an admin change, for its activity row. */
export interface AdminActor {
  principal: BarongPrincipal;
  meta: RequestMeta;
  params: Record<string, unknown>;
}

/** Restrictions CRUD, whitelinks and their redemption. Every write reloads the local screen at once. */
@Injectable()
export class RestrictionsService {
  private readonly logger = new Logger('Restrictions');

  constructor(
    @InjectRepository(Restriction) private readonly restrictions: Repository<Restriction>,
    private readonly dataSource: DataSource,
    private readonly activities: ActivitiesService,
    private readonly sessions: SessionsService,
    private readonly screen: RestrictionsScreen,
  ) {}

  async list(f: RestrictionFilter): Promise<[Restriction[], number]> {
    const where: FindOptionsWhere<Restriction> = {};
    if (f.scope) where.scope = f.scope;
    if (f.category) where.category = f.category;
    const column = f.range === 'updated' ? 'updatedAt' : 'createdAt';
    if (f.from !== undefined && f.to !== undefined) {
      where[column] = rangeBetween(new Date(f.from * 1000), new Date(f.to * 1000));
    } else if (f.from !== undefined) {
      where[column] = MoreThanOrEqual(new Date(f.from * 1000));
    } else if (f.to !== undefined) {
      where[column] = LessThanOrEqual(new Date(f.to * 1000));
    }
    return this.restrictions.findAndCount({ where, order: { id: 'ASC' }, skip: (f.page - 1) * f.limit, take: f.limit });
  }

  async create(fields: RestrictionFields, actor: AdminActor): Promise<Restriction> {
    const saved = await this.write(async (m) => {
      const row = m.create(Restriction, {
        category: fields.category!,
        scope: fields.scope!,
        value: fields.value!,
        state: fields.state ?? 'enabled',
        code: fields.code ?? null,
      });
      await this.validate(row, m);
      const result = await m.save(row);
      if (isEnabledBlocklogin(result)) await this.sessions.revokeAll(m);
      await this.audit('create', actor, m);
      return result;
    });
    return saved;
  }

  async update(id: number, fields: RestrictionFields, actor: AdminActor): Promise<Restriction> {
    return this.write(async (m) => {
      const row = await m.findOne(Restriction, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw AppError.notFound('admin.restriction.doesnt_exist');
      const wasEnabledBlocklogin = isEnabledBlocklogin(row);
      for (const key of ['scope', 'value', 'category', 'state', 'code'] as const) {
        if (fields[key] !== undefined) (row as unknown as Record<string, unknown>)[key] = fields[key];
      }
      await this.validate(row, m);
      const result = await m.save(row);
      if (isEnabledBlocklogin(result) && !wasEnabledBlocklogin) await this.sessions.revokeAll(m);
      await this.audit('update', actor, m);
      return result;
    });
  }

  async remove(id: number, actor: AdminActor): Promise<Restriction> {
    return this.write(async (m) => {
      const row = await m.findOne(Restriction, { where: { id } });
      if (!row) throw AppError.notFound('admin.restriction.doesnt_exist');
      await m.delete(Restriction, { id });
      await this.audit('delete', actor, m);
      return row;
    });
  }

  /** A token that whitelists whoever redeems it, from any number of IPs, until it expires. */
  async createWhitelink(expireTime: number, range: 'day' | 'hour', actor: AdminActor): Promise<string> {
    const token = sha256Hex(randomHex(10));
    const seconds = expireTime * (range === 'day' ? 86_400 : 3_600);
    await this.dataSource.transaction(async (m) => {
      await m.delete(RestrictionWhitelink, { expiresAt: LessThan(new Date()) });
      await m.insert(RestrictionWhitelink, { tokenHash: sha256Hex(token), expiresAt: new Date(Date.now() + seconds * 1000) });
      await this.audit('create', actor, m);
    });
    return token;
  }

  /** Redeems a whitelink for the caller's IP: an enabled whitelist rule on exactly that IP. */
  async redeemWhitelink(token: string, ip: string): Promise<void> {
    await this.write(async (m) => {
      const link = await m.findOne(RestrictionWhitelink, { where: { tokenHash: sha256Hex(token), expiresAt: MoreThan(new Date()) } });
      if (!link) throw AppError.unprocessable('identity.user.access.invalid_token');
      const value = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
      const row = m.create(Restriction, { category: 'whitelist', scope: 'ip', value, state: 'enabled', code: null });
      await this.validate(row, m);
      return m.save(row);
    });
  }

  /** Runs a change in a transaction, maps a lost uniqueness race to value.taken, then reloads the screen. */
  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.dataSource.transaction(work);
    } catch (err) {
      if ((err as { driverError?: { code?: string }; code?: string }).driverError?.code === UNIQUE_VIOLATION) {
        throw AppError.unprocessable('value.taken');
      }
      throw err;
    }
    await this.screen.reload();
    return result;
  }

  /** Barong's model rules: default codes, value format per scope, length, code range, uniqueness. */
  private async validate(row: Restriction, m: EntityManager): Promise<void> {
    row.value = row.value.trim();
    row.code = resolveCode(row.category, row.scope, row.code);
    const errors: string[] = [];
    if (row.value.length > VALUE_MAX) errors.push('value.too_long');
    else if (!validValue(row.scope, row.value)) errors.push('value.invalid');
    if (row.code !== null && (!Number.isInteger(row.code) || row.code < 400 || row.code > 599)) errors.push('code.invalid');
    if (!errors.length) {
      const clash = await m.findOne(Restriction, { where: { value: row.value, scope: row.scope, category: row.category }, select: { id: true } });
      if (clash && Number(clash.id) !== Number(row.id)) errors.push('value.taken');
    }
    if (errors.length) throw AppError.unprocessable(errors);
  }

  private async audit(action: 'create' | 'update' | 'delete', actor: AdminActor, m: EntityManager): Promise<void> {
    await this.activities.record(
      {
        userId: actor.principal.kind === 'user' ? actor.principal.id : null,
        category: 'admin',
        topic: 'restrictions',
        action,
        result: 'succeed',
        meta: actor.meta,
        data: actor.params,
      },
      m,
    );
  }
}

function isEnabledBlocklogin(r: Restriction): boolean {
  return r.category === 'blocklogin' && r.state === 'enabled';
}

function rangeBetween(from: Date, to: Date) {
  // Both bounds inclusive, as Barong applies them.
  return And(MoreThanOrEqual(from), LessThanOrEqual(to));
}
