import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { App } from './app.entity.js';
import { TenantsService } from './tenants.service.js';

/** Tenants. The Barong and network faces serve the default app; /v1 serves the caller's app. */
@Global()
@Module({ imports: [TypeOrmModule.forFeature([App])], providers: [TenantsService], exports: [TenantsService] })
export class TenantsModule {}
