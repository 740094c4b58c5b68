import { AppError } from '../../errors.js';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import { stringOption, type Command } from '../command.js';
import { withServices } from '../context.js';
import { findUser } from './user-token.js';

/** The first line of standard input (the password is never an argument: it would show in `ps` and shell history). */
async function readFirstLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export const userPasswordCommand: Command = {
  name: 'user password',
  summary: 'Set the password a user signs in to the console with (read from standard input).',
  usage: 'kuaiji user password --username <name> < password-file',
  help: [
    ['--username <name>', 'the user, e.g. admin (KUAIJI_ADMIN_USERNAME)'],
    'The password is the first line of standard input, e.g. `printf "%s\\n" "$PW" | kuaiji user password',
    '--username admin`: never an argument. At least 10 characters, 4 different ones, not containing the',
    'username. Stored only as an scrypt hash; clears a lock after failed sign-ins. The change is audited.',
  ],
  database: 'existing',
  options: { username: { type: 'string' } },
  async run(args) {
    const username = stringOption(args, 'username', true);
    const password = await readFirstLine();
    if (password === '') throw new AppError('VALIDATION_FAILED', 'No password on standard input (its first line)');
    await withServices(async (services) => {
      const user = await findUser(services, username);
      await services.identity.setPassword(SYSTEM_ACTOR, user.id, { password });
      process.stdout.write(`The password of '${user.username}' is set; sign in at /console/ with it.\n`);
    });
    return 0;
  },
};
