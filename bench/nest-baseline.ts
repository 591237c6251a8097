import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoopDelaySampler, serveIpc } from './ipc.js';

/**
 * The framework baseline: a bare NestJS application on the Fastify adapter with one route answering
 * the yardstick's constant. It shows what the framework alone costs, so the service's own pipeline
 * (gate, observability, CORS, cookies, guard, filters) can be told apart from it.
 */
@Controller()
class PingController {
  @Get('ping')
  ping(): { ping: string } {
    return { ping: 'pong' };
  }
}

@Module({ controllers: [PingController] })
class BaselineModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BaselineModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const loop = new LoopDelaySampler();
  serveIpc({
    port: () => (app.getHttpServer().address() as AddressInfo).port,
    eldStart: () => loop.start(),
    eldStop: () => loop.stop(),
  });
  process.send?.({ id: 0, ok: true, result: 'ready' });
}

void main();
