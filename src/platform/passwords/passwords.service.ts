import { Injectable } from '@nestjs/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { DataSource } from 'typeorm';
import { CounterStore } from '../../core/kv/counter-store.js';
import { UsersService } from '../../identity/users/users.service.js';
import { badRequest, notFound, tooManyRequests, unauthorized } from '../common/errors.js';
import { pid } from '../common/ids.js';
import { deviceFingerprintOf, type Input, reqString } from '../common/input.js';
import { PlatformSessionsService } from '../sessions/platform-sessions.service.js';
import { sessionParamsOf } from '../sessions/session-params.js';
import { PlatformUsersService } from '../users/platform-users.service.js';

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

const MAX_FAILURES = 5;
const LOCK_SECONDS = 300;

/** Passwords of platform users (argon2id in the shared identity row) and a zxcvbn strength check. */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: PlatformUsersService,
    private readonly identity: UsersService,
    private readonly sessions: PlatformSessionsService,
    private readonly counters: CounterStore,
  ) {}

  strength(input: Input): Record<string, unknown> {
    const password = reqString(input, 'password');
    const r = estimator.check(password.slice(0, 256));
    return {
      score: r.score,
      crack_time: r.crackTimes.offlineSlowHashingXPerSecond.seconds,
      crack_time_display: r.crackTimes.offlineSlowHashingXPerSecond.display,
      valid_password: r.score >= 3,
      feedback: { warning: r.feedback.warning ?? '', suggestions: r.feedback.suggestions },
    };
  }

  private checkPolicy(password: string): void {
    if (password.length < 8) throw badRequest('weak_password', 'The password needs at least 8 characters');
    if (password.length > 256) throw badRequest('weak_password', 'The password is too long');
  }

  async sessionUpdate(appId: string, input: Input): Promise<Record<string, unknown>> {
    const password = reqString(input, 'password');
    this.checkPolicy(password);
    const params = sessionParamsOf(input);
    if (!params.token && !params.jwt) throw badRequest('no_session_arguments');
    const session = (await this.sessions.selected(appId, params))!;
    if (!session.factors.some((f) => f.type === 'otp' || f.type === 'magic_link' || f.type === 'password')) throw badRequest('insufficient_factors');
    return this.dataSource.transaction(async (m) => {
      const user = await this.users.find(appId, session.userId, m);
      if (!user) throw notFound('user_not_found');
      await this.identity.setPassword(user.id, password, m);
      const result = await this.sessions.establish(m, user, passwordFactor(user.id), { token: params.token, jwt: params.jwt }, deviceFingerprintOf(input));
      return { user_id: pid('user', user.id), ...result };
    });
  }

  async verify(appId: string, input: Input): Promise<Record<string, unknown>> {
    const password = reqString(input, 'password');
    const params = sessionParamsOf(input);
    const fingerprint = deviceFingerprintOf(input);
    let user;
    if (input.user_id !== undefined && input.user_id !== null && input.user_id !== '') user = await this.users.require(appId, input.user_id);
    else {
      const session = await this.sessions.selected(appId, params);
      if (!session) throw badRequest('invalid_user_id', 'user_id is required');
      user = (await this.users.find(appId, session.userId))!;
    }
    const lockKey = `platform:pw-fail:${user.id}`;
    if ((await this.counters.count(lockKey)) >= MAX_FAILURES) throw tooManyRequests('Too many wrong passwords, try again later');
    const digest = await this.identity.passwordDigest(user.id);
    const ok = digest ? await this.identity.verifyPassword({ id: user.id } as never, password) : false;
    if (!ok) {
      await this.counters.hit(lockKey, LOCK_SECONDS);
      throw unauthorized('unauthorized_credentials', 'Wrong password');
    }
    await this.counters.reset(lockKey);
    return this.dataSource.transaction(async (m) => {
      const fresh = (await this.users.find(appId, user.id, m))!;
      await this.users.activate(m, fresh);
      const result = await this.sessions.establish(m, fresh, passwordFactor(fresh.id), params, fingerprint);
      return { user_id: pid('user', fresh.id), ...result };
    });
  }
}

function passwordFactor(userId: string) {
  return { type: 'password', delivery_channel: 'password', method: { method_id: pid('user', userId), method_type: 'password', last_verified_at: Math.floor(Date.now() / 1000) } };
}
