import { z } from 'zod';
import { databaseUrlProblem } from './security/connection-target.js';
import { selectProblem } from './security/read-only-sql.js';

/**
 * The configuration of each pulled source kind, validated when a source is saved and again when
 * a job opens it (the row may predate a rule). Identifiers are checked here and quoted again by
 * the connector, so a table or column name can never carry SQL.
 */

// Unicode letters: Chinese column names (姓名, 登记日期) are common in department databases.
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_$]*$/u;
export const Identifier = z.string().max(63).regex(IDENTIFIER, 'a plain identifier: letters, digits, _ or $, not starting with a digit');
export const TableName = z
  .string()
  .max(127)
  .refine(
    (t) => t.split('.').length <= 2 && t.split('.').every((p) => p.length <= 63 && IDENTIFIER.test(p)),
    'a table name, optionally schema-qualified (schema.table)',
  );

const UtcOffset = z
  .string()
  .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'a UTC offset such as +08:00')
  .describe('time zone of the session, so TIMESTAMP WITH TIME ZONE values read as wall-clock time there (default +08:00, China Standard Time)');

function databaseConfig(protocols: string[], example: string) {
  return z
    .object({
      url: z
        .string()
        .max(2000)
        .refine((u) => URL.canParse(u) && protocols.includes(new URL(u).protocol), `a URL such as ${example}`)
        .superRefine((u, ctx) => {
          const problem = URL.canParse(u) && protocols.includes(new URL(u).protocol) ? databaseUrlProblem(u) : null;
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .describe(
          `connection URL (${example}) with a user; the only parameter accepted is sslmode (disable, require, verify-ca, verify-full); the password is never shown again`,
        ),
      table: TableName.optional().describe('read this table (or view); exactly one of table and query'),
      query: z
        .string()
        .trim()
        .min(1)
        .max(20_000)
        .transform((q) => q.replace(/;\s*$/, ''))
        .superRefine((q, ctx) => {
          const problem = selectProblem(q);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional()
        .describe('read the result of this one SELECT (or WITH … SELECT), run in a read-only transaction; exactly one of table and query'),
      columns: z.array(Identifier).min(1).max(2000).optional().describe('only these columns, in this order'),
      batchSize: z.number().int().min(1).max(50_000).optional().describe('rows fetched per round trip (default 2,000)'),
      statementTimeoutMs: z
        .number()
        .int()
        .min(1000)
        .max(24 * 3600_000)
        .optional()
        .describe('the database ends the query after this long (default 300,000: 5 minutes)'),
      utcOffset: UtcOffset.optional(),
    })
    .strict()
    .refine((c) => (c.table === undefined) !== (c.query === undefined), { message: 'give exactly one of table and query', path: ['table'] });
}

export const PostgresConfig = databaseConfig(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/db');
export const MysqlConfig = databaseConfig(['mysql:', 'mariadb:'], 'mysql://user:password@host:3306/db');
export type DatabaseConfig = z.infer<typeof PostgresConfig>;

const ParamName = z.string().min(1).max(100);
const PageSize = z.number().int().min(1).max(100_000);

export const Paging = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('page'),
      pageParam: ParamName.default('page'),
      sizeParam: ParamName.default('size'),
      size: PageSize.default(100),
      startPage: z.number().int().min(0).default(1),
    })
    .strict(),
  z
    .object({ kind: z.literal('offset'), offsetParam: ParamName.default('offset'), limitParam: ParamName.default('limit'), size: PageSize.default(100) })
    .strict(),
  z
    .object({
      kind: z.literal('cursor'),
      cursorParam: ParamName.default('cursor'),
      nextCursorPath: z.string().min(1).max(200).describe("where the next page's cursor is in a page ('meta.next')"),
      sizeParam: ParamName.optional(),
      size: PageSize.optional(),
    })
    .strict(),
]);
export type Paging = z.infer<typeof Paging>;

export const HttpConfig = z
  .object({
    url: z
      .string()
      .max(2000)
      .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), 'an http:// or https:// URL')
      .describe('the first page; paging parameters are added to its query string'),
    itemsPath: z.string().max(200).default('').describe("where the array of records is in each page ('data.items'; empty: the page is the array)"),
    paging: Paging,
    headers: z.record(z.string().min(1).max(100), z.string().max(4000)).optional().describe('sent with every request; values are masked when shown'),
    maxPages: z.number().int().min(1).max(1_000_000).optional().describe('stop after this many pages (default 10,000)'),
    watermarkParam: ParamName.optional().describe('incremental: the saved watermark is sent as this query parameter'),
    watermarkField: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("incremental: the record field whose largest value becomes the watermark (default: the source's watermarkColumn)"),
    timeoutMs: z.number().int().min(100).max(600_000).optional().describe('per request (default 30,000)'),
  })
  .strict();
export type HttpConfig = z.infer<typeof HttpConfig>;

export const SOURCE_KIND_CONFIGS = { postgres: PostgresConfig, mysql: MysqlConfig, http: HttpConfig } as const;
export type PulledKind = keyof typeof SOURCE_KIND_CONFIGS;
export const PULLED_KINDS = Object.keys(SOURCE_KIND_CONFIGS) as PulledKind[];
