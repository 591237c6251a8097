import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The time in-memory caches and their expiry read. One injectable source, so a test can move it
 * forward instead of sleeping until a cache entry goes stale.
 */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
