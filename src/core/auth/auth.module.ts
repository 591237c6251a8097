import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessControl } from './access-control.js';
import { AuthGuard } from './auth.guard.js';
import { AuthenticationService } from './authentication.service.js';

@Global()
@Module({
  // The guard is also a provider of its own, for a route answered ahead of Nest's router (it runs the same guard).
  providers: [AuthenticationService, AccessControl, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AuthenticationService, AccessControl, AuthGuard],
})
export class AuthModule {}
