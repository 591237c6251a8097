import { Injectable } from '@nestjs/common';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { AppError } from '../../core/http/app-error.js';
import { ClientsService } from '../clients/clients.service.js';
import { dayKey, goTime, lastDays } from '../common/go-time.js';
import { NetworksService } from '../networks/networks.service.js';
import type { ProviderDailyStat } from './provider-stat.entity.js';
import { ProviderStatsService } from './provider-stats.service.js';

const LOOKBACK = 90;
const GIB = 2 ** 30;
const NANO_CENTS_PER_USD = 1_000_000_000;
const LAST_90_CACHE_MS = 60_000;

type Series = Record<string, number>;
const zeros = (days: string[]): Series => Object.fromEntries(days.map((d) => [d, 0]));
/** The maximum of the last three days of a series (the "summary" of the stats page). */
const summary = (s: Series, days: string[]): number => Math.max(0, ...days.slice(-3).map((d) => s[d] ?? 0));

/** Network-wide and per-provider statistics, from the stored daily figures. */
@Injectable()
export class StatsService {
  private last90Cache?: { at: number; body: Record<string, unknown> };

  constructor(
    private readonly providerStats: ProviderStatsService,
    private readonly clients: ClientsService,
    private readonly networks: NetworksService,
  ) {}

  async last90(): Promise<Record<string, unknown>> {
    const now = Date.now();
    if (this.last90Cache && now - this.last90Cache.at < LAST_90_CACHE_MS) return this.last90Cache.body;
    const days = lastDays(LOOKBACK, now);
    const since = new Date(`${days[0]}T00:00:00Z`);
    const [transfer, networks, totals, providers] = await Promise.all([
      this.providerStats.transferPerDay(days[0]!),
      this.networks.totalPerDay(since),
      this.clients.totalsPerDay(since),
      this.clients.publicProviders(),
    ]);
    const series = (f: (day: string) => number): Series => Object.fromEntries(days.map((d) => [d, f(d)]));
    const allTransfer = series((d) => transfer.get(d) ?? 0);
    const providersData = series((d) => totals.find((t) => t.day === d)?.providers ?? 0);
    const countries = new Set(providers.map((p) => p.countryCode)).size;
    const countriesData = series((d) => (d === days[days.length - 1] ? countries : 0));
    const networksData = series((d) => networks.get(d) ?? 0);
    const devicesData = series((d) => totals.find((t) => t.day === d)?.devices ?? 0);
    const transferMax = summary(allTransfer, days);
    const body: Record<string, unknown> = {
      lookback: LOOKBACK,
      created_time: now,
      all_transfer_data: allTransfer,
      all_transfer_summary: transferMax / 2 ** 20,
      all_transfer_summary_rate: (8 * transferMax) / (2 ** 20 * 86_400),
      all_packets_data: zeros(days),
      all_packets_summary: 0,
      all_packets_summary_rate: 0,
      providers_data: providersData,
      providers_superspeed_data: zeros(days),
      providers_summary: summary(providersData, days),
      providers_summary_superspeed: 0,
      countries_data: countriesData,
      countries_summary: summary(countriesData, days),
      regions_data: zeros(days),
      regions_summary: 0,
      cities_data: zeros(days),
      cities_summary: 0,
      extender_transfer_data: zeros(days),
      extender_transfer_summary: 0,
      extender_transfer_summary_rate: 0,
      extenders_data: zeros(days),
      extenders_superspeed_data: zeros(days),
      extenders_summary: 0,
      extenders_summary_superspeed: 0,
      networks_data: networksData,
      networks_summary: summary(networksData, days),
      devices_data: devicesData,
      devices_summary: summary(devicesData, days),
    };
    this.last90Cache = { at: now, body };
    return body;
  }

  async providers(p: NetworkPrincipal): Promise<Record<string, unknown>> {
    const providers = await this.clients.providersOf(p.networkId);
    const since = dayKey(Date.now() - 86_400_000);
    const rows = await this.providerStats.forClients(providers.map((c) => c.id), since);
    return {
      created_time: goTime(Date.now()),
      providers: providers.map((c) => {
        const mine = rows.filter((r) => r.clientId === c.id);
        const sum = (f: (r: ProviderDailyStat) => number): number => mine.reduce((a, r) => a + f(r), 0);
        return {
          client_id: c.id,
          connected: false,
          connected_events_last_24h: [],
          uptime_last_24h: sum((r) => r.uptimeMinutes) / 60,
          transfer_data_last_24h: sum((r) => Number(r.transferBytes)) / GIB,
          payout_last_24h: sum((r) => Number(r.payoutNanoCents)) / NANO_CENTS_PER_USD,
          search_interest_last_24h: sum((r) => r.searchInterest),
          contracts_last_24h: sum((r) => r.contracts),
          clients_last_24h: sum((r) => r.clients),
          provide_mode: c.provideMode,
        };
      }),
    };
  }

  private async series(clientIds: string[], perProviderUptime: boolean): Promise<{ body: Record<string, unknown>; rows: ProviderDailyStat[]; days: string[] }> {
    const days = lastDays(LOOKBACK);
    const rows = await this.providerStats.forClients(clientIds, days[0]!);
    const sumBy = (f: (r: ProviderDailyStat) => number): Series => {
      const out = zeros(days);
      for (const r of rows) if (r.day in out) out[r.day] = out[r.day]! + f(r);
      return out;
    };
    const uptime = sumBy((r) => r.uptimeMinutes / 60);
    if (perProviderUptime && clientIds.length) for (const d of days) uptime[d] = uptime[d]! / clientIds.length;
    return {
      days,
      rows,
      body: {
        lookback: LOOKBACK,
        created_time: goTime(Date.now()),
        uptime,
        transfer_data: sumBy((r) => Number(r.transferBytes) / GIB),
        payout: sumBy((r) => Number(r.payoutNanoCents) / NANO_CENTS_PER_USD),
        search_interest: sumBy((r) => r.searchInterest),
        contracts: sumBy((r) => r.contracts),
        clients: sumBy((r) => r.clients),
      },
    };
  }

  async providerLast90(p: NetworkPrincipal, clientId: string): Promise<Record<string, unknown>> {
    const client = await this.clients.findActive(p.networkId, clientId);
    if (!client) throw new AppError(403, 'network.stats.not_your_provider', { message: 'Not authorized to view this provider.' });
    const { body, rows, days } = await this.series([client.id], false);
    const transfer = zeros(days);
    for (const r of rows) if (r.day in transfer) transfer[r.day] = transfer[r.day]! + Number(r.transferBytes) / GIB;
    return { ...body, client_details: [{ client_id: client.id, transfer_data: transfer }] };
  }

  async providersOverview(p: NetworkPrincipal): Promise<Record<string, unknown>> {
    const providers = await this.clients.providersOf(p.networkId);
    return (await this.series(providers.map((c) => c.id), true)).body;
  }

  async transferStats(p: NetworkPrincipal): Promise<{ paid_bytes_provided: number; unpaid_bytes_provided: number }> {
    // No payouts are made by this service yet, so everything provided is unpaid.
    return { paid_bytes_provided: 0, unpaid_bytes_provided: await this.providerStats.networkTransferBytes(p.networkId) };
  }
}
