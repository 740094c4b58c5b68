import { AppError } from '../../errors.js';
import { ROLES, SYSTEM_ACTOR, type Role } from '../../shared/actor.js';
import { UserCreate } from '../../modules/identity/identity.schemas.js';
import { stringOption, UsageError, type Command } from '../command.js';
import { withServices } from '../context.js';
import { findDepartment } from '../lookup.js';

const FLAG_OF: Record<string, string> = { username: '--username', displayName: '--display-name', role: '--role', departmentId: '--department' };

export const userCreateCommand: Command = {
  name: 'user create',
  summary: 'Create a user and print its API token (shown once).',
  usage: 'kuaiji user create --username <name> --role ADMIN|OFFICER|REVIEWER|AUDITOR [--department <id or exact name>] [--display-name <name>]',
  help: [
    ['--username <name>', 'lower-case letters, digits, _ . - (2–64, starting with a letter)'],
    ['--role <role>', `one of ${ROLES.join(', ')}`],
    ['--department <ref>', 'department id or exact name; required for OFFICER'],
    ['--display-name <name>', 'the name shown in the UI (defaults to the username)'],
  ],
  database: 'existing',
  options: {
    username: { type: 'string' },
    role: { type: 'string' },
    department: { type: 'string' },
    'display-name': { type: 'string' },
  },
  async run(args) {
    const username = stringOption(args, 'username', true);
    const role = stringOption(args, 'role', true).toUpperCase();
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got '${stringOption(args, 'role')}')`, 'user create');
    }
    const department = stringOption(args, 'department');
    if (role === 'OFFICER' && !department) throw new UsageError('--department is required for role OFFICER', 'user create');
    // The same schema as POST /api/v1/users, so the CLI accepts exactly what the API accepts.
    const parsed = UserCreate.safeParse({ username, role, displayName: stringOption(args, 'display-name') });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`${FLAG_OF[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`, 'user create');
    }

    await withServices(async (services) => {
      const dep = department ? await findDepartment(services, department) : null;
      const { user, token } = await services.identity
        .createUser(SYSTEM_ACTOR, { ...parsed.data, role: parsed.data.role as Role, departmentId: dep?.id ?? null })
        .catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'DUPLICATE') throw new AppError('DUPLICATE', `A user named '${username}' already exists`, err.extensions);
          throw err;
        });
      process.stdout.write(
        `User '${user.username}' (${user.role}${dep ? `, ${dep.name}` : ''}) created, id ${user.id}.\n` +
          `Its token (shown once; store it safely):\n  ${token.token}\n`,
      );
    });
    return 0;
  },
};
