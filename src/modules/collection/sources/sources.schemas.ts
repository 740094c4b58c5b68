import { z } from 'zod';
import { keysOf, UPDATE_FREQUENCIES } from '../../catalog/index.js';
import { HttpConfig, Identifier, MysqlConfig, PostgresConfig } from './source-config.js';

export const SourceMode = z
  .enum(['full', 'incremental', 'snapshot'])
  .describe('full: read everything and upsert; snapshot: read everything, rows missing are marked deleted; incremental: only rows past the watermark');

export const ScheduleIn = z
  .union([z.literal('auto'), z.literal('manual'), z.enum(keysOf(UPDATE_FREQUENCIES))])
  .describe("'auto' follows the resource's update frequency, 'manual' runs only on demand, or an update-frequency code (01 realtime … 07 annual)");

const common = {
  resourceId: z.string().min(1).max(36),
  name: z.string().trim().min(1).max(200),
  mode: SourceMode.default('full'),
  watermarkColumn: z.string().min(1).max(100).nullable().optional().describe('incremental: the column (or JSON field) that only grows, e.g. an update time'),
  schedule: ScheduleIn.default('auto'),
  enabled: z.boolean().default(true),
  timeLimitS: z
    .number()
    .int()
    .min(1)
    .max(604_800)
    .nullable()
    .optional()
    .describe("how long one pull may run before it is stopped (nothing of it stored); null: the platform's KUAIJI_JOB_TIME_LIMIT_S"),
};

export const SourceInput = z
  .discriminatedUnion('kind', [
    z.object({ ...common, kind: z.literal('postgres'), config: PostgresConfig }).strict(),
    z.object({ ...common, kind: z.literal('mysql'), config: MysqlConfig }).strict(),
    z.object({ ...common, kind: z.literal('http'), config: HttpConfig }).strict(),
  ])
  .superRefine((s, ctx) => {
    if (s.mode !== 'incremental') return;
    if (s.kind === 'http') {
      if (!s.watermarkColumn && !s.config.watermarkField) {
        ctx.addIssue({
          code: 'custom',
          path: ['watermarkColumn'],
          message: 'an incremental source needs a watermark field (watermarkColumn or config.watermarkField)',
        });
      }
      return;
    }
    if (!s.watermarkColumn) {
      ctx.addIssue({ code: 'custom', path: ['watermarkColumn'], message: 'an incremental source needs a watermark column' });
    } else if (!Identifier.safeParse(s.watermarkColumn).success) {
      ctx.addIssue({ code: 'custom', path: ['watermarkColumn'], message: 'a plain column name' });
    } else if (s.config.columns && !s.config.columns.includes(s.watermarkColumn)) {
      ctx.addIssue({ code: 'custom', path: ['config', 'columns'], message: `must include the watermark column ${s.watermarkColumn}` });
    }
  });
export type SourceInput = z.infer<typeof SourceInput>;

export const SourceOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  name: z.string(),
  kind: z.string(),
  config: z.record(z.string(), z.unknown()).describe('passwords, credential parameters and header values shown as ***; send *** back to keep them'),
  mode: SourceMode,
  watermarkColumn: z.string().nullable(),
  watermark: z.string().nullable().describe('the largest watermark value loaded so far'),
  schedule: z.string(),
  enabled: z.boolean(),
  timeLimitS: z.number().nullable(),
  nextRunAt: z.string().nullable(),
  lastJobId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CollectionSource = z.infer<typeof SourceOut>;

export const SourceListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
    resourceId: z.string().max(64).optional(),
  })
  .strict();
export type SourceListQuery = z.infer<typeof SourceListQuery>;

export const RunQuery = z
  .object({
    wait: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('answer when the load has finished'),
  })
  .strict();

export const PREVIEW_ROWS = 5;

export const TestOut = z.object({
  header: z.array(z.string()),
  rows: z.array(z.array(z.string().nullable())).describe(`the first ${PREVIEW_ROWS} rows as the loader would see them`),
  rejects: z.array(z.object({ rowNumber: z.number(), reason: z.string() })),
});
export type SourceTest = z.infer<typeof TestOut>;
