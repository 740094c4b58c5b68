import type { Services } from '../../deps.js';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { withServices } from '../context.js';

/** The service's largest page (RejectsQuery): more is read page by page. */
const PAGE = 1000;

export type RejectLine = { rowNumber: number; field: string | null; reason: string; raw: string | null };

/**
 * The first `limit` rejects a job kept, in file order, and how many rows it rejected (a load keeps
 * at most maxStoredRejects of them; the rest are only counted). The same jobs service as GET
 * /api/v1/collection/jobs/:id/rejects.
 */
export async function collectRejects(
  services: Pick<Services, 'jobs'>,
  jobId: string,
  limit: number,
): Promise<{ rejects: RejectLine[]; rejected: number; more: boolean }> {
  const job = await services.jobs.get(SYSTEM_ACTOR, jobId);
  const rejects: RejectLine[] = [];
  let cursor: string | undefined;
  let more = false;
  while (rejects.length < limit) {
    const page = await services.jobs.rejects(SYSTEM_ACTOR, jobId, cursor, Math.min(PAGE, limit - rejects.length));
    rejects.push(...page.items);
    more = page.nextCursor !== null;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { rejects, rejected: job.rows.rejected, more };
}

/** One line per reject: row, field, reason, raw input, tab-separated (tabs and line breaks inside shown as spaces). */
export function rejectLines(rejects: RejectLine[]): string {
  const clean = (s: string | null) => (s ?? '').replace(/[\t\r\n]+/g, ' ');
  return rejects.map((r) => `${r.rowNumber}\t${clean(r.field)}\t${clean(r.reason)}\t${clean(r.raw)}\n`).join('');
}

export const collectRejectsCommand: Command = {
  name: 'collect rejects',
  summary: "List the rows a load job rejected: row number, field, reason and the row's input.",
  usage: 'kuaiji collect rejects <job id> [--limit N]',
  help: [
    ['--limit N', 'list at most N rejects (default 100)'],
    'Prints row number, field, reason and raw input, tab-separated, in file order. All of them as',
    'CSV: GET /api/v1/collection/jobs/<job id>/rejects.csv',
  ],
  database: 'existing',
  options: { limit: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const [jobId] = args.positionals as [string];
    const text = args.values.limit;
    const limit = text === undefined ? 100 : Number(text);
    if (typeof text === 'boolean' || !Number.isInteger(limit) || limit < 1) {
      throw new UsageError(`--limit must be a whole number of at least 1 (got '${String(text)}')`, 'collect rejects');
    }
    return withServices(async (services) => {
      const { rejects, rejected, more } = await collectRejects(services, jobId, limit);
      process.stdout.write(rejectLines(rejects));
      const kept = more ? `the first ${rejects.length}` : `${rejects.length}`;
      process.stderr.write(
        `${kept} of ${rejected} rejected row${rejected === 1 ? '' : 's'} listed${rejected > rejects.length && !more ? ' (the rest were counted, not kept)' : ''}.\n`,
      );
      return 0;
    });
  },
};
