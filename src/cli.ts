import 'reflect-metadata';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from './app.module.js';
import { CLI_COMMANDS } from './cli-commands.js';

/**
 * `node dist/src/cli.js <command> [--flags]`: maintenance commands that run
 * inside the app's own modules (same config, same database, same rules).
 */
async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const command = CLI_COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`Usage: node dist/src/cli.js <command>\nCommands:\n${CLI_COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.description}`).join('\n')}`);
    process.exit(2);
  }
  const { values } = parseArgs({ args: rest, options: command.options ?? {}, strict: true });
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn', 'log'] });
    await command.run(app, values as Record<string, string | boolean | undefined>);
  } catch (error) {
    new Logger('cli').error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await app?.close();
  }
}

void main();
