import { Controller, Get, HttpStatus, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { REDIS, type RealtimeRedis } from '../realtime/redis.js';
import { ShutdownService } from './shutdown.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: ShutdownService,
    @Inject(REDIS) private readonly redis: RealtimeRedis | null,
  ) {}

  @Get()
  @ApiOperation({ summary: "The service and its database's state: 200 when up, 503 when the database is unreachable" })
  async status(@Res({ passthrough: true }) res: Response) {
    const started = process.hrtime.bigint();
    try {
      await this.dataSource.query('SELECT 1');
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      return { status: 'ok', database: { status: 'up', latencyMs: Math.round(latencyMs * 100) / 100 } };
    } catch (error) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', database: { status: 'down', error: (error as Error).message } };
    }
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process serves requests (restart it only when this fails)' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 when this instance should get traffic; 503 while PostgreSQL (or Redis, when configured) is unreachable or it is shutting down' })
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([
        () => {
          const check = this.indicators.check('shutdown');
          return this.shutdown.shuttingDown ? check.down({ message: 'shutting down' }) : check.up();
        },
        () => this.database.pingCheck('database', { timeout: 1_500 }),
        ...(this.redis ? [() => {
          const check = this.indicators.check('redis');
          return this.redis!.client.isReady ? check.up() : check.down({ message: 'not connected' });
        }] : []),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse();
    }
  }
}
