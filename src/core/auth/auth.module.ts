import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessControl } from './access-control.js';
import { AuthGuard } from './auth.guard.js';
import { AuthenticationService } from './authentication.service.js';

@Global()
@Module({
  providers: [AuthenticationService, AccessControl, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthenticationService, AccessControl],
})
export class AuthModule {}
