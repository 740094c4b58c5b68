import { z } from 'zod';
import { resolveEncodingLabel } from './parsing/index.js';

function knownEncoding(label: string): boolean {
  try {
    resolveEncodingLabel(label);
    return true;
  } catch {
    return false;
  }
}

export const Mode = z.enum(['upsert', 'snapshot']).default('upsert').describe('snapshot: rows missing from the batch are marked deleted');
export const Format = z.enum(['csv', 'tsv', 'xlsx', 'json', 'ndjson']);
const Wait = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional()
  .describe('answer when the load has finished');
const OnUnmapped = z
  .enum(['reject', 'ignore'])
  .optional()
  .describe('a header that maps to no data item: reject fails the job; ignore (default) loads the rest and lists it in unmappedHeaders');
/** Checked on arrival, so an unknown label is a 400 and never a job that fails later. */
export const Encoding = z
  .string()
  .max(32)
  .refine((label) => knownEncoding(label), { message: 'unknown text encoding (use e.g. utf-8, gbk, gb18030)' })
  .describe('utf-8, gbk, gb18030 …; detected when absent');
export const BatchId = z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'letters, digits and _ . : @ - (1–128)');

const TimeLimitS = z.coerce
  .number()
  .int()
  .min(1)
  .max(604_800)
  .optional()
  .describe("this load's time limit in seconds (default: the platform's KUAIJI_JOB_TIME_LIMIT_S); past it the load is stopped and nothing is stored");

export const UploadQuery = z
  .object({
    fileName: z.string().max(255).optional().describe('the original file name; its extension names the format'),
    format: Format.optional(),
    encoding: Encoding.optional(),
    sheet: z.string().min(1).max(255).optional().describe('XLSX: the sheet to read, by name (default: the first)'),
    mode: Mode,
    batchId: BatchId.optional().describe(
      'defaults to a SHA-256 of the file and the column mapping in force: the same file under the same mapping is loaded once',
    ),
    wait: Wait,
    onUnmapped: OnUnmapped,
    timeLimitS: TimeLimitS,
    dryRun: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: only preview how the file maps and its first rows typed, with their rejects (200); nothing is stored, no job is made'),
    previewRows: z.coerce.number().int().min(1).max(100).optional().describe('dryRun: how many rows to show (default 20)'),
  })
  .strict();

export const PushQuery = z
  .object({ format: Format.optional(), encoding: Encoding.optional(), mode: Mode, wait: Wait, onUnmapped: OnUnmapped, timeLimitS: TimeLimitS })
  .strict();

export const ResourceIdParams = z.object({ id: z.string().min(1).max(64) }).strict();
/** Routes that also take the resource's catalogue code where its id goes (resource-ref.ts). */
export const ResourceRefParams = z.object({ id: z.string().min(1).max(64).describe('the resource id, or its catalogue code (101001%2F00001)') }).strict();
export const BatchParams = z.object({ id: z.string().min(1).max(64), batchId: BatchId }).strict();

export const JobOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  batchId: z.string(),
  sourceKind: z.string(),
  sourceRef: z.string().nullable(),
  sourceId: z.string().nullable(),
  format: z.string().nullable(),
  encoding: z.string().nullable(),
  mode: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted', 'cancelled']),
  rows: z.object({ read: z.number(), inserted: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number(), deleted: z.number() }),
  bytes: z.object({ read: z.number(), total: z.number().nullable() }),
  progress: z.number().nullable(),
  phase: z
    .enum(['queued', 'reading', 'merging', 'done'])
    .describe('queued; reading the input; merging it into the records (one transaction, no progress within it); done (see status)'),
  rowsPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  watermark: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().describe('times a worker started this job since it was sent; one that stopped the process twice is not retried'),
  timeLimitS: z.number().nullable().describe("this job's own time limit (its source's); null: the platform default"),
  cancelRequested: z.boolean(),
  unmappedHeaders: z.array(z.string()).describe('headers of the input that map to no data item: their values were not loaded'),
  unfilledItems: z.array(z.string()).describe('codes of data items no column fills: stored values of these items were kept'),
  repeatedKeys: z
    .object({ keys: z.number(), rows: z.number() })
    .describe('keys the input carried more than once: the last row of each won and counts once; rows: the earlier rows it replaced, counted nowhere else'),
  options: z.record(z.string(), z.unknown()),
  submittedBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const SubmitOut = z.object({ job: JobOut, duplicate: z.boolean().describe('true when this batch id had already been loaded or is loading') });

