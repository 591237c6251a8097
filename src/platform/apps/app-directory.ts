import { Injectable } from '@nestjs/common';
import { TenantsService } from '../../identity/tenants/tenants.service.js';
import { notFound } from '../common/errors.js';

export interface AppInfo {
  id: string;
  name: string;
}

/** App names for messages and challenges, cached (an app's name is not secret and rarely changes). */
@Injectable()
export class AppDirectory {
  private readonly cache = new Map<string, { info: AppInfo; until: number }>();

  constructor(private readonly tenants: TenantsService) {}

  async get(appId: string): Promise<AppInfo> {
    const hit = this.cache.get(appId);
    if (hit && hit.until > Date.now()) return hit.info;
    const app = await this.tenants.findById(appId);
    if (!app) throw notFound('app_not_found');
    const info = { id: app.id, name: app.name };
    this.cache.set(appId, { info, until: Date.now() + 60_000 });
    return info;
  }
}
