import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { businessError } from '../common/business-error.js';
import { goTime } from '../common/go-time.js';
import { chainOf, isValidAddress } from './address-validation.js';
import { NetworkPayoutWallet, NetworkWallet } from './wallet.entity.js';

/** External payout wallets of networks and the payout choice. */
@Injectable()
export class WalletsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly activities: ActivitiesService,
  ) {}

  async add(p: NetworkPrincipal, input: { blockchain?: string; walletAddress?: string; defaultTokenType?: string }, meta: RequestMeta): Promise<{ wallet_id: string }> {
    const chain = chainOf(input.blockchain);
    if (!chain) throw businessError('invalid blockchain, use SOL or MATIC');
    const address = (input.walletAddress ?? '').trim();
    if (!isValidAddress(address, chain)) throw businessError('invalid wallet address');
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`network-wallets:${p.networkId}`]);
      let wallet = await m.findOne(NetworkWallet, { where: { networkId: p.networkId, walletAddress: address, blockchain: chain } });
      if (wallet) {
        await m.update(NetworkWallet, { id: wallet.id }, { active: true });
      } else {
        wallet = m.create(NetworkWallet, { networkId: p.networkId, walletType: 'external', blockchain: chain, walletAddress: address, defaultTokenType: (input.defaultTokenType || 'USDC').toUpperCase().slice(0, 16), circleWalletId: null, active: true });
        await m.save(wallet);
      }
      if (!(await m.exists(NetworkPayoutWallet, { where: { networkId: p.networkId } }))) await m.insert(NetworkPayoutWallet, { networkId: p.networkId, walletId: wallet.id });
      await this.activities.record({ userId: p.userId, topic: 'wallet', action: 'add payout wallet', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, wallet_id: wallet.id, blockchain: chain } }, m);
      return { wallet_id: wallet.id };
    });
  }

  async list(p: NetworkPrincipal): Promise<Record<string, unknown>[]> {
    const wallets = await this.dataSource.manager.find(NetworkWallet, { where: { networkId: p.networkId, active: true }, order: { createdAt: 'ASC' } });
    return wallets.map((w) => ({
      wallet_id: w.id,
      ...(w.circleWalletId ? { circle_wallet_id: w.circleWalletId } : {}),
      network_id: w.networkId,
      wallet_type: w.walletType,
      blockchain: w.blockchain,
      wallet_address: w.walletAddress,
      active: w.active,
      default_token_type: w.defaultTokenType,
      create_time: goTime(w.createdAt),
    }));
  }

  /** Soft-deletes an own wallet; clears the payout choice if it was this one. */
  async remove(p: NetworkPrincipal, walletId: string, meta: RequestMeta): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const result = await m.update(NetworkWallet, { id: walletId.toLowerCase(), networkId: p.networkId, active: true }, { active: false });
      if (!result.affected) return false;
      await m.delete(NetworkPayoutWallet, { networkId: p.networkId, walletId: walletId.toLowerCase() });
      await this.activities.record({ userId: p.userId, topic: 'wallet', action: 'remove payout wallet', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, wallet_id: walletId } }, m);
      return true;
    });
  }

  async payoutWallet(p: NetworkPrincipal): Promise<string | null> {
    const row = await this.dataSource.manager.findOne(NetworkPayoutWallet, { where: { networkId: p.networkId } });
    return row?.walletId ?? null;
  }

  async setPayoutWallet(p: NetworkPrincipal, walletId: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const wallet = await m.findOne(NetworkWallet, { where: { id: walletId.toLowerCase(), networkId: p.networkId, active: true } });
      if (!wallet) throw businessError('Wallet must be an active wallet owned by the network.');
      await m.upsert(NetworkPayoutWallet, { networkId: p.networkId, walletId: wallet.id }, ['networkId']);
      await this.activities.record({ userId: p.userId, topic: 'wallet', action: 'set payout wallet', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, wallet_id: wallet.id } }, m);
    });
  }
}
