import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import { RedisCounterStore } from './redis-counter-store.js';

@Injectable()
class CounterStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(CounterStore) private readonly store: CounterStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: CounterStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): CounterStore =>
        config.redisUrl ? new RedisCounterStore(config.redisUrl) : new MemoryCounterStore(),
    },
    CounterStoreCloser,
  ],
  exports: [CounterStore],
})
export class KvModule {}
