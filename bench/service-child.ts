import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/core/app-setup.js';
import { loadConfig } from '../src/core/config/app-config.js';
import { LoopDelaySampler, serveIpc } from './ipc.js';

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

/**
 * A benchmark's service child: the service started exactly as production starts it (config from
 * the environment, migrations at start-up), serving the driver its port, event-loop sampling,
 * resident memory and stop, plus the benchmark's own operations (seeding); ready once listening.
 */
export function runServiceChild(operations: (app: NestFastifyApplication) => Handlers): void {
  const main = async (): Promise<void> => {
    const app = await createApp(loadConfig(process.env));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const loop = new LoopDelaySampler();
    serveIpc({
      port: () => port,
      eldStart: () => loop.start(),
      eldStop: () => loop.stop(),
      rss: () => process.memoryUsage().rss,
      stop: async () => {
        await app.close();
        setImmediate(() => process.exit(0));
      },
      ...operations(app),
    });
    process.send?.({ id: 0, ok: true, result: 'ready' });
  };
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
