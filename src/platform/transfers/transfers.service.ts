import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Not, Repository } from 'typeorm';
import { uuidv7 } from '../../core/database/uuid.js';
import { appPublicId } from '../../identity/tenants/tenants.service.js';
import { badRequest, notFound } from '../common/errors.js';
import { pid, uuidOf } from '../common/ids.js';
import { type Input, intInRange, optBool, optString, unix } from '../common/input.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import { fromUnits, normalizeAddress, TOKENS, toUnits, type WalletType } from '../wallets/chains.js';
import { externalAccount, FEES_ACCOUNT, LedgerService, walletAccount } from '../wallets/ledger.service.js';
import { PlatformTransfer, PlatformWallet } from '../wallets/wallet.entity.js';
import { WalletsService } from '../wallets/wallets.service.js';

const EXPIRES_MS = 120_000;
/** Currencies a transfer from a wallet type may send. */
const TRANSFER_CURRENCIES: Record<WalletType, string[]> = { ETH: ['ETH', 'MATIC', 'AVAX'], SOL: ['SOL'], BTC: ['BTC'], DOT: ['DOT'], XLM: ['XLM'] };
/** The network fee the chain-less ledger charges per transfer, in the currency. */
const FEES: Record<string, string> = { ETH: '0.000021', MATIC: '0.000021', AVAX: '0.000021', SOL: '0.000005', BTC: '0.00001', DOT: '0.0156', XLM: '0.00001' };

/** Transfers out of custodial wallets on the chain-less ledger: create (unconfirmed), confirm, read. */
@Injectable()
export class TransfersService {
  constructor(
    @InjectRepository(PlatformTransfer) private readonly transfers: Repository<PlatformTransfer>,
    private readonly dataSource: DataSource,
    private readonly wallets: WalletsService,
    private readonly users: PlatformUsersService,
    private readonly ledger: LedgerService,
  ) {}

  async create(appId: string, input: Input): Promise<Record<string, unknown>> {
    const wallet = await this.wallets.require(appId, input.source);
    if (wallet.isImported) throw badRequest('invalid_source', 'Transfers leave custodial wallets only');
    if (input.user_id !== undefined && input.user_id !== null && input.user_id !== '' && uuidOf('user', input.user_id) !== wallet.userId) {
      throw badRequest('user_id_mismatch', 'The source wallet belongs to another user');
    }
    const currency = typeof input.dest_currency === 'string' ? input.dest_currency.trim().toUpperCase() : '';
    if (!TOKENS[currency] || !TRANSFER_CURRENCIES[wallet.walletType as WalletType].includes(currency)) {
      throw badRequest('incompatible_currency', `${currency || 'dest_currency'} cannot be sent from a ${wallet.walletType} wallet`);
    }
    let dest: string;
    try {
      dest = normalizeAddress(wallet.walletType as WalletType, input.dest);
    } catch {
      throw badRequest('invalid_destination', `dest must be a ${wallet.walletType} address`);
    }
    const decimals = TOKENS[currency]!.decimals;
    const amount = toUnits(input.source_amount, decimals);
    const fees = toUnits(FEES[currency]!, decimals);
    const includesFees = optBool(input, 'amount_includes_fees') ?? false;
    const sourceAmount = includesFees ? amount : amount + fees;
    const destAmount = includesFees ? amount - fees : amount;
    if (destAmount <= 0n) throw badRequest('invalid_amount', 'The amount does not cover the fees');
    const notes = (optString(input, 'notes') ?? '').slice(0, 1000);
    const now = new Date();
    const transfer = this.transfers.create({
      id: uuidv7(),
      appId,
      userId: wallet.userId,
      status: 'unconfirmed',
      sourceWalletId: wallet.id,
      sourceAmount: sourceAmount.toString(),
      sourceCurrency: currency,
      dest,
      destAmount: destAmount.toString(),
      destCurrency: currency,
      totalFees: fees.toString(),
      notes,
      blockchainTxHash: '',
      expiresAt: new Date(now.getTime() + EXPIRES_MS),
      completedAt: null,
      cancelledAt: null,
    });
    await this.transfers.insert(transfer);
    return view((await this.transfers.findOneByOrFail({ id: transfer.id })));
  }

