import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThanOrEqual, Repository } from 'typeorm';
import { ProviderDailyStat } from './provider-stat.entity.js';

export interface DayFigures {
  uptimeMinutes: number;
  transferBytes: number;
  payoutNanoCents: number;
  searchInterest: number;
  contracts: number;
  clients: number;
}

/** Per-provider daily figures. */
@Injectable()
export class ProviderStatsService {
  constructor(@InjectRepository(ProviderDailyStat) private readonly stats: Repository<ProviderDailyStat>) {}

  /** A provider search returned these clients: one search-interest point each, today. */
  async recordSearchInterest(clientIds: string[]): Promise<void> {
    if (!clientIds.length) return;
    await this.stats.query(
      `INSERT INTO network_provider_daily_stats (client_id, day, network_id, search_interest)
       SELECT c.id, (now() AT TIME ZONE 'UTC')::date, c.network_id, 1 FROM network_clients c WHERE c.id = ANY($1::uuid[])
       ON CONFLICT (client_id, day) DO UPDATE SET search_interest = network_provider_daily_stats.search_interest + 1`,
      [clientIds],
    );
  }

  /** Adds figures for a client and day (the connect side's write path; tests and tools use it too). */
  async add(networkId: string, clientId: string, day: string, f: Partial<DayFigures>): Promise<void> {
    await this.stats.query(
      `INSERT INTO network_provider_daily_stats (client_id, day, network_id, uptime_minutes, transfer_bytes, payout_nano_cents, search_interest, contracts, clients)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (client_id, day) DO UPDATE SET uptime_minutes = network_provider_daily_stats.uptime_minutes + EXCLUDED.uptime_minutes,
         transfer_bytes = network_provider_daily_stats.transfer_bytes + EXCLUDED.transfer_bytes, payout_nano_cents = network_provider_daily_stats.payout_nano_cents + EXCLUDED.payout_nano_cents,
         search_interest = network_provider_daily_stats.search_interest + EXCLUDED.search_interest, contracts = network_provider_daily_stats.contracts + EXCLUDED.contracts,
         clients = network_provider_daily_stats.clients + EXCLUDED.clients`,
      [clientId, day, networkId, f.uptimeMinutes ?? 0, f.transferBytes ?? 0, f.payoutNanoCents ?? 0, f.searchInterest ?? 0, f.contracts ?? 0, f.clients ?? 0],
    );
  }

  /** Rows of these clients since `sinceDay` (inclusive). */
  forClients(clientIds: string[], sinceDay: string): Promise<ProviderDailyStat[]> {
    return clientIds.length ? this.stats.find({ where: { clientId: In(clientIds), day: MoreThanOrEqual(sinceDay) } }) : Promise.resolve([]);
  }

  async networkTransferBytes(networkId: string): Promise<number> {
    const rows = (await this.stats.query('SELECT coalesce(sum(transfer_bytes), 0)::text AS total FROM network_provider_daily_stats WHERE network_id = $1', [networkId])) as { total: string }[];
    return Number(rows[0]?.total ?? 0);
  }

  /** Bytes transferred by all providers per day since `sinceDay`. */
  async transferPerDay(sinceDay: string): Promise<Map<string, number>> {
    const rows = (await this.stats.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(transfer_bytes)::text AS bytes FROM network_provider_daily_stats WHERE day >= $1 GROUP BY 1`,
      [sinceDay],
    )) as { day: string; bytes: string }[];
    return new Map(rows.map((r) => [r.day, Number(r.bytes)]));
  }
}
