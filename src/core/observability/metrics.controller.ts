import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { safeEqual } from '../crypto/tokens.js';
import { Face } from '../faces/face.js';
import { AppError } from '../http/app-error.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('metrics')
@Face('service')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (Bearer METRICS_TOKEN when it is set)' })
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const token = this.config.ops.metricsToken;
    if (token && !safeEqual(authorization ?? '', `Bearer ${token}`)) throw AppError.unauthorized('metrics.invalid_token');
    reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
