import { Controller, Get, HttpStatus, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { REDIS, type RealtimeRedis } from '../realtime/redis.js';
import { ShutdownService } from './shutdown.service.js';

const STATUS: SchemaObject = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    database: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['up', 'down'] }, latencyMs: { type: 'number' }, error: { type: 'string' } },
      required: ['status'],
    },
  },
  required: ['status', 'database'],
};

/** @nestjs/terminus's answer: per check, `{ status, message? }`. */
const CHECKS: SchemaObject = { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } };
const READINESS: SchemaObject = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] }, info: CHECKS, error: CHECKS, details: CHECKS },
  required: ['status', 'details'],
};

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
  @ApiOkResponse({ schema: STATUS })
  @ApiServiceUnavailableResponse({ schema: STATUS })
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
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 when this instance should get traffic; 503 while PostgreSQL (or Redis, when configured) is unreachable or it is shutting down' })
  @ApiOkResponse({ schema: READINESS })
  @ApiServiceUnavailableResponse({ schema: READINESS })
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
