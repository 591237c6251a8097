import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessControl, type AccessRequest, type RequestScreen } from '../../core/auth/access-control.js';
import { FaceRegistry } from '../../core/faces/face-registry.js';
import { AppError } from '../../core/http/app-error.js';
import { GeoIp } from './geoip.js';
import { PgChannelListener, clientConfigOf } from '../../core/database/pg-channel-listener.js';
import { RestrictionMatcher, type RestrictionRow, UNSCREENED_PATH } from './restriction-matcher.js';

/** The channel the restrictions table's trigger notifies on every change. */
export const RESTRICTIONS_CHANNEL = 'restrictions_changed';
/** Safety net: reload this often even without notifications. */
const PERIODIC_RELOAD_MS = 30_000;
/** Notifications arriving within this window cause one reload. */
const DEBOUNCE_MS = 5;

/**
 * Screens every request (the service's own routes and, through the gateway, upstream ones) against
 * the enabled restrictions, compiled in memory. Every instance recompiles as soon as the table
 * changes (LISTEN/NOTIFY), every 30 s anyway, and at once after a local admin write.
 */
@Injectable()
export class RestrictionsScreen implements RequestScreen, OnModuleInit, OnApplicationShutdown {
  readonly name = 'restrictions';
  readonly order = 10;
  private readonly logger = new Logger('Restrictions');
  private matcher = RestrictionMatcher.EMPTY;
  private listener?: PgChannelListener;
  private timer?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private queued?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessControl,
    private readonly geo: GeoIp,
    private readonly faces: FaceRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.access.registerScreen(this);
    this.listener = new PgChannelListener(
      clientConfigOf(this.dataSource, 'barong-nest-restrictions'),
      RESTRICTIONS_CHANNEL,
      () => this.onNotify(),
      () => void this.reload(),
      this.logger,
    );
    await this.listener.start();
    this.timer = setInterval(() => void this.reload(), PERIODIC_RELOAD_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    await this.listener?.stop();
  }

  async screen(req: AccessRequest): Promise<void> {
    const path = req.path.replace(/\/+$/, '');
    if (path === UNSCREENED_PATH) return;
    // A request that did not come through a route (the gateway's upstream paths) is a login when it
    // names one of this service's login routes.
    const login = req.login ?? this.faces.isLoginPath(req.method, req.path);
    const refusal = this.matcher.screen(req.ip, login, (ip) => this.geo.lookup(ip));
    if (refusal) throw new AppError(refusal.code, `authz.restrict.${refusal.category}`);
  }

  /** Number of enabled rules in force (for tests and diagnostics). */
  get ruleCount(): number {
    return this.matcher.size;
  }

  private onNotify(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.reload();
    }, DEBOUNCE_MS);
    this.debounce.unref();
  }

  /** Recompiles from the table; concurrent calls share one pending reload. Never throws. */
  reload(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.inFlight) {
      this.queued = this.inFlight.then(() => {
        this.queued = undefined;
        return this.run();
      });
      return this.queued;
    }
    return this.run();
  }

  private run(): Promise<void> {
    this.inFlight = this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    try {
      const rows: { id: number | string; category: string; scope: string; value: string; code: number | null }[] = await this.dataSource.query(
        `SELECT id, category, scope, value, code FROM restrictions WHERE state = 'enabled' ORDER BY id`,
      );
      const matcher = RestrictionMatcher.compile(
        rows.map((r): RestrictionRow => ({ ...r, id: Number(r.id) })),
        (row) => this.logger.warn(`restriction ${row.id} (${row.category} ${row.scope} ${JSON.stringify(row.value)}) cannot be applied; ignored`),
      );
      if (matcher.needsGeo) await this.geo.ensureLoaded();
      this.matcher = matcher;
    } catch (err) {
      this.logger.error(`reloading restrictions failed; keeping the previous rules: ${(err as Error).message}`);
    }
  }
}
