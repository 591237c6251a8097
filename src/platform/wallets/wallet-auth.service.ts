import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { uuidv7 } from '../../core/database/uuid.js';
import { appPublicId } from '../../identity/tenants/tenants.service.js';
import { AppDirectory } from '../apps/app-directory.js';
import { badRequest, notFound, unauthorized } from '../common/errors.js';
import { pid } from '../common/ids.js';
import { deviceFingerprintOf, type Input, optString, unix } from '../common/input.js';
import { PlatformSessionsService } from '../sessions/platform-sessions.service.js';
import { sessionParamsOf } from '../sessions/session-params.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import { challengeNonce, normalizeAddress, verifyEthSignature, verifySolSignature, type WalletType } from './chains.js';
import { PlatformWalletRegistration } from './wallet.entity.js';
import { walletView, WalletsService } from './wallets.service.js';

const CHALLENGE_MS = 10 * 60_000;

function signInType(value: unknown): WalletType {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (v === 'eth' || v === 'ethereum') return 'ETH';
  if (v === 'sol' || v === 'solana') return 'SOL';
  throw badRequest('invalid_wallet_type', 'wallet_type must be ETH or SOL');
}

/** Sign-in with a crypto wallet: a challenge, then a signature over it (EIP-191 or ed25519). */
@Injectable()
export class WalletAuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: PlatformUsersService,
    private readonly wallets: WalletsService,
    private readonly sessions: PlatformSessionsService,
    private readonly apps: AppDirectory,
  ) {}

  async begin(appId: string, input: Input): Promise<Record<string, unknown>> {
    const type = signInType(input.wallet_type);
    const address = normalizeAddress(type, input.public_address);
    const app = await this.apps.get(appId);
    return this.dataSource.transaction(async (m) => {
      const owned = await this.wallets.findByAddress(m, appId, type, address);
      let userCreated = false;
      let user;
      if (owned) {
        user = (await this.users.find(appId, owned.userId, m))!;
        if (input.user_id !== undefined && input.user_id !== null && input.user_id !== '' && input.user_id !== pid('user', owned.userId)) {
          throw badRequest('duplicate_wallet_address', 'This address belongs to another user of the app');
        }
      } else if (input.user_id !== undefined && input.user_id !== null && input.user_id !== '') {
        user = await this.users.require(appId, input.user_id, m, true);
      } else {
        user = (await this.users.create(m, appId, { status: 'pending' })).user;
        userCreated = true;
      }
      await m.delete(PlatformWalletRegistration, { appId, walletType: type, publicAddress: address, consumedAt: IsNull() });
      const now = new Date();
      const reg = m.create(PlatformWalletRegistration, {
        id: uuidv7(),
        appId,
        userId: user.id,
        publicAddress: address,
        walletType: type,
        challenge: `Login for ${app.name}: ${challengeNonce()}`,
        expiresAt: new Date(now.getTime() + CHALLENGE_MS),
        consumedAt: null,
      });
      await m.insert(PlatformWalletRegistration, reg);
      return {
        id: pid('walletrr', reg.id),
        app_id: appPublicId(appId),
        user_id: pid('user', user.id),
        public_address: address,
        wallet_type: type,
        challenge: reg.challenge,
        user_created: userCreated,
        expires_at: unix(reg.expiresAt),
        created_at: unix(now),
        updated_at: unix(now),
      };
    });
  }

  async verify(appId: string, input: Input): Promise<Record<string, unknown>> {
    const type = signInType(input.wallet_type);
    const address = normalizeAddress(type, input.public_address);
    const signature = optString(input, 'signature');
    if (!signature) throw badRequest('bad_request', 'signature is required');
    const params = sessionParamsOf(input);
    const fingerprint = deviceFingerprintOf(input);
    return this.dataSource.transaction(async (m) => {
      const reg = await m.findOne(PlatformWalletRegistration, {
        where: { appId, walletType: type, publicAddress: address, consumedAt: IsNull() },
        order: { id: 'DESC' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!reg || reg.expiresAt.getTime() <= Date.now()) throw notFound('wallet_registration_not_found');
      const ok = type === 'ETH' ? verifyEthSignature(address, reg.challenge, signature) : verifySolSignature(address, reg.challenge, signature);
      if (!ok) throw unauthorized('unable_to_authenticate_crypto_wallet');
      await m.update(PlatformWalletRegistration, { id: reg.id }, { consumedAt: new Date() });
      const user = await this.users.find(appId, reg.userId, m);
      if (!user) throw notFound('user_not_found');
      const wallet = await this.wallets.attachImported(m, user, type, address);
      await this.users.activate(m, user);
      const now = Math.floor(Date.now() / 1000);
      const session = await this.sessions.establish(
        m,
        user,
        {
          type: 'wallet',
          delivery_channel: type === 'ETH' ? 'eth_wallet' : 'sol_wallet',
          method: { method_id: pid('wallet', wallet.id), method_type: 'wallet', wallet_id: pid('wallet', wallet.id), wallet_type: type, wallet_public_address: address, last_verified_at: now },
        },
        params,
        fingerprint,
      );
      const view = walletView(wallet);
      return { ...view, is_ready_only: view.is_read_only, ...session };
    });
  }
}
