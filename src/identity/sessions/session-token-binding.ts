import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { randomHex, safeEqual } from '../../core/crypto/tokens.js';
import { SessionsService } from './sessions.service.js';

const NONCE_HEX = 10;
const JTI = /^[0-9a-f]{20}$/;

export type TokenBinding = { bound: true; sessionId: string } | { bound: false };

/**
 * Binds a Bearer JWT to the session it was minted for without a claim Barong's consumers do not
 * know: the `jti` keeps Barong's shape (20 hex characters) and is a random half followed by a keyed
 * MAC of the session id and that half. The service's own routes accept such a token only while one
 * of the user's live sessions produces the MAC, so a logout or a password reset (which ends the
 * sessions) ends the token too. Tokens minted for no session (API keys) carry a MAC of the user
 * instead and keep their lifetime.
 */
@Injectable()
export class SessionTokenBinding {
  private readonly key: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.secretKey, 'barong-nest', 'jwt-session-binding', 32));
  }

  private mac(subject: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${subject}:${nonce}`).digest('hex').slice(0, 20 - NONCE_HEX);
  }

  /** A `jti` for a token minted for the session (or, without one, for the user's uid). */
  jti(sessionId: string | undefined, uid: string): string {
    const nonce = randomHex(NONCE_HEX / 2);
    return nonce + this.mac(sessionId ? `s:${sessionId}` : `u:${uid}`, nonce);
  }

  /** What a token's `jti` is bound to, or undefined when it names no live session of the user. */
  async resolve(jti: unknown, userId: string, uid: string): Promise<TokenBinding | undefined> {
    if (typeof jti !== 'string' || !JTI.test(jti)) return undefined;
    const nonce = jti.slice(0, NONCE_HEX);
    const tag = jti.slice(NONCE_HEX);
    if (safeEqual(this.mac(`u:${uid}`, nonce), tag)) return { bound: false };
    for (const sessionId of await this.sessions.liveSessionIds(userId)) {
      if (safeEqual(this.mac(`s:${sessionId}`, nonce), tag)) return { bound: true, sessionId };
    }
    return undefined;
  }
}
