import { AppError } from '../../errors.js';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Services } from '../../deps.js';
import { stringOption, type Command } from '../command.js';
import { withServices } from '../context.js';

/** A user by exact username (users are few: pages of 500 are read until it is found). */
export async function findUser(services: Services, username: string) {
  let cursor: string | undefined;
  for (;;) {
    const page = await services.identity.listUsers(SYSTEM_ACTOR, cursor, 500);
    const user = page.items.find((u) => u.username === username);
    if (user) return user;
    if (!page.nextCursor) throw new AppError('NOT_FOUND', `No user is named '${username}'`, { entity: 'user', id: username });
    cursor = page.nextCursor;
  }
}

export const userTokenCommand: Command = {
  name: 'user token',
  summary: "Issue a new API token for a user (e.g. the administrator's, when its first token is lost).",
  usage: 'kuaiji user token --username <name> [--label <text>]',
  help: [
    ['--username <name>', 'the user, e.g. admin (KUAIJI_ADMIN_USERNAME)'],
    ['--label <text>', "what the token is for (default: 'issued by the CLI')"],
    'The token is printed once and stored only as a hash. Earlier tokens stay valid until revoked',
    '(DELETE /api/v1/users/<id>/tokens/<tokenId>). The issue is audited.',
  ],
  database: 'existing',
  options: { username: { type: 'string' }, label: { type: 'string' } },
  async run(args) {
    const username = stringOption(args, 'username', true);
    const label = stringOption(args, 'label') ?? 'issued by the CLI';
    await withServices(async (services) => {
      const user = await findUser(services, username);
      if (user.disabled) throw new AppError('VALIDATION_FAILED', `User '${username}' is disabled; enable it first`);
      const token = await services.identity.issueToken(SYSTEM_ACTOR, user.id, label);
      process.stdout.write(`New token for '${user.username}' (${user.role}), shown once; store it safely:\n  ${token.token}\n`);
    });
    return 0;
  },
};
