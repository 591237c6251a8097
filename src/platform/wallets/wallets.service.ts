import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { uuidv7 } from '../../core/database/uuid.js';
import { appPublicId } from '../../identity/tenants/tenants.service.js';
import { badRequest, notFound } from '../common/errors.js';
import { pid, uuidOf } from '../common/ids.js';
import { unix } from '../common/input.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import type { PlatformUser } from '../users/user.entity.js';
import { canonicalWalletType, generateWalletKey, type WalletType } from './chains.js';
import { PlatformBalance, PlatformWallet, PlatformWalletRegistration } from './wallet.entity.js';

const SEAL_CONTEXT = 'platform-wallet-key';

/** Custodial wallets (keys generated and sealed here) and wallets imported by signature. */
@Injectable()
export class WalletsService implements OnModuleInit {
  constructor(
    @InjectRepository(PlatformWallet) private readonly wallets: Repository<PlatformWallet>,
    private readonly users: PlatformUsersService,
    private readonly sealer: SecretSealer,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.users.addHook({
      created: async (m, user, input) => {
        await this.createCustodial(m, user, (input.walletType as WalletType | undefined) ?? 'ETH');
      },
      deleted: async (m, user) => {
        await m.delete(PlatformWalletRegistration, { userId: user.id });
        await m.delete(PlatformWallet, { userId: user.id });
      },
    });
    this.users.addSection('wallets', async (appId, userIds) => {
      const rows = await this.wallets.find({ where: { appId, userId: In(userIds) }, order: { id: 'ASC' } });
      const out = new Map<string, unknown[]>();
      for (const w of rows) out.set(w.userId, [...(out.get(w.userId) ?? []), walletView(w)]);
      return out;
    });
    this.users.addSearchField('wallet_public_address', { table: 'platform_wallets', column: 'public_address', kind: 'string' });
    this.users.addSearchField('wallet_id', { table: 'platform_wallets', column: 'id', kind: 'id', prefix: 'wallet' });
  }

  /** A new custodial wallet; the user's first of that type is its default. */
  async createCustodial(m: EntityManager, user: PlatformUser, type: WalletType): Promise<PlatformWallet> {
    const key = generateWalletKey(type);
    const hasDefault = await m.exists(PlatformWallet, { where: { userId: user.id, walletType: type, isDefault: true } });
    const wallet = m.create(PlatformWallet, {
      id: uuidv7(),
      appId: user.appId,
      userId: user.id,
      publicAddress: key.address,
      walletType: type,
      verified: true,
      isDefault: !hasDefault,
      isReadOnly: false,
      isImported: false,
      privateKeySealed: this.sealer.seal(key.privateKey, SEAL_CONTEXT),
    });
    await m.insert(PlatformWallet, wallet);
    return (await m.findOneByOrFail(PlatformWallet, { id: wallet.id }));
  }

  /** wallets/create: the user's existing custodial wallet of that type, else a new default one. */
  async createOrGet(appId: string, userPublicId: unknown, type: unknown): Promise<PlatformWallet> {
    const walletType = canonicalWalletType(type);
    return this.dataSource.transaction(async (m) => {
      const user = await this.users.require(appId, userPublicId, m, true);
      const existing = await m.findOne(PlatformWallet, { where: { appId, userId: user.id, walletType, isImported: false }, order: { isDefault: 'DESC', id: 'ASC' } });
      return existing ?? this.createCustodial(m, user, walletType);
    });
  }

  async require(appId: string, publicId: unknown, m: EntityManager = this.dataSource.manager): Promise<PlatformWallet> {
    const id = uuidOf('wallet', publicId);
    const wallet = id ? await m.findOne(PlatformWallet, { where: { appId, id } }) : null;
    if (!wallet) throw notFound('wallet_not_found', `Wallet ${String(publicId)} not found`);
    return wallet;
  }

  list(appId: string, userId?: string): Promise<PlatformWallet[]> {
    return this.wallets.find({ where: userId ? { appId, userId } : { appId }, order: { id: 'ASC' }, take: 1000 });
  }

  findByAddress(m: EntityManager, appId: string, type: WalletType, address: string): Promise<PlatformWallet | null> {
    return m.findOne(PlatformWallet, { where: { appId, walletType: type, publicAddress: address } });
  }

  async attachImported(m: EntityManager, user: PlatformUser, type: WalletType, address: string): Promise<PlatformWallet> {
    const existing = await this.findByAddress(m, user.appId, type, address);
    if (existing) return existing;
    const wallet = m.create(PlatformWallet, {
      id: uuidv7(),
      appId: user.appId,
      userId: user.id,
      publicAddress: address,
      walletType: type,
      verified: true,
      isDefault: false,
      isReadOnly: true,
      isImported: true,
      privateKeySealed: null,
    });
    await m.insert(PlatformWallet, wallet);
    return (await m.findOneByOrFail(PlatformWallet, { id: wallet.id }));
  }

  /** Deletes an imported wallet; custodial ones hold keys and funds and cannot be deleted. */
  async deleteImported(appId: string, publicId: string): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const wallet = await this.require(appId, publicId, m);
      if (!wallet.isImported) throw badRequest('cannot_delete_managed_wallet', 'A custodial wallet cannot be deleted');
      await m.delete(PlatformWallet, { id: wallet.id });
      await this.users.touch(m, wallet.userId);
      return wallet.userId;
    });
  }

  async balance(walletId: string, currency: string): Promise<bigint> {
    const row = await this.dataSource.manager.findOne(PlatformBalance, { where: { walletId, currency } });
    return row ? BigInt(row.amount) : 0n;
  }
}

export function walletView(w: PlatformWallet): Record<string, unknown> {
  return {
    id: pid('wallet', w.id),
    app_id: appPublicId(w.appId),
    user_id: pid('user', w.userId),
    public_address: w.publicAddress,
    wallet_type: w.walletType,
    verified: w.verified,
    is_default: w.isDefault,
    is_read_only: w.isReadOnly,
    is_imported: w.isImported,
    created_at: unix(w.createdAt),
    updated_at: unix(w.updatedAt),
  };
}
