import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '../../core/database/uuid.js';
import { PlatformBalance, PlatformLedgerEntry } from './wallet.entity.js';

export const walletAccount = (walletId: string): string => `wallet:${walletId}`;
export const externalAccount = (address: string): string => `external:${address}`;
export const FEES_ACCOUNT = 'fees';

export interface Leg {
  account: string;
  /** Signed, in the currency's smallest unit. */
  amount: bigint;
  /** Set for wallet accounts: their balance row moves with the leg. */
  walletId?: string;
}

/**
 * The chain-less ledger: double-entry postings in integer units, and per-wallet balances that a
 * posting moves in the same transaction. A debit is a conditional update (`amount >= debit`) on
 * the balance row, so concurrent debits serialize on that row and none can overdraw it.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly dataSource: DataSource) {}

  /** Posts the legs (they must sum to zero); false, with nothing written, when a wallet lacks funds. */
  async post(m: EntityManager, appId: string, currency: string, transferId: string | null, legs: Leg[]): Promise<boolean> {
    if (legs.reduce((sum, l) => sum + l.amount, 0n) !== 0n) throw new Error('ledger legs do not balance');
    // Debits first, in a stable order, so two postings never wait on each other's rows.
    const ordered = [...legs].sort((a, b) => (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : a.account.localeCompare(b.account)));
    for (const leg of ordered) {
      if (!leg.walletId) continue;
      if (leg.amount < 0n) {
        const res: [unknown[], number] = await m.query(
          'UPDATE platform_balances SET amount = amount - $3 WHERE wallet_id = $1 AND currency = $2 AND amount >= $3',
          [leg.walletId, currency, (-leg.amount).toString()],
        );
        if (!res[1]) return false;
      } else {
        await m.query(
          'INSERT INTO platform_balances (wallet_id, currency, amount) VALUES ($1, $2, $3) ON CONFLICT (wallet_id, currency) DO UPDATE SET amount = platform_balances.amount + EXCLUDED.amount',
          [leg.walletId, currency, leg.amount.toString()],
        );
      }
    }
    await m.insert(
      PlatformLedgerEntry,
      legs.map((l) => ({ id: uuidv7(), appId, transferId, account: l.account, currency, amount: l.amount.toString() })),
    );
    return true;
  }

  /** A deposit seen on chain (or granted by an operator): the outside world pays the wallet. */
  async credit(appId: string, walletId: string, currency: string, units: bigint, from = 'deposit'): Promise<void> {
    await this.dataSource.transaction((m) =>
      this.post(m, appId, currency, null, [
        { account: externalAccount(from), amount: -units },
        { account: walletAccount(walletId), amount: units, walletId },
      ]),
    );
  }

  balanceRow(m: EntityManager, walletId: string, currency: string): Promise<PlatformBalance | null> {
    return m.findOne(PlatformBalance, { where: { walletId, currency } });
  }
}
