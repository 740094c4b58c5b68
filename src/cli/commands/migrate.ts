import type { Command } from '../command.js';
import { describeDatabase, withServices } from '../context.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Bring the database schema up to date (the server also does this at start).',
  usage: 'kuaiji migrate',
  help: [],
  database: 'create',
  options: {},
  async run() {
    await withServices(async (_services, config, migrated) => {
      const where = describeDatabase(config);
      if (migrated.length === 0) process.stdout.write(`Database ${where} is up to date.\n`);
      else process.stdout.write(`Database ${where}: applied ${migrated.length} migration(s):\n${migrated.map((m) => `  ${m}\n`).join('')}`);
    });
    return 0;
  },
};
