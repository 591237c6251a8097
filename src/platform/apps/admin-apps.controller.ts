import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import { RequiresAbility } from '../../core/auth/abilities.js';
import { CurrentUser, SelfAudited } from '../../core/auth/decorators.js';
import type { Principal } from '../../core/auth/principal.js';
import { Face } from '../../core/faces/face.js';
import { AppError } from '../../core/http/app-error.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import type { App } from '../../identity/tenants/app.entity.js';
import { DEFAULT_APP_ID } from '../../identity/tenants/app.entity.js';
import { appIdFromPublic, appPublicId, TenantsService } from '../../identity/tenants/tenants.service.js';

export class AdminAppCreateDto {
  @ApiProperty({ example: 'Acme Shop' })
  @IsOptional()
  name?: unknown;
}

export class AdminAppDto {
  @ApiProperty({ example: 'app_0Q3cbB1rX9K0ZyOe0bqVJ4' }) app_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'pk_test_...' }) public_token: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty({ description: 'unix seconds' }) created_at: number;
}

export class AdminAppIssuedDto {
  @ApiProperty() app_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'sk_test_...', description: 'Shown once' }) secret_key: string;
  @ApiProperty() public_token: string;
  @ApiProperty() created_at: number;
}

export class AdminAppSecretDto {
  @ApiProperty() app_id: string;
  @ApiProperty({ description: 'The new secret key, shown once; the previous one stops working' }) secret_key: string;
}

const view = (app: App): AdminAppDto => ({
  app_id: appPublicId(app.id),
  name: app.name,
  public_token: app.publicToken ?? '',
  status: app.status === 'disabled' ? 'disabled' : 'active',
  created_at: Math.floor(app.createdAt.getTime() / 1000),
});

/** Tenant apps of the platform face, managed by superadmins (the permissions table decides). */
@ApiTags('admin')
@ApiCookieAuth('session')
@ApiBearerAuth('jwt')
@Face('barong')
@Controller('api/v2/barong/admin/apps')
export class AdminAppsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly activities: ActivitiesService,
    private readonly dataSource: DataSource,
  ) {}

  @RequiresAbility('read', 'App')
  @Get()
  @ApiOperation({ summary: 'Tenant apps of the platform API' })
  @ApiOkResponse({ type: AdminAppDto, isArray: true })
  async list(): Promise<AdminAppDto[]> {
    return (await this.tenants.list()).map(view);
  }

  @RequiresAbility('create', 'App')
  @Post()
  @HttpCode(201)
  @SelfAudited()
  @ApiOperation({ summary: 'Create a tenant app with a secret key (shown once) and a public token' })
  @ApiOkResponse({ type: AdminAppIssuedDto })
  @ApiUnprocessableEntityResponse({ description: '`admin.app.missing_name`, `admin.app.invalid_name`' })
  async create(@CurrentUser() actor: Principal, @Body() body: AdminAppCreateDto, @Meta() meta: RequestMeta): Promise<AdminAppIssuedDto> {
    const name = typeof body?.name === 'string' ? body.name.trim() : undefined;
    if (name === undefined || name === '') throw AppError.unprocessable('admin.app.missing_name');
    if (name.length > 255) throw AppError.unprocessable('admin.app.invalid_name');
    return this.dataSource.transaction(async (m) => {
      const { app, secretKey } = await this.tenants.create(name, m);
      await this.audit(m, actor, meta, 'create', app, { name });
      return { app_id: appPublicId(app.id), name: app.name, secret_key: secretKey, public_token: app.publicToken!, created_at: view(app).created_at };
    });
  }

  @RequiresAbility('update', 'App')
  @Post(':app_id/rotate')
  @HttpCode(201)
  @SelfAudited()
  @ApiOperation({ summary: "Rotate an app's secret key: the old key stops working" })
  @ApiOkResponse({ type: AdminAppSecretDto })
  @ApiNotFoundResponse({ description: '`admin.app.doesnt_exist`' })
  rotate(@CurrentUser() actor: Principal, @Param('app_id') appId: string, @Meta() meta: RequestMeta): Promise<AdminAppSecretDto> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.findApp(m, appId);
      const secretKey = await this.tenants.rotateSecret(app, m);
      await this.audit(m, actor, meta, 'rotate', app);
      return { app_id: appPublicId(app.id), secret_key: secretKey };
    });
  }

  @RequiresAbility('update', 'App')
  @Post(':app_id/disable')
  @HttpCode(201)
  @SelfAudited()
  @ApiOperation({ summary: 'Disable an app: its secret key and public token stop working' })
  @ApiOkResponse({ type: AdminAppDto })
  @ApiNotFoundResponse({ description: '`admin.app.doesnt_exist`' })
  disable(@CurrentUser() actor: Principal, @Param('app_id') appId: string, @Meta() meta: RequestMeta): Promise<AdminAppDto> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.findApp(m, appId);
      await this.tenants.disable(app, m);
      await this.audit(m, actor, meta, 'disable', app);
      return view(app);
    });
  }

  private async findApp(m: EntityManager, publicId: string): Promise<App> {
    const id = appIdFromPublic(publicId);
    const app = id && id !== DEFAULT_APP_ID ? await this.tenants.findById(id, m) : null;
    if (!app) throw AppError.notFound('admin.app.doesnt_exist');
    return app;
  }

  private audit(m: EntityManager, actor: Principal, meta: RequestMeta, action: string, app: App, data: Record<string, unknown> = {}): Promise<void> {
    return this.activities.record(
      { userId: actor.kind === 'user' ? actor.id : null, category: 'admin', topic: 'apps', action, result: 'succeed', meta, targetUid: null, data: { app_id: appPublicId(app.id), ...data } },
      m,
    );
  }
}
