import path from 'node:path';
import { z } from 'zod';

/** Environment parsed once into a typed, frozen Config. Every variable is documented in the README. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  KUAIJI_DATA_DIR: z.string().min(1).default('./data'),
  KUAIJI_DATABASE_URL: z.string().optional(),
  KUAIJI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KUAIJI_ADMIN_USERNAME: z.string().min(1).default('admin'),
  KUAIJI_ADMIN_TOKEN: z.string().min(24).optional(),
  KUAIJI_BODY_LIMIT_MB: z.coerce.number().positive().default(64),
  KUAIJI_UPLOAD_LIMIT_MB: z.coerce
    .number()
    .positive()
    .default(20 * 1024),
  KUAIJI_COLLECTION_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  KUAIJI_SOURCE_ALLOW: z.string().default(''),
  KUAIJI_UPSTREAM_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  KUAIJI_UPSTREAM_COOLDOWN_S: z.coerce.number().positive().max(86_400).default(30),
  KUAIJI_SECRET_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=?)$/, '32 bytes as 64 hex digits or base64')
    .optional(),
  KUAIJI_JOB_TIME_LIMIT_S: z.coerce.number().int().min(1).default(3600),
  KUAIJI_WORKER_HEAP_MB: z.coerce.number().int().min(64).default(1024),
  KUAIJI_SQLITE_BUSY_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  KUAIJI_JOB_LEASE_S: z.coerce.number().positive().default(30),
  KUAIJI_JOB_HEARTBEAT_S: z.coerce.number().positive().default(5),
  KUAIJI_FAILED_INPUT_RETENTION_H: z.coerce.number().min(0).default(72),
  KUAIJI_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(180),
  KUAIJI_CALENDAR_FILE: z.string().min(1).optional(),
  KUAIJI_HEADER_SYNONYMS_FILE: z.string().min(1).optional(),
  KUAIJI_PROBLEM_DEADLINE_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  KUAIJI_SHARING_COMPLIANCE_DAYS: z.coerce.number().int().min(1).max(60).default(2),
  KUAIJI_SHARING_REVIEW_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  KUAIJI_SCAN_SCHEDULE: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'a daily time HH:MM (China Standard Time) or off')
    .default('02:00'),
  KUAIJI_OBJECTION_SLA_DAYS: z
    .string()
    .regex(/^\d{1,2},\d{1,2},\d{1,2}$/, 'three working-day counts: forward,verify,extended (e.g. 2,5,10)')
    .refine((v) => {
      const sla = slaOf(v);
      return sla.forwardDays >= 1 && sla.verifyDays >= 1 && sla.extendedVerifyDays >= sla.verifyDays;
    }, 'each at least 1, and the extended one at least the verify one')
    .default('2,5,10'),
  KUAIJI_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  KUAIJI_SERVE_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  KUAIJI_OPEN_APP_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(10),
  KUAIJI_OPEN_APP_QUOTA_PER_DAY: z.coerce.number().int().min(1).max(1_000_000_000).default(10_000),
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<file>` for the embedded default, or a `postgres://` URL. */
  databaseUrl: string;
  logLevel: z.infer<typeof EnvSchema>['KUAIJI_LOG_LEVEL'];
  adminUsername: string;
  adminToken: string | undefined;
  bodyLimitBytes: number;
  /** Largest data file an upload or pushed batch may stream to disk. */
  uploadLimitBytes: number;
  /** Collection jobs running at once, each in its own worker thread. */
  collectionWorkers: number;
  /** KUAIJI_SOURCE_ALLOW: hosts, host:port and networks pull sources may reach on this machine's side (ADR 0008). */
  sourceAllow: readonly string[];
  /** KUAIJI_UPSTREAM_FAILURES / KUAIJI_UPSTREAM_COOLDOWN_S: consecutive failures that open an upstream interface's circuit, and how long it stays open. */
  upstreamFailures: number;
  upstreamCooldownS: number;
  /** KUAIJI_SECRET_KEY: the key of sources' secrets; absent, one is generated into the data directory. */
  secretKey: string | undefined;
  /** A job's time limit unless it or its source sets one (collection loads, catalogue imports). */
  jobTimeLimitS: number;
  /** V8 heap limit of each worker thread: a job past it fails alone; the server stays up. */
  workerHeapMb: number;
  /** How long an API write waits (asynchronously) for SQLite's write lock held by a load before 503 DATABASE_BUSY. */
  sqliteBusyWaitMs: number;
  /** KUAIJI_JOB_LEASE_S / KUAIJI_JOB_HEARTBEAT_S: how long a job's lease lasts and how often its process extends it (ADR 0016). */
  jobLeaseS: number;
  jobHeartbeatS: number;
  /** Hours the uploaded input of a failed, cancelled or interrupted load is kept for a look, then removed. */
  failedInputRetentionH: number;
  /** KUAIJI_AUDIT_RETENTION_DAYS: days the gateway's call audit keeps a call (网络安全法 Art. 21: at least six months). */
  auditRetentionDays: number;
  /** KUAIJI_CALENDAR_FILE: a JSON of extra public holidays and make-up working days over the shipped calendar (governance deadlines). */
  calendarFile: string | undefined;
  /** KUAIJI_HEADER_SYNONYMS_FILE: a JSON of column-name synonym groups over the shipped list (collection header mapping). */
  headerSynonymsFile: string | undefined;
  /** KUAIJI_PROBLEM_DEADLINE_DAYS: working days a department has to rectify a quality problem. */
  problemDeadlineDays: number;
  /** KUAIJI_SCAN_SCHEDULE: when a serving process scans every collected resource each day (HH:MM, China Standard Time), or 'off'. */
  scanSchedule: string;
  /** KUAIJI_OBJECTION_SLA_DAYS: working days to accept an objection, to verify it, and to verify it once extended. */
  objectionSla: Readonly<{ forwardDays: number; verifyDays: number; extendedVerifyDays: number }>;
  /** KUAIJI_SHARING_COMPLIANCE_DAYS / KUAIJI_SHARING_REVIEW_DAYS: working days of an access application's platform compliance check, and of the provider department's review after it. */
  sharingComplianceDays: number;
  sharingReviewDays: number;
  /** KUAIJI_REDIS_URL: where several gateway processes share their call counters (rate limits, quotas); absent, each process counts alone. */
  redisUrl: string | undefined;
  /**
   * KUAIJI_SERVE_PROCESSES: how many processes `kuaiji serve` answers HTTP with (default 1). More
   * than one shares the port between them (node:cluster) and needs KUAIJI_REDIS_URL, where the
   * gateway's call counters and signed calls' nonces must be shared (ADR 0039).
   */
  serveProcesses: number;
  /** KUAIJI_OPEN_APP_RATE_PER_SECOND / KUAIJI_OPEN_APP_QUOTA_PER_DAY: the limits a new open-API app key gets (an administrator changes one app's). */
  openAppLimits: Readonly<{ ratePerSecond: number; quotaPerDay: number }>;
}>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.KUAIJI_JOB_HEARTBEAT_S * 2 > e.KUAIJI_JOB_LEASE_S) {
    throw new Error('Invalid configuration:\n  KUAIJI_JOB_HEARTBEAT_S: at most half of KUAIJI_JOB_LEASE_S (a lease must outlive a missed heartbeat)');
  }
  if (e.KUAIJI_SERVE_PROCESSES > 1 && !e.KUAIJI_REDIS_URL) {
    throw new Error(
      `Invalid configuration:\n  KUAIJI_SERVE_PROCESSES: ${e.KUAIJI_SERVE_PROCESSES} processes need KUAIJI_REDIS_URL (the gateway's call counters and signed calls' nonces must be shared; each process alone would allow every quota again)`,
    );
  }
  const dataDir = path.resolve(e.KUAIJI_DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.KUAIJI_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'kuaiji.sqlite')}`,
    logLevel: e.KUAIJI_LOG_LEVEL,
    adminUsername: e.KUAIJI_ADMIN_USERNAME,
    adminToken: e.KUAIJI_ADMIN_TOKEN,
    bodyLimitBytes: Math.round(e.KUAIJI_BODY_LIMIT_MB * 1024 * 1024),
    uploadLimitBytes: Math.round(e.KUAIJI_UPLOAD_LIMIT_MB * 1024 * 1024),
    collectionWorkers: e.KUAIJI_COLLECTION_WORKERS,
    sourceAllow: Object.freeze(
      e.KUAIJI_SOURCE_ALLOW.split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
    secretKey: e.KUAIJI_SECRET_KEY,
    upstreamFailures: e.KUAIJI_UPSTREAM_FAILURES,
    upstreamCooldownS: e.KUAIJI_UPSTREAM_COOLDOWN_S,
    jobTimeLimitS: e.KUAIJI_JOB_TIME_LIMIT_S,
    workerHeapMb: e.KUAIJI_WORKER_HEAP_MB,
    sqliteBusyWaitMs: e.KUAIJI_SQLITE_BUSY_WAIT_MS,
    jobLeaseS: e.KUAIJI_JOB_LEASE_S,
    jobHeartbeatS: e.KUAIJI_JOB_HEARTBEAT_S,
    failedInputRetentionH: e.KUAIJI_FAILED_INPUT_RETENTION_H,
    auditRetentionDays: e.KUAIJI_AUDIT_RETENTION_DAYS,
    calendarFile: e.KUAIJI_CALENDAR_FILE ? path.resolve(e.KUAIJI_CALENDAR_FILE) : undefined,
    headerSynonymsFile: e.KUAIJI_HEADER_SYNONYMS_FILE ? path.resolve(e.KUAIJI_HEADER_SYNONYMS_FILE) : undefined,
    problemDeadlineDays: e.KUAIJI_PROBLEM_DEADLINE_DAYS,
    scanSchedule: e.KUAIJI_SCAN_SCHEDULE,
    objectionSla: Object.freeze(slaOf(e.KUAIJI_OBJECTION_SLA_DAYS)),
    sharingComplianceDays: e.KUAIJI_SHARING_COMPLIANCE_DAYS,
    sharingReviewDays: e.KUAIJI_SHARING_REVIEW_DAYS,
    redisUrl: e.KUAIJI_REDIS_URL,
    serveProcesses: e.KUAIJI_SERVE_PROCESSES,
    openAppLimits: Object.freeze({ ratePerSecond: e.KUAIJI_OPEN_APP_RATE_PER_SECOND, quotaPerDay: e.KUAIJI_OPEN_APP_QUOTA_PER_DAY }),
  });
}

function slaOf(text: string) {
  const [forwardDays, verifyDays, extendedVerifyDays] = text.split(',').map(Number) as [number, number, number];
  return { forwardDays, verifyDays, extendedVerifyDays };
}
