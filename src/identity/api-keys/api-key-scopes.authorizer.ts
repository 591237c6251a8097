import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccessControl, type AccessRequest, type Authorizer } from '../../core/auth/access-control.js';
import type { Principal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { scopesAllow } from './api-key-scopes.js';

/** A request made with a scoped API key must fall within one of its scopes (see api-key-scopes.ts). */
@Injectable()
export class ApiKeyScopesAuthorizer implements Authorizer, OnModuleInit {
  readonly name = 'api-key-scopes';
  readonly order = 20;
  readonly policies = ['permissions', 'scopes'] as const;

  constructor(private readonly access: AccessControl) {}

  onModuleInit(): void {
    this.access.registerAuthorizer(this);
  }

  async authorize(principal: Principal, req: AccessRequest): Promise<void> {
    if (principal.via !== 'api_key' || !principal.scopes.length) return;
    if (!scopesAllow(principal.scopes, req.method, req.path)) throw AppError.unauthorized('authz.invalid_permission');
  }
}