  /** Confirms an unconfirmed, unexpired transfer: pending, then completed (funds moved) or failed. */
  async confirm(appId: string, publicId: string, input: Input): Promise<Record<string, unknown>> {
    const id = uuidOf('transfer', publicId);
    const result = await this.dataSource.transaction(async (m) => {
      const t = id ? await m.findOne(PlatformTransfer, { where: { appId, id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!t) throw notFound('transfer_not_found', `Transfer ${publicId} not found`);
      if (input.user_id !== undefined && input.user_id !== null && input.user_id !== '' && uuidOf('user', input.user_id) !== t.userId) {
        throw badRequest('user_id_mismatch', 'The transfer belongs to another user');
      }
      if (t.status !== 'unconfirmed') throw badRequest('transfer_not_unconfirmed', `The transfer is ${t.status}`);
      if (t.expiresAt.getTime() <= Date.now()) throw badRequest('transfer_expired');
      await m.update(PlatformTransfer, { id: t.id }, { status: 'pending' });
      const destWallet = await m.findOne(PlatformWallet, { where: { appId, walletType: (await m.findOneByOrFail(PlatformWallet, { id: t.sourceWalletId })).walletType, publicAddress: t.dest } });
      const source = BigInt(t.sourceAmount);
      const destAmount = BigInt(t.destAmount);
      const fees = BigInt(t.totalFees);
      const moved = await this.ledger.post(m, appId, t.sourceCurrency, t.id, [
        { account: walletAccount(t.sourceWalletId), amount: -source, walletId: t.sourceWalletId },
        destWallet ? { account: walletAccount(destWallet.id), amount: destAmount, walletId: destWallet.id } : { account: externalAccount(t.dest), amount: destAmount },
        { account: FEES_ACCOUNT, amount: fees + (source - destAmount - fees) },
      ]);
      const now = new Date();
      if (moved) {
        const hash = '0x' + createHash('sha256').update(`${t.id}:${t.dest}:${t.destAmount}`).digest('hex');
        await m.update(PlatformTransfer, { id: t.id }, { status: 'completed', completedAt: now, blockchainTxHash: hash, updatedAt: now });
      } else {
        await m.update(PlatformTransfer, { id: t.id }, { status: 'failed', updatedAt: now });
      }
      return t.id;
    });
    return view((await this.transfers.findOneByOrFail({ id: result })));
  }

  async get(appId: string, publicId: string): Promise<Record<string, unknown>> {
    const id = uuidOf('transfer', publicId);
    const t = id ? await this.transfers.findOne({ where: { appId, id } }) : null;
    if (!t) throw notFound('transfer_not_found', `Transfer ${publicId} not found`);
    return view(t);
  }

  async list(appId: string, input: Input): Promise<Record<string, unknown>> {
    const limit = intInRange(input, 'limit', 10, 100, 50, 'invalid_limit');
    const offset = intInRange(input, 'offset', 0, 1_000_000, 0, 'invalid_offset');
    const where: Record<string, unknown> = { appId, status: Not(In(['unconfirmed'])) };
    if (input.user_id) where.userId = (await this.users.require(appId, input.user_id)).id;
    if (input.source) where.sourceWalletId = (await this.wallets.require(appId, input.source)).id;
    const [rows, count] = await this.transfers.findAndCount({ where, order: { id: 'DESC' }, take: limit, skip: offset });
    return { transfers: rows.map(view), count, offset, limit };
  }
}

function view(t: PlatformTransfer): Record<string, unknown> {
  const decimals = TOKENS[t.sourceCurrency]?.decimals ?? 0;
  return {
    id: pid('transfer', t.id),
    app_id: appPublicId(t.appId),
    user_id: pid('user', t.userId),
    status: t.status,
    source: pid('wallet', t.sourceWalletId),
    source_amount: fromUnits(BigInt(t.sourceAmount), decimals),
    source_currency: t.sourceCurrency,
    dest: t.dest,
    dest_amount: fromUnits(BigInt(t.destAmount), decimals),
    dest_currency: t.destCurrency,
    total_fees: fromUnits(BigInt(t.totalFees), decimals),
    custom_id: null,
    notes: t.notes,
    blockchain_tx_hash: t.blockchainTxHash,
    completed_at: unix(t.completedAt),
    cancelled_at: unix(t.cancelledAt),
    expires_at: unix(t.expiresAt),
    created_at: unix(t.createdAt),
    updated_at: unix(t.updatedAt),
  };
}
