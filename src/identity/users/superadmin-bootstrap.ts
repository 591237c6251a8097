import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';
import { DEFAULT_APP_ID } from '../tenants/app.entity.js';

const LOCK_ID = 4_242_002;

/**
 * First start: with no superadmin, create one from ADMIN_EMAIL/ADMIN_PASSWORD, or with a random
 * password printed once. Later starts find one and do nothing. Serialised across instances.
 */
@Injectable()
export class SuperadminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Superadmin');

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
      if (await manager.exists(User, { where: { role: 'superadmin' } })) return;
      const password = this.config.adminPassword ?? randomBytes(12).toString('base64url') + 'A1!';
      const existing = await this.users.findByEmail(this.config.adminEmail, DEFAULT_APP_ID, manager);
      if (existing) {
        await this.users.update(existing.id, { role: 'superadmin', state: 'active' }, manager);
        await this.users.setPassword(existing.id, password, manager);
      } else {
        await this.users.create({ appId: DEFAULT_APP_ID, email: this.config.adminEmail, password, role: 'superadmin', state: 'active' }, manager);
      }
      if (this.config.adminPassword) {
        this.logger.log(`created superadmin ${this.config.adminEmail} with ADMIN_PASSWORD`);
      } else {
        this.logger.warn(`created superadmin ${this.config.adminEmail} with password: ${password} (shown once; change it)`);
      }
    });
  }
}
