import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, QueryFailedError } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { AppError } from '../../core/http/app-error.js';
import type { Page } from '../../core/http/pagination.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { LabelsService } from '../labels/labels.service.js';
import { User } from '../users/user.entity.js';
import { checkProfile, maskDob, maskLastName, ProfileField } from './profile-rules.js';
import type { AdminProfileView, ProfileView } from './profile-views.js';
import { Profile, PROFILE_STATES, ProfileState, profileStateName } from './profile.entity.js';

const SEALED = { first_name: 'firstNameSealed', last_name: 'lastNameSealed', dob: 'dobSealed', address: 'addressSealed' } as const;
const PLAIN = { postcode: 'postcode', city: 'city', country: 'country', metadata: 'metadata' } as const;
const OPEN_STATES = [PROFILE_STATES.drafted, PROFILE_STATES.submitted];

const isUniqueViolation = (e: unknown): boolean => e instanceof QueryFailedError && (e.driverError as { code?: string })?.code === '23505';

export interface AdminContext {
  principal: BarongPrincipal;
  meta: RequestMeta;
}

/** Profiles (KYC identity) for the user and admin faces; every change re-labels `profile:<state>`. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
    private readonly labels: LabelsService,
    private readonly activities: ActivitiesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private context(field: keyof typeof SEALED, userId: string): string {
    return `profiles.${field}:${userId}`;
  }

  private open(p: Profile, field: keyof typeof SEALED): string | null {
    const sealed = p[SEALED[field]];
    return sealed == null ? null : this.sealer.open(sealed, this.context(field, p.userId));
  }

  /** Writes checked values onto the entity, sealing the PII columns. */
  private assign(p: Profile, values: Partial<Record<ProfileField, string | null>>): void {
    for (const [field, value] of Object.entries(values) as [ProfileField, string | null][]) {
      if (field in SEALED) {
        const f = field as keyof typeof SEALED;
        p[SEALED[f]] = value == null ? null : this.sealer.seal(value, this.context(f, p.userId));
      } else {
        p[PLAIN[field as keyof typeof PLAIN]] = value;
      }
    }
  }

  view(p: Profile, opts: { masked: boolean }): ProfileView {
    const mask = opts.masked && this.config.barong.apiDataMaskingEnabled;
    const lastName = this.open(p, 'last_name');
    const dob = this.open(p, 'dob');
    let metadata: unknown = null;
    if (p.metadata) {
      try {
        metadata = JSON.parse(p.metadata);
      } catch {
        metadata = null;
      }
    }
    return {
      first_name: this.open(p, 'first_name'),
      last_name: lastName != null && mask ? maskLastName(lastName) : lastName,
      dob: dob != null && mask ? maskDob(dob) : dob,
      address: this.open(p, 'address'),
      postcode: p.postcode,
      city: p.city,
      country: p.country,
      state: profileStateName(p.state),
      metadata,
      created_at: p.createdAt.toISOString(),
      updated_at: p.updatedAt.toISOString(),
    };
  }

  adminView(p: Profile, uid?: string): AdminProfileView {
    const v: AdminProfileView = this.view(p, { masked: false });
    return uid ? { ...v, uid } : v;
  }

  /** Profiles per user for the user views (masked for users, plain for admins). */
  async section(userIds: string[], admin: boolean, manager: EntityManager = this.dataSource.manager): Promise<Map<string, unknown[]>> {
    const out = new Map<string, unknown[]>();
    if (!userIds.length) return out;
    const rows = await manager.find(Profile, { where: { userId: In(userIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const p of rows) {
      const list = out.get(p.userId) ?? [];
      list.push(this.view(p, { masked: !admin }));
      out.set(p.userId, list);
    }
    return out;
  }

  listForUser(userId: string): Promise<Profile[]> {
    return this.dataSource.manager.find(Profile, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Creates a profile in `state`; an open (drafted/submitted) one must not exist yet. */
  private async createIn(m: EntityManager, userId: string, input: Record<string, unknown>, state: ProfileState, author: string | null): Promise<Profile> {
    // Serialises profile creation per user, so the open-profile rule holds under concurrency.
    await m.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    const checked = checkProfile(input);
    const errors = [...checked.fieldErrors];
    if (state === 'drafted' || state === 'submitted') {
      if (await m.exists(Profile, { where: { userId, state: In(OPEN_STATES) } })) errors.push('state.exists');
    }
    errors.push(...checked.dobErrors);
    if (errors.length) throw AppError.unprocessable(errors);
    const profile = m.create(Profile, { userId, author, applicantId: null, state: PROFILE_STATES[state] });
    this.assign(profile, checked.values);
    await m.save(profile);
    await this.labels.setPrivate(m, userId, 'profile', state);
    return profile;
  }

  async create(userId: string, input: Record<string, unknown>, confirm: boolean): Promise<Profile> {
    try {
      return await this.dataSource.transaction((m) => this.createIn(m, userId, input, confirm ? 'submitted' : 'drafted', null));
    } catch (e) {
      if (isUniqueViolation(e)) throw AppError.unprocessable('state.exists');
      throw e;
    }
  }

  /** Edits the user's drafted profile; `confirm` submits it. */
  async updateDrafted(userId: string, input: Record<string, unknown>, confirm: boolean): Promise<Profile> {
    return this.dataSource.transaction(async (m) => {
      const profile = await m.findOne(Profile, { where: { userId, state: PROFILE_STATES.drafted }, lock: { mode: 'pessimistic_write' } });
      if (!profile) throw AppError.notFound('resource.profile.doesnt_exist_or_not_editable');
      const checked = checkProfile(input);
      const errors = [...checked.fieldErrors, ...checked.dobErrors];
      if (errors.length) throw AppError.unprocessable(errors);
      this.assign(profile, checked.values);
      if (confirm) profile.state = PROFILE_STATES.submitted;
      await m.save(profile);
      await this.labels.setPrivate(m, userId, 'profile', profileStateName(profile.state));
      return profile;
    });
  }

  async adminList(page: number, limit: number): Promise<Page<{ profile: Profile; uid: string }>> {
    const [rows, total] = await this.dataSource.manager.findAndCount(Profile, {
      relations: { user: true },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items: rows.map((profile) => ({ profile, uid: profile.user!.uid })), total, page, limit };
  }

  private record(m: EntityManager, ctx: AdminContext, action: string, targetUid: string, data: Record<string, unknown>): Promise<void> {
    return this.activities.record(
      { userId: ctx.principal.id, category: 'admin', topic: 'profiles', action, result: 'succeed', meta: ctx.meta, targetUid, data },
      m,
    );
  }

  /** An admin verifies or rejects the user's submitted profile. */
  async adminDecide(uid: string, state: string, ctx: AdminContext): Promise<{ profile: Profile; uid: string }> {
    return this.dataSource.transaction(async (m) => {
      const user = await m.findOne(User, { where: { uid: String(uid), appId: ctx.principal.appId } });
      const profile = user
        ? await m.findOne(Profile, { where: { userId: user.id, state: PROFILE_STATES.submitted }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!user || !profile) throw AppError.notFound('admin.profiles.doesnt_exist_or_not_editable');
      if (user.role === 'superadmin' && ctx.principal.role !== 'superadmin') throw AppError.unprocessable('admin.profiles.superadmin_change');
      const { profileDoubleVerification, profileVerificationRoles } = this.config.barong;
      if (profileDoubleVerification && profile.author && profile.author === ctx.principal.uid && !profileVerificationRoles.includes(ctx.principal.role)) {
        throw AppError.unprocessable('admin.profiles.second_admin_approval');
      }
      if (state !== 'verified' && state !== 'rejected') throw AppError.unprocessable('state.inclusion');
      profile.state = PROFILE_STATES[state];
      await m.save(profile);
      await this.labels.setPrivate(m, user.id, 'profile', state);
      await this.record(m, ctx, 'update', user.uid, { uid: user.uid, state });
      return { profile, uid: user.uid };
    });
  }

  /** An admin files a submitted profile for a user; the admin is its author. */
  async adminCreate(uid: string, input: Record<string, unknown>, ctx: AdminContext): Promise<{ profile: Profile; uid: string }> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const user = await m.findOne(User, { where: { uid: String(uid), appId: ctx.principal.appId } });
        if (!user) throw AppError.notFound('admin.user.doesnt_exist');
        const profile = await this.createIn(m, user.id, input, 'submitted', ctx.principal.uid);
        // PII stays out of the audit log: record which fields were given, not their values.
        const fields = Object.keys(input).filter((k) => input[k] !== undefined);
        await this.record(m, ctx, 'create', user.uid, { uid: user.uid, fields });
        return { profile, uid: user.uid };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw AppError.unprocessable('state.exists');
      throw e;
    }
  }
}
