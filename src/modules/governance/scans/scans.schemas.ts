import { z } from 'zod';

export const ScanStart = z.object({ resourceId: z.string().min(1).max(64).optional().describe('absent: every collected resource (administrators)') }).strict();
export const ScanStartQuery = z
  .object({
    wait: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export const ScanIdParams = z.object({ id: z.string().min(1).max(64) }).strict();
export const ScanOut = z.object({
  id: z.string(),
  resourceId: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted']),
  progress: z.object({ resourcesDone: z.number(), resourcesTotal: z.number(), rowsChecked: z.number() }),
  error: z
    .string()
    .nullable()
    .describe('why a failed scan failed; beside a succeeded one: cross-resource rules that checked nothing and why, or problems not updated'),
  requestedBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export const ScanResults = z.object({
  items: z.array(
    z.object({
      ruleId: z.string(),
      resourceId: z.string(),
      dimension: z.string(),
      itemCode: z.string().nullable(),
      kind: z.string(),
      severity: z.string(),
      checked: z.number().describe('B: elements checked'),
      passed: z.number().describe('A: elements that passed'),
      failed: z.number(),
      sample: z.array(z.string()).describe('keys of failing records (at most 20; composite keys joined by |)'),
    }),
  ),
});

export const ScoresQuery = z.object({ by: z.enum(['resource', 'department', 'region', 'dimension']).default('resource') }).strict();
export const ScoresOut = z.object({
  by: z.string(),
  items: z.array(
    z.object({
      key: z.string().describe('resource id, department id, region code or dimension'),
      score: z.number().nullable().describe('0..1 (X = A/B per rule, averaged as ADR 0014 says); null when nothing was checked'),
      resources: z.number(),
      rules: z.number(),
      checked: z.number(),
      passed: z.number(),
    }),
  ),
  governed: z.object({
    resources: z.number().describe('resources with collected records'),
    scannedResources: z.number(),
    governedResources: z.number(),
    percent: z.number().nullable().describe('% of data governed (ADR 0014)'),
    maxAgeDays: z.number(),
    threshold: z.number(),
  }),
});

export const TrendsQuery = z
  .object({
    by: z.enum(['resource', 'department', 'region', 'dimension']).default('resource'),
    key: z.string().min(1).max(64).describe('resource id, department id, region code or dimension (completeness, accuracy …)'),
    limit: z.coerce.number().int().min(1).max(100).default(10).describe('the last N succeeded scans'),
  })
  .strict();
export const TrendsOut = z.object({
  by: z.string(),
  key: z.string(),
  items: z.array(
    z.object({
      scanId: z.string(),
      scannedAt: z.string(),
      score: z.number().nullable().describe("the key's score right after this scan (each resource by its latest succeeded scan so far; ADR 0014)"),
      resources: z.number(),
      rules: z.number(),
      checked: z.number(),
      passed: z.number(),
    }),
  ),
});
