import type { INestApplicationContext } from '@nestjs/common';

export interface CliCommand {
  name: string;
  description: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  run(app: INestApplicationContext, flags: Record<string, string | boolean | undefined>): Promise<void>;
}

// Each feature contributes its commands here.
export const CLI_COMMANDS: CliCommand[] = [];
