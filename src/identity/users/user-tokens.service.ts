import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { randomToken, sha256Hex } from '../../core/crypto/tokens.js';
import { UserToken, UserTokenPurpose } from './user-token.entity.js';
import { User } from './user.entity.js';

export type TokenCheck = { ok: true; token: UserToken } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Single-use tokens mailed to users. Issuing a new one supersedes the user's earlier tokens of the
 * same purpose, so only the latest link works. Only the SHA-256 of a token is stored.
 */
@Injectable()
export class UserTokensService {
  async issue(manager: EntityManager, userId: string, purpose: UserTokenPurpose, ttlSeconds: number): Promise<string> {
    const token = randomToken(24);
    // One issuer per user at a time, so two concurrent requests cannot both leave a live token.
    await manager.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    await manager.update(UserToken, { userId, purpose, usedAt: IsNull() }, { usedAt: new Date() });
    await manager.insert(UserToken, {
      userId,
      purpose,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      usedAt: null,
    });
    return token;
  }

  /** Finds and locks the token row; consume() must follow in the same transaction. */
  async check(manager: EntityManager, token: string, purpose: UserTokenPurpose): Promise<TokenCheck> {
    const row = await manager.findOne(UserToken, {
      where: { tokenHash: sha256Hex(token), purpose },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.usedAt) return { ok: false, reason: 'used' };
    if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, token: row };
  }

  async consume(manager: EntityManager, token: UserToken): Promise<void> {
    await manager.update(UserToken, { id: token.id }, { usedAt: new Date() });
  }
}
