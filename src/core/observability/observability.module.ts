import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthProbesController } from '../health/health-probes.controller.js';
import { ReadinessChecks } from '../health/readiness-checks.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** Metrics, readiness and liveness for operators. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [MetricsController, HealthProbesController],
  providers: [MetricsService, ReadinessChecks],
  exports: [MetricsService, ReadinessChecks],
})
export class ObservabilityModule {}
