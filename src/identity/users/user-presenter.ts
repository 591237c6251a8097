import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { User } from './user.entity.js';
import { UserSectionName, UserSections } from './user-sections.js';

const iso = (d: Date): string => d.toISOString();

/** Barong's user entities (User, UserWithFullInfo, UserWithProfile, UserWithKYC) from one place. */
@Injectable()
export class UserPresenter {
  constructor(
    private readonly sections: UserSections,
    private readonly dataSource: DataSource,
  ) {}

  private async referralUids(users: User[], manager: EntityManager): Promise<Map<string, string>> {
    const ids = [...new Set(users.map((u) => u.referralId).filter((x): x is string => !!x))];
    if (!ids.length) return new Map();
    const rows = await manager.find(User, { where: { id: In(ids) }, select: { id: true, uid: true } });
    return new Map(rows.map((r) => [r.id, r.uid]));
  }

  /** `User`: email, uid, role, level, otp, state, referral_uid, data, username. */
  async basic(users: User[], manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>[]> {
    const refs = await this.referralUids(users, manager);
    return users.map((u) => ({
      email: u.email,
      uid: u.uid,
      role: u.role,
      level: u.level,
      otp: u.otp,
      state: u.state,
      referral_uid: u.referralId ? (refs.get(u.referralId) ?? null) : null,
      data: u.data,
      username: u.username,
    }));
  }

  private async withSections(
    users: User[],
    names: UserSectionName[],
    admin: boolean,
    manager: EntityManager,
  ): Promise<Record<string, unknown>[]> {
    const base = await this.basic(users, manager);
    const sections = await this.sections.load(names, users.map((u) => u.id), { admin, manager });
    return users.map((u, i) => ({
      ...base[i],
      ...sections.get(u.id),
      created_at: iso(u.createdAt),
      updated_at: iso(u.updatedAt),
    }));
  }

  /** User-facing `UserWithFullInfo` (+ csrf_token right after login). */
  async fullInfo(user: User, csrfToken?: string, manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>> {
    const [view] = await this.withSections([user], ['labels', 'phones', 'profiles', 'data_storages'], false, manager);
    return csrfToken ? { ...view, csrf_token: csrfToken } : view!;
  }

  withProfile(users: User[], manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>[]> {
    return this.withSections(users, ['profiles'], true, manager);
  }

  async withKyc(user: User, manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>> {
    const [view] = await this.withSections(
      [user],
      ['profiles', 'labels', 'phones', 'documents', 'data_storages', 'comments'],
      true,
      manager,
    );
    return view!;
  }

  withKycMany(users: User[], manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>[]> {
    return this.withSections(users, ['profiles', 'labels', 'phones', 'documents', 'data_storages', 'comments'], true, manager);
  }
}