export const JobListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(64).optional(),
    resourceId: z.string().max(64).optional(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted', 'cancelled']).optional(),
  })
  .strict();

export const RejectsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(4096).optional().describe('the nextCursor of the previous page'),
  })
  .strict();

export const RejectOut = z.object({ rowNumber: z.number(), field: z.string().nullable(), reason: z.string(), raw: z.string().nullable() });

const FILTER_SYNTAX = /^([a-z][a-z0-9_]{0,63}):(eq|in|gte|lte|null|notNull)(?::([\s\S]*))?$/;
type ParsedFilter =
  | { item: string; op: 'eq'; value: string }
  | { item: string; op: 'in'; values: string[] }
  | { item: string; op: 'range'; from?: string; to?: string }
  | { item: string; op: 'null' | 'notNull' };

/** `item:op[:value]` → a typed filter; values are checked against the item's data type by the record reader. */
function parseFilter(text: string): ParsedFilter | string {
  const m = FILTER_SYNTAX.exec(text);
  if (!m) return `'${text.slice(0, 60)}' is not item:op[:value] with op one of eq, in, gte, lte, null, notNull`;
  const [, item, op, value] = m as unknown as [string, string, string, string | undefined];
  if (op === 'null' || op === 'notNull') return value === undefined ? { item, op } : `${op} takes no value`;
  if (value === undefined) return `${op} needs a value`;
  if (op === 'eq') return { item, op, value };
  if (op === 'in') return { item, op, values: value.split(',') };
  return op === 'gte' ? { item, op: 'range', from: value } : { item, op: 'range', to: value };
}

const BoolParam = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const RecordsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    cursor: z.string().max(2000).optional(),
    items: z
      .string()
      .max(4000)
      .transform((s) =>
        s
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      )
      .optional()
      .describe('item codes to return, comma-separated (projection); all items when absent'),
    filter: z
      .union([z.string().max(4000), z.array(z.string().max(4000)).max(20)])
      .transform((v, ctx) => {
        const out: ParsedFilter[] = [];
        for (const text of Array.isArray(v) ? v : [v]) {
          const f = parseFilter(text);
          if (typeof f === 'string') ctx.addIssue({ code: 'custom', message: f });
          else out.push(f);
        }
        return out;
      })
      .optional()
      .describe('repeatable item:op[:value]; op eq, in (comma-separated values), gte, lte, null, notNull; dates YYYY-MM-DD, date-times YYYY-MM-DDTHH:mm:ss'),
    meta: BoolParam.describe('add _meta: { batchId, receivedAt } to each record'),
    unmasked: BoolParam.describe('administrators only, with a reason: clear values, audited'),
    reason: z.string().max(500).optional().describe('why unmasked values are needed (recorded in the audit trail)'),
  })
  .strict();

export const RecordsExportQuery = RecordsQuery.omit({ limit: true, cursor: true });

const RecordValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const RecordsOut = z.object({
  items: z.array(
    z
      .record(z.string(), z.union([RecordValue, z.object({ batchId: z.string(), receivedAt: z.string() })]))
      .describe(
        'item code → value: INTEGER a number (a string beyond 2^53), DECIMAL an exact string, DATE YYYY-MM-DD, DATETIME YYYY-MM-DDTHH:mm:ss[.ffffff], BINARY base64; masked values are strings; `_disputed: true` on a record under an open objection (异议)',
      ),
  ),
  nextCursor: z.string().nullable(),
  total: z.number().describe('live records of the resource'),
});
