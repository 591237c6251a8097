import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { User } from '../users/user.entity.js';

export type SecondFactorResult = 'valid' | 'invalid' | 'rate_limited';

/** Checks a user's 2FA code (TOTP, or a recovery code where allowed). Provided by the OTP module. */
export interface SecondFactorVerifier {
  verify(user: User, code: string, opts?: { allowRecoveryCode?: boolean; manager?: EntityManager }): Promise<SecondFactorResult>;
}

/**
 * Flows that demand a 2FA code (login, self-deletion, API-key writes) ask here, so they do not
 * depend on how codes are checked. With no verifier registered every code is invalid.
 */
@Injectable()
export class SecondFactor {
  private verifier?: SecondFactorVerifier;

  register(verifier: SecondFactorVerifier): void {
    this.verifier = verifier;
  }

  verify(user: User, code: string, opts?: { allowRecoveryCode?: boolean; manager?: EntityManager }): Promise<SecondFactorResult> {
    return this.verifier ? this.verifier.verify(user, code, opts) : Promise.resolve('invalid');
  }
}
