import { Inject, Injectable, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS, type RealtimeRedis } from '../realtime/redis.js';
import { addSource } from './metrics.js';
import { RedisModule } from '../realtime/redis.js';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Feeds the read-on-scrape metrics of this app: its database pool and its Redis connection. */
@Injectable()
class MetricsSources implements OnModuleInit, OnModuleDestroy {
  private removals: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RealtimeRedis | null,
  ) {}

  onModuleInit(): void {
    const pool = () => (this.dataSource.driver as unknown as { master?: PgPool }).master;
    this.removals.push(
      addSource('pool', () => {
        const p = pool();
        return { total: p?.totalCount ?? 0, idle: p?.idleCount ?? 0, waiting: p?.waitingCount ?? 0 };
      }),
      addSource('redis', () => (this.redis ? this.redis.client.isReady : null)),
    );
  }

  onModuleDestroy(): void {
    for (const remove of this.removals.splice(0)) remove();
  }
}

@Module({ imports: [RedisModule], providers: [MetricsSources] })
export class MetricsModule {}
