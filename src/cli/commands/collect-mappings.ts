import type { Services } from '../../deps.js';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { withServices } from '../context.js';

/** How a skipped header is written on the command line and printed. */
const SKIP = '-';

/**
 * `get` answers the saved mapping of a resource; `set` merges header=item pairs into it (header=-
 * skips the header, header= removes its entry; --replace starts from nothing). The same mappings
 * service as GET/PUT /api/v1/resources/:id/column-mappings, so the same checks and audit.
 */
export async function collectMappings(
  services: Pick<Services, 'mappings'>,
  verb: 'get' | 'set',
  ref: string,
  pairs: string[],
  replace = false,
): Promise<Record<string, string | null>> {
  if (verb === 'get') return (await services.mappings.get(SYSTEM_ACTOR, ref)).mappings;
  const next = replace ? {} : { ...(await services.mappings.get(SYSTEM_ACTOR, ref)).mappings };
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    const header = pair.slice(0, eq).trim();
    if (eq < 0 || header === '') throw new UsageError(`'${pair}' is not header=item (or header=- to skip, header= to forget)`, 'collect mappings');
    const item = pair.slice(eq + 1).trim();
    if (item === '') delete next[header];
    else next[header] = item === SKIP ? null : item;
  }
  return (await services.mappings.put(SYSTEM_ACTOR, ref, next)).mappings;
}

export const collectMappingsCommand: Command = {
  name: 'collect mappings',
  summary: "Show or edit a resource's saved column mapping (file header → data item code, or skip).",
  usage: 'kuaiji collect mappings get|set <resource id or code> [header=item …] [--replace]',
  help: [
    ['--replace', 'set: the pairs given become the whole mapping (default: they are merged into it)'],
    'header=item maps a file header to a data item code; header=- skips the header (reported as',
    'skipped, never loaded); header= forgets the header. Headers without a saved entry are matched',
    'by item code, name, data element, synonym, or a unique prefix or suffix: preview a file with',
    '`kuaiji collect load <resource> <file> --dry-run`.',
  ],
  database: 'existing',
  options: { replace: { type: 'boolean' } },
  positionals: { min: 2, max: 1000 },
  async run(args) {
    const [verb, ref, ...pairs] = args.positionals as [string, string, ...string[]];
    if (verb !== 'get' && verb !== 'set') throw new UsageError(`the first argument must be get or set (got '${verb}')`, 'collect mappings');
    if (verb === 'get' && (pairs.length || args.values.replace)) throw new UsageError('get takes only the resource', 'collect mappings');
    if (verb === 'set' && !pairs.length && !args.values.replace)
      throw new UsageError('set needs header=item pairs (or --replace to clear the mapping)', 'collect mappings');
    return withServices(async (services) => {
      const mappings = await collectMappings(services, verb, ref, pairs, args.values.replace === true);
      // Code-point order, whatever the database's collation.
      const entries = Object.entries(mappings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (verb === 'set') process.stderr.write(`Saved ${entries.length} header mapping${entries.length === 1 ? '' : 's'}.\n`);
      for (const [header, item] of entries) process.stdout.write(`${header}=${item ?? SKIP}\n`);
      if (!entries.length && verb === 'get') process.stderr.write('No saved mapping: headers are matched by item code, name, data element and synonyms.\n');
      return 0;
    });
  },
};
