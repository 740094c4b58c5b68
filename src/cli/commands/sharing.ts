import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Services } from '../../deps.js';
import { stringOption, UsageError, type Command, type Parsed } from '../command.js';
import { withServices } from '../context.js';

type Issued = Awaited<ReturnType<Services['sharingConsumers']['register']>>;

/** The new key and secret, once: the platform keeps only a hash and a sealed copy. */
function printIssued(what: string, issued: Issued): void {
  const { consumer, credentials } = issued;
  process.stdout.write(
    `${what} consumer ${consumer.id} (${consumer.name}, department ${consumer.departmentId}).\n` +
      `App key: ${credentials.appKey}\n` +
      `Secret, shown once; store it safely: ${credentials.secret}\n`,
  );
}

function consumerId(args: Parsed, action: string): string {
  const id = args.positionals[1];
  if (!id) throw new UsageError(`'${action}' needs the consumer id (kuaiji sharing consumer ${action} <consumer id>)`, 'sharing consumer');
  return id;
}

export const sharingConsumerCommand: Command = {
  name: 'sharing consumer',
  summary: 'Register a census system as a consumer of the sharing gateway, rotate its key or revoke it (prints the secret once).',
  usage: 'kuaiji sharing consumer register --system <system id> [--name <text>] | rotate-key <consumer id> | revoke <consumer id> [--reason <text>]',
  help: [
    ['register --system <id>', 'register a census system (GET /api/v1/systems) as a consumer of its department; prints its app key and secret'],
    ['--name <text>', "the consumer's name (default: the system's)"],
    ['rotate-key <consumer id>', 'issue a new app key and secret; every earlier key is retired at once'],
    ['revoke <consumer id>', 'revoke the consumer: its keys are retired and its grants revoked'],
    ['--reason <text>', 'why it is revoked (kept with its revoked grants)'],
    'The secret is printed once and stored only as a SHA-256 hash and sealed with the platform key',
    "(KUAIJI_SECRET_KEY, else the data directory's key file). Every change is audited; a running",
    'server sees a rotation or revocation within a second.',
  ],
  database: 'existing',
  options: { system: { type: 'string' }, name: { type: 'string' }, reason: { type: 'string' } },
  positionals: { min: 1, max: 2 },
  async run(args) {
    const action = args.positionals[0];
    if (action === 'register') {
      if (args.positionals.length > 1) throw new UsageError(`unexpected argument '${args.positionals[1]}'`, 'sharing consumer');
      const systemId = stringOption(args, 'system', true);
      const name = stringOption(args, 'name');
      return withServices(async (s) => {
        printIssued('Registered', await s.sharingConsumers.register(SYSTEM_ACTOR, { systemId, ...(name ? { name } : {}) }));
        return 0;
      });
    }
    if (action === 'rotate-key') {
      const id = consumerId(args, action);
      return withServices(async (s) => {
        printIssued('New key of', await s.sharingConsumers.rotateKey(SYSTEM_ACTOR, id));
        return 0;
      });
    }
    if (action === 'revoke') {
      const id = consumerId(args, action);
      const reason = stringOption(args, 'reason');
      return withServices(async (s) => {
        const c = await s.sharingConsumers.revoke(SYSTEM_ACTOR, id, reason);
        process.stdout.write(`Revoked consumer ${c.id} (${c.name}): ${c.credentials.length} key(s) retired, its grants revoked.\n`);
        return 0;
      });
    }
    throw new UsageError(`unknown action '${action}': register, rotate-key or revoke`, 'sharing consumer');
  },
};

const STATUSES = ['COMPLIANCE_CHECK', 'PROVIDER_REVIEW', 'ARBITRATION', 'GRANTED', 'REJECTED', 'WITHDRAWN'] as const;

export const sharingApplicationsCommand: Command = {
  name: 'sharing applications',
  summary: 'List access applications to the sharing gateway, newest first (the administrator’s inbox with --awaiting-platform).',
  usage: 'kuaiji sharing applications list [--status <status>] [--escalated] [--awaiting-platform] [--limit N]',
  help: [
    ['--status <status>', STATUSES.join(', ')],
    ['--escalated', 'only those whose step is overdue and escalated to the administrator'],
    ['--awaiting-platform', 'only those awaiting the platform: compliance checks, arbitrations, escalated reviews'],
    ['--limit N', 'at most N (default 100)'],
    'Prints id, status, share type, consumer, resource or interface, submitted on, due date and',
    "'escalated', tab-separated. Overdue steps are escalated by a running server every 10 minutes.",
  ],
  database: 'existing',
  options: { status: { type: 'string' }, escalated: { type: 'boolean' }, 'awaiting-platform': { type: 'boolean' }, limit: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    if (args.positionals[0] !== 'list') throw new UsageError(`unknown action '${args.positionals[0]}': list`, 'sharing applications');
    const status = stringOption(args, 'status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')} (got '${status}')`, 'sharing applications');
    }
    const text = args.values.limit;
    const limit = text === undefined ? 100 : Number(text);
    if (typeof text === 'boolean' || !Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new UsageError(`--limit must be a whole number from 1 to 500 (got '${String(text)}')`, 'sharing applications');
    }
    return withServices(async (s) => {
      const page = await s.sharingApplications.list(SYSTEM_ACTOR, {
        limit,
        status: status as (typeof STATUSES)[number] | undefined,
        escalated: args.values.escalated ? 'true' : undefined,
        role: args.values['awaiting-platform'] ? 'admin' : undefined,
      });
      for (const a of page.items) {
        const due = a.status === 'COMPLIANCE_CHECK' ? a.complianceDue : a.status === 'PROVIDER_REVIEW' ? a.reviewDue : null;
        const target = a.resourceId ? `resource:${a.resourceId}` : `interface:${a.interfaceId}`;
        process.stdout.write(`${[a.id, a.status, a.shareType, a.consumerId, target, a.submittedOn, due ?? '', a.escalated ? 'escalated' : ''].join('\t')}\n`);
      }
      process.stderr.write(`${page.items.length} application${page.items.length === 1 ? '' : 's'} listed${page.nextCursor ? ' (more: raise --limit)' : ''}.\n`);
      return 0;
    });
  },
};
