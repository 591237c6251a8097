import { BeforeApplicationShutdown, Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Face } from '../faces/face.js';
import { CounterStore } from '../kv/counter-store.js';
import { ReadinessChecks } from './readiness-checks.js';

const within = <T>(ms: number, work: Promise<T>, fallback: T): Promise<T> =>
  Promise.race([work, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);

/** Terminus' answer: the overall status and each dependency's. */
const HEALTH_SCHEMA = { type: 'object', properties: { status: { type: 'string', example: 'ok' }, info: { type: 'object' }, error: { type: 'object' }, details: { type: 'object' } } };


/** Kubernetes-style probes: live (the process answers) and ready (its dependencies answer). */
@ApiTags('health')
@Face('service')
@Controller('health')
export class HealthProbesController implements BeforeApplicationShutdown {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    @Inject(CounterStore) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readiness: ReadinessChecks,
  ) {}

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: '{"status": "ok"}', schema: HEALTH_SCHEMA })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database, Redis (when configured) and registered dependencies answer' })
  @ApiOkResponse({ description: 'Every dependency is up', schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down, or the instance is shutting down' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const checks = [
      () => this.indicator('instance', async () => !this.readiness.draining),
      () => this.db.pingCheck('database', { timeout: 1500 }),
      ...(this.config.redisUrl ? [() => this.indicator('redis', () => this.counters.ping())] : []),
      ...this.readiness.all().map((c) => () => this.indicator(c.name, () => c.check())),
    ];
    try {
      return await this.health.check(checks);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      reply.status(503);
      return err.getResponse() as HealthCheckResult;
    }
  }

  private async indicator(name: string, probe: () => Promise<boolean>) {
    const up = await within(1500, probe().catch(() => false), false);
    const session = this.indicators.check(name);
    return up ? session.up() : session.down();
  }

  /** SIGTERM: readiness fails first, then the listener closes after the grace period. */
  async beforeApplicationShutdown(): Promise<void> {
    this.readiness.draining = true;
    if (this.config.ops.shutdownGraceMs > 0) await new Promise((r) => setTimeout(r, this.config.ops.shutdownGraceMs));
  }
}
