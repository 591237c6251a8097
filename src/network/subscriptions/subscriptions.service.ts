import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual, MoreThan } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { sha256Hex } from '../../core/crypto/tokens.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { businessError } from '../common/business-error.js';
import { goTime } from '../common/go-time.js';
import { BalanceCode, SubscriptionPaymentId, TransferBalance } from './subscription.entity.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PAYMENT_IDS_PER_HOUR = 5;

/** 26 base32 characters (130 bits), as the current server writes balance-code secrets. */
function newSecret(): string {
  const bytes = randomBytes(26);
  return Array.from(bytes, (b) => BASE32[b & 31]).join('');
}

const secretHash = (secret: string): string => sha256Hex(`balance-code:${secret.trim()}`);

export interface CreatedBalanceCode {
  code: BalanceCode;
  secret: string;
}

/** Balance codes, transfer balances and payment ids. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly activities: ActivitiesService,
  ) {}

  async createBalanceCode(input: { balanceByteCount: number; durationDays: number; adminUserId: string; meta: RequestMeta; adminUid?: string }): Promise<CreatedBalanceCode> {
    const secret = newSecret();
    const start = new Date();
    const code = await this.dataSource.transaction(async (m) => {
      const row = m.create(BalanceCode, {
        secretHash: secretHash(secret),
        balanceByteCount: String(input.balanceByteCount),
        startTime: start,
        endTime: new Date(start.getTime() + input.durationDays * 86_400_000),
        redeemTime: null,
        redeemedByNetworkId: null,
        createdByUserId: input.adminUserId,
      });
      await m.save(row);
      await this.activities.record(
        { userId: input.adminUserId, category: 'admin', topic: 'balance_codes', action: 'create balance code', result: 'succeed', meta: input.meta, data: { balance_code_id: row.id, balance_byte_count: input.balanceByteCount, duration_days: input.durationDays } },
        m,
      );
      return row;
    });
    return { code, secret };
  }

  listBalanceCodes(page: number, limit: number): Promise<[BalanceCode[], number]> {
    return this.dataSource.manager.findAndCount(BalanceCode, { order: { createdAt: 'DESC', id: 'DESC' }, skip: (page - 1) * limit, take: limit });
  }

  /** An unredeemed code's terms, without redeeming it. */
  async checkBalanceCode(secret: string): Promise<Record<string, unknown>> {
    const code = await this.dataSource.manager.findOne(BalanceCode, { where: { secretHash: secretHash(secret) } });
    if (!code || code.redeemTime) throw businessError('Unknown balance code.');
    return { balance: { start_time: goTime(code.startTime), end_time: goTime(code.endTime), balance_byte_count: Number(code.balanceByteCount) } };
  }

  /** Redeems a code once (a conditional update decides between concurrent calls) and adds the balance. */
  async redeemBalanceCode(p: NetworkPrincipal, secret: string, meta: RequestMeta): Promise<Record<string, unknown>> {
    const hash = secretHash(secret);
    return this.dataSource.transaction(async (m) => {
      const [rows] = (await m.query(
        `UPDATE network_balance_codes SET redeem_time = now(), redeemed_by_network_id = $2 WHERE secret_hash = $1 AND redeem_time IS NULL
         RETURNING id, balance_byte_count::text AS bytes, start_time, end_time`,
        [hash, p.networkId],
      )) as [{ id: string; bytes: string; start_time: Date; end_time: Date }[], number];
      const code = rows[0];
      if (!code) {
        const exists = await m.exists(BalanceCode, { where: { secretHash: hash } });
        throw businessError(exists ? 'Balance code already redeemed.' : 'Unknown balance code.');
      }
      const start = new Date();
      const duration = new Date(code.end_time).getTime() - new Date(code.start_time).getTime();
      const balance = m.create(TransferBalance, {
        networkId: p.networkId,
        balanceCodeId: code.id,
        startTime: start,
        endTime: new Date(start.getTime() + duration),
        startBalanceByteCount: code.bytes,
        balanceByteCount: code.bytes,
        netRevenueNanoCents: '0',
      });
      await m.save(balance);
      await this.activities.record({ userId: p.userId, topic: 'subscription', action: 'redeem balance code', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, balance_code_id: code.id } }, m);
      return {
        transfer_balance: { transfer_balance_id: balance.id, start_time: goTime(balance.startTime), end_time: goTime(balance.endTime), balance_byte_count: Number(code.bytes) },
      };
    });
  }

  async balance(p: NetworkPrincipal): Promise<Record<string, unknown>> {
    const now = new Date();
    const balances = await this.dataSource.manager.find(TransferBalance, { where: { networkId: p.networkId, startTime: LessThanOrEqual(now), endTime: MoreThan(now) }, order: { startTime: 'ASC' } });
    const out: Record<string, unknown> = { balance_byte_count: balances.reduce((a, b) => a + Number(b.balanceByteCount), 0) };
    if (balances.length) {
      out.active_transfer_balances = balances.map((b) => ({
        balance_id: b.id,
        network_id: b.networkId,
        start_time: goTime(b.startTime),
        end_time: goTime(b.endTime),
        start_balance_byte_count: Number(b.startBalanceByteCount),
        net_revenue_nano_cents: Number(b.netRevenueNanoCents),
        balance_byte_count: Number(b.balanceByteCount),
      }));
    }
    out.pending_payout_usd_nano_cents = 0;
    out.update_time = goTime(now);
    return out;
  }

  async createPaymentId(p: NetworkPrincipal): Promise<{ subscription_payment_id: string }> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`network-payment-ids:${p.networkId}`]);
      const recent = await m.count(SubscriptionPaymentId, { where: { networkId: p.networkId, createdAt: MoreThan(new Date(Date.now() - 3600_000)) } });
      if (recent >= PAYMENT_IDS_PER_HOUR) throw businessError('Too many subscription payments in the last hour. Try again later.');
      // A random (v4) id: nothing in it ties it to the network or the time.
      const id = randomUUID();
      await m.insert(SubscriptionPaymentId, { id, networkId: p.networkId });
      return { subscription_payment_id: id };
    });
  }
}
