import type { INestApplicationContext } from '@nestjs/common';
import { adminCreateCommand } from './auth/admin-create.command.js';
import { seedDemoCommand } from './database/demo/seed-demo.command.js';

export interface CliCommand {
  name: string;
  description: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  run(app: INestApplicationContext, flags: Record<string, string | boolean | undefined>): Promise<void>;
}

// Each feature contributes its commands here.
export const CLI_COMMANDS: CliCommand[] = [adminCreateCommand, seedDemoCommand];
