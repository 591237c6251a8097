import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Parts of the user views (labels, phones, profiles, data storages, documents, comments) are owned
 * by other modules. Each registers a loader here; the presenters ask for the sections they show.
 */
export type UserSectionName = 'labels' | 'phones' | 'profiles' | 'data_storages' | 'documents' | 'comments';

export interface UserSectionContext {
  /** true for admin views (unmasked, with descriptions). */
  admin: boolean;
  manager?: EntityManager;
}

export type UserSectionLoader = (userIds: string[], ctx: UserSectionContext) => Promise<Map<string, unknown[]>>;

@Injectable()
export class UserSections {
  private readonly loaders = new Map<UserSectionName, UserSectionLoader>();
  private readonly listeners: ((userId: string, manager?: EntityManager) => Promise<void>)[] = [];

  register(name: UserSectionName, loader: UserSectionLoader): void {
    if (this.loaders.has(name)) throw new Error(`user section ${name} is registered twice`);
    this.loaders.set(name, loader);
  }

  /**
   * A module changed something a user view shows (a label, a phone, ...): cached views of the user
   * go. Pass the change's transaction, so other instances hear of it when it commits.
   */
  async changed(userId: string, manager?: EntityManager): Promise<void> {
    for (const listener of this.listeners) await listener(userId, manager);
  }

  onChange(listener: (userId: string, manager?: EntityManager) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async load(names: UserSectionName[], userIds: string[], ctx: UserSectionContext): Promise<Map<string, Record<string, unknown[]>>> {
    const out = new Map<string, Record<string, unknown[]>>(userIds.map((id) => [id, {}]));
    await Promise.all(
      names.map(async (name) => {
        const loader = this.loaders.get(name);
        const rows = loader ? await loader(userIds, ctx) : new Map<string, unknown[]>();
        for (const id of userIds) out.get(id)![name] = rows.get(id) ?? [];
      }),
    );
    return out;
  }
}
