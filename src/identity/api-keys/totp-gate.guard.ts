import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthedRequest } from '../../core/auth/decorators.js';
import { AppError } from '../../core/http/app-error.js';
import { ApiKeysService, type TotpPrefix } from './api-keys.service.js';

const TOTP_PREFIX = 'api-keys:totp-prefix';

/**
 * Barong checks 2FA before it validates parameters (a Grape `before` block): 2FA off → 400
 * `<prefix>.2fa_disabled`, blank `totp_code` → 422 `<prefix>.missing_totp`. The code itself is
 * verified by the service once the parameters are valid, so a typo elsewhere does not burn it.
 */
@Injectable()
export class TotpGateGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const prefix = this.reflector.get<TotpPrefix>(TOTP_PREFIX, context.getHandler());
    if (!prefix) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = req.principal;
    if (!principal) throw AppError.unauthorized('authz.invalid_session');
    if (principal.kind !== 'user') throw AppError.badRequest(`${prefix}.2fa_disabled`);
    const user = await this.apiKeys.requireUser(principal.id);
    if (!user.otp) throw AppError.badRequest(`${prefix}.2fa_disabled`);
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const query = (req.query ?? {}) as Record<string, unknown>;
    const code = body.totp_code ?? query.totp_code;
    const text = typeof code === 'string' || typeof code === 'number' ? String(code).trim() : '';
    if (!text) throw AppError.unprocessable(`${prefix}.missing_totp`);
    return true;
  }
}

/** The route demands the acting user's TOTP code in `totp_code` (body or query). */
export const TotpProtected = (prefix: TotpPrefix): MethodDecorator =>
  applyDecorators(SetMetadata(TOTP_PREFIX, prefix), UseGuards(TotpGateGuard));
