import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config.js';
import { RateLimited } from '../common/messages.js';
import { REDIS, RedisModule, type RealtimeRedis } from '../realtime/redis.js';

/**
 * How often one person may do each kind of write, whatever the transport:
 * `points` in a window of `seconds`. Keys are accounts, never addresses (a
 * webinar audience often shares one NAT).
 */
const ACTION_RULES = {
  reply: { points: 10, seconds: 30, what: 'posting replies' },
  vote: { points: 30, seconds: 15, what: 'voting' },
  moderate: { points: 30, seconds: 15, what: 'moderating' },
  flag: { points: 10, seconds: 30, what: 'flagging replies' },
} as const;
export type LimitedAction = keyof typeof ACTION_RULES;

/**
 * The per-person limits on writes, shared by the HTTP controllers and the
 * socket gateway so a rule holds the same on both. With REDIS_URL the count
 * is kept in Redis, one count across instances; without it, in this
 * process. If Redis is unreachable the count falls back to this process's
 * memory (the insurance limiter) rather than refusing or allowing every write.
 */
@Injectable()
export class ActionLimits {
  private readonly logger = new Logger('ActionLimits');
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RealtimeRedis | null,
  ) {}

  /** Counts one `action` by `who`; throws RateLimited (429, Retry-After / retryAfterMs) when over the limit. */
  async take(action: LimitedAction, who: string): Promise<void> {
    try {
      await this.limiter(action).consume(who);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw new RateLimited(Math.max(1, error.msBeforeNext), ACTION_RULES[action].what);
      // Neither store answered (the insurance limiter is in memory, so this is unexpected): don't block writes on it.
      this.logger.error(`Counting ${action} for ${who} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private limiter(action: LimitedAction): RateLimiterAbstract {
    const scale = this.config.RATE_LIMIT_SCALE;
    const key = `${action}:${scale}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const rule = ACTION_RULES[action];
      const shape = { points: Math.max(1, Math.round(rule.points * scale)), duration: rule.seconds };
      const memory = new RateLimiterMemory({ ...shape, keyPrefix: `agora:limit:${action}` });
      limiter = this.redis
        ? new RateLimiterRedis({
            ...shape,
            storeClient: this.redis.client,
            useRedisPackage: true,
            // Fail over to memory at once while Redis is away, instead of queueing behind the reconnect.
            rejectIfRedisNotReady: true,
            keyPrefix: `${this.redis.keyPrefix}limit:${action}:${scale}`,
            insuranceLimiter: memory,
          })
        : memory;
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

@Module({ imports: [RedisModule], providers: [ActionLimits], exports: [ActionLimits] })
export class LimitsModule {}
