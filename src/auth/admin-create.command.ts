import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CliCommand } from '../cli-commands.js';
import { createOrPromoteAdmin } from './admin-accounts.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './dto/sign-up.dto.js';

/**
 * `npm run admin:create -- --email ana@example.org [--name "Ana"] [--password …] [--promote]`
 * Creates an admin, or with --promote makes the existing account with that email an admin. The
 * password comes from --password or the ADMIN_PASSWORD environment variable
 * (preferred: it stays out of the shell history) and is only needed for a new
 * account; it is never printed.
 */
export const adminCreateCommand: CliCommand = {
  name: 'admin:create',
  description: 'Create an admin account (--email, --name, --password or ADMIN_PASSWORD), or make an existing one admin (--promote)',
  options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, promote: { type: 'boolean' } },
  async run(app, flags) {
    const email = typeof flags.email === 'string' ? flags.email.trim() : '';
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error('Pass the admin\'s email address: --email someone@example.org');
    const password = typeof flags.password === 'string' ? flags.password : process.env.ADMIN_PASSWORD;
    if (password !== undefined && (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX)) {
      throw new Error(`The password must be between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters long.`);
    }
    const name = typeof flags.name === 'string' ? flags.name : undefined;
    const { account, outcome } = await createOrPromoteAdmin(app.get(DataSource).manager, { email, displayName: name, password, promote: flags.promote === true });
    const logger = new Logger('admin:create');
    if (outcome === 'created') logger.log(`Created admin account ${account.email} (${account.displayName}).`);
    else if (outcome === 'promoted') logger.log(`Promoted ${account.email} to admin; their password is unchanged.`);
    else logger.log(`${account.email} is already an admin; nothing changed.`);
  },
};
