import { Logger } from '@nestjs/common';
import type { CliCommand } from '../../cli-commands.js';
import { DemoDataService } from './demo-data.service.js';

/**
 * `npm run seed:demo [-- --force]`: loads the demo catalogue, forums and
 * accounts into the configured database (DATABASE_URL, or the embedded one).
 * Refuses a database that already has accounts which are not demo accounts
 * (a real one, perhaps production) unless --force is given.
 */
export const seedDemoCommand: CliCommand = {
  name: 'seed:demo',
  description: 'Load the demo sessions, forums and accounts (refuses a database with real accounts unless --force)',
  options: { force: { type: 'boolean' } },
  async run(app, flags) {
    const demo = app.get(DemoDataService);
    const logger = new Logger('seed:demo');
    const real = await demo.realAccountCount();
    if (real > 0 && flags.force !== true) {
      throw new Error(
        `This database has ${real} account(s) that are not demo accounts, so it looks like a real one; no demo data was loaded. ` +
          'If you really want demo sessions, forums and sign-in accounts in it, run again with --force.',
      );
    }
    if (real > 0) logger.warn(`Loading demo data next to ${real} real account(s), as --force asks.`);
    const result = await demo.load();
    if (result.loaded) {
      logger.log('Demo sign-in accounts:');
      for (const line of await demo.signInHints()) logger.log(line);
    }
  },
};
