import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { setUpApp } from '../../src/app.setup.js';

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  dataSource: DataSource;
  /** A fresh cookie-keeping HTTP client (one per simulated person). */
  agent(): TestAgent;
  close(): Promise<void>;
}

/** Boots the real app (same setup as main.ts) on an ephemeral port. */
export async function startTestApp(): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  setUpApp(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    dataSource: app.get(DataSource),
    agent: () => request.agent(url),
    close: () => app.close(),
  };
}
