import fs from 'node:fs';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Command } from '../command.js';
import { UsageError, stringOption } from '../command.js';
import { withServices } from '../context.js';
import { findResource } from '../lookup.js';
import { previewText } from '../preview-text.js';
import { createProgress } from '../progress.js';

const FORMATS = ['csv', 'tsv', 'xlsx', 'json', 'ndjson'] as const;
type Format = (typeof FORMATS)[number];

export const collectLoadCommand: Command = {
  name: 'collect load',
  summary: "Load a data file (CSV, TSV, XLSX, JSON, NDJSON) into a resource's records as one collection job.",
  usage:
    'kuaiji collect load <resource id or code> <file> [--batch-id <id>] [--mode upsert|snapshot] [--format <f>] [--encoding <e>] [--sheet <name>] [--on-unmapped reject|ignore] [--dry-run]',
  help: [
    ['--batch-id <id>', "the batch's id; default: a SHA-256 of the file and the column mapping in force, so loading the same file twice changes nothing"],
    ['--mode <mode>', 'upsert (default), or snapshot: rows missing from the file are marked deleted'],
    ['--format <f>', 'csv, tsv, xlsx, json or ndjson; default: from the file name'],
    ['--encoding <e>', 'utf-8, gbk, gb18030…; default: detected'],
    ['--sheet <name>', 'XLSX: the sheet to load, by name; default: the first'],
    ['--on-unmapped <m>', 'a header that maps to no data item: ignore (default: load the rest and warn) or reject (fail the load)'],
    ['--dry-run', 'load nothing: show how each header maps, the unfilled items, and the first 20 rows typed with their rejects'],
    'Only the columns the file carries are written: items it has no column for keep their stored values.',
    'The whole batch becomes visible at once, or none of it: a load that is killed can be run again',
    'with the same batch id. Rejected rows are listed by `kuaiji collect rejects <job id>`.',
  ],
  database: 'existing',
  options: {
    'batch-id': { type: 'string' },
    mode: { type: 'string' },
    format: { type: 'string' },
    encoding: { type: 'string' },
    sheet: { type: 'string' },
    'on-unmapped': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  positionals: { min: 2, max: 2 },
  async run(args) {
    const [ref, fileArg] = args.positionals as [string, string];
    const file = path.resolve(fileArg);
    const mode = stringOption(args, 'mode') ?? 'upsert';
    if (mode !== 'upsert' && mode !== 'snapshot') throw new UsageError(`--mode must be upsert or snapshot (got '${mode}')`, 'collect load');
    const onUnmapped = stringOption(args, 'on-unmapped');
    if (onUnmapped !== undefined && onUnmapped !== 'reject' && onUnmapped !== 'ignore') {
      throw new UsageError(`--on-unmapped must be reject or ignore (got '${onUnmapped}')`, 'collect load');
    }
    const format = stringOption(args, 'format');
    if (format !== undefined && !FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`, 'collect load');
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      throw new UsageError(`cannot read ${file}: no such file, or no permission`, 'collect load');
    }

    return withServices(async (services) => {
      const resource = await findResource(services, ref);
      if (args.values['dry-run'] === true) {
        const preview = await services.collection.preview(SYSTEM_ACTOR, {
          resourceId: resource.id,
          body: fs.createReadStream(file),
          contentType: undefined,
          fileName: path.basename(file),
          format: format as Format | undefined,
          encoding: stringOption(args, 'encoding'),
          sheet: stringOption(args, 'sheet'),
        });
        process.stdout.write(previewText(preview));
        return 0;
      }
      const progress = createProgress(`Loading ${path.basename(file)} into ${resource.code}`);
      const submitted = await services.collection.upload(SYSTEM_ACTOR, {
        resourceId: resource.id,
        body: fs.createReadStream(file),
        contentType: undefined,
        fileName: path.basename(file),
        format: format as Format | undefined,
        encoding: stringOption(args, 'encoding'),
        sheet: stringOption(args, 'sheet'),
        mode,
        batchId: stringOption(args, 'batch-id'),
        onUnmapped,
      });
      let job = submitted.job;
      if (!submitted.duplicate) {
        const timer = setInterval(() => {
          void services.jobs.get(SYSTEM_ACTOR, job.id).then(
            (j) =>
              j.phase === 'merging'
                ? progress.update(size, size, `bytes · ${j.rows.read} rows read · merging into the records`)
                : progress.update(
                    j.bytes.read,
                    size,
                    `bytes · ${j.rows.read} rows${j.rowsPerSecond ? ` · ${j.rowsPerSecond} rows/s` : ''}${j.etaSeconds !== null ? ` · ETA ${j.etaSeconds}s` : ''}`,
                  ),
            () => undefined,
          );
        }, 500);
        try {
          job = await services.jobs.waitFor(job.id);
        } finally {
          clearInterval(timer);
          progress.finish();
        }
      }
      const r = job.rows;
      const counts = `${r.read} read, ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ${r.deleted} deleted, ${r.rejected} rejected`;
      const warn = () => {
        if (job.unmappedHeaders.length) {
          process.stderr.write(
            `warning: not loaded, no data item for ${job.unmappedHeaders.map((h) => `'${h}'`).join(', ')} (map or skip them: kuaiji collect mappings set ${resource.code} 'header=item' or 'header=-'; see how a file maps: --dry-run)\n`,
          );
        }
        if (job.unfilledItems.length) process.stderr.write(`warning: no column for ${job.unfilledItems.join(', ')}: their stored values were kept\n`);
        if (job.repeatedKeys.keys) {
          process.stderr.write(
            `warning: ${job.repeatedKeys.keys} key(s) appear more than once in the file: the last row of each was kept, ${job.repeatedKeys.rows} earlier row(s) were not\n`,
          );
        }
      };
      if (submitted.duplicate && (job.status === 'queued' || job.status === 'running')) {
        // Held by another live process (the server, another CLI): it runs the batch; starting it here would run it twice.
        process.stdout.write(
          `Batch ${job.batchId} is being loaded by another process (job ${job.id}, ${job.status}): nothing was started here. Follow it: GET /api/v1/collection/jobs/${job.id}\n`,
        );
        return 0;
      }
      if (submitted.duplicate) {
        warn();
        process.stdout.write(`Batch ${job.batchId} was already loaded (job ${job.id}, ${job.status}): nothing changed. It had ${counts}.\n`);
        return 0;
      }
      if (job.status !== 'succeeded') {
        warn();
        process.stderr.write(`error: job ${job.id} ${job.status}: ${job.error ?? 'no reason given'}\n`);
        return 1;
      }
      process.stdout.write(`Loaded batch ${job.batchId} (job ${job.id}): ${counts}.\n`);
      warn();
      if (r.rejected > 0) process.stdout.write(`Rejected rows: kuaiji collect rejects ${job.id} (or GET /api/v1/collection/jobs/${job.id}/rejects.csv)\n`);
      return 0;
    });
  },
};
