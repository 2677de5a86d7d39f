import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { ShutdownService } from './shutdown.service.js';
import { RedisModule } from '../realtime/redis.js';

/** Liveness, readiness and the shutdown sequence they report. */
@Module({
  imports: [RedisModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ShutdownService],
  exports: [ShutdownService],
})
export class HealthModule {}
