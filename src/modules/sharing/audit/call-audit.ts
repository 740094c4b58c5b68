import type { Logger } from 'pino';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import { createCallRecorder, type BatchingCallRecorder } from './call-recorder.js';
import { createThreadedCallRecorder } from './call-writer-thread.js';
import { callRoutes } from './calls.routes.js';
import { createCallsService } from './calls.service.js';
import { scheduleSweeps, sweepCalls } from './retention.js';

export type CallAuditOptions = {
  /** KUAIJI_AUDIT_RETENTION_DAYS: calls older than this are removed by the daily sweep (180 when absent). */
  retentionDays?: number;
  /** The recorder's batching (tests and benchmarks tune it). */
  flushEveryMs?: number;
  batchSize?: number;
  /** Write the audit from a thread of its own (ADR 0030) when the database can be opened there; default true. */
  writerThread?: boolean;
};

export const DEFAULT_AUDIT_RETENTION_DAYS = 180;

/**
 * The gateway's call audit, assembled for sharing.module.ts: the recorder the gateway hands every
 * call to, the audit log's service and routes, and the retention sweep (daily in a serving
 * process). Stopping flushes what the recorder still holds.
 */
export function createCallAudit(deps: { db: Db; clock: Clock; databaseUrl?: string | null }, options: CallAuditOptions = {}) {
  const retentionDays = options.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
  const batching = { flushEveryMs: options.flushEveryMs, batchSize: options.batchSize };
  // A database another thread can open (a file, a server) is written from the writer thread; a private in-memory one inline.
  const recorder: BatchingCallRecorder =
    deps.databaseUrl && options.writerThread !== false
      ? createThreadedCallRecorder({ databaseUrl: deps.databaseUrl, ...batching })
      : createCallRecorder({ db: deps.db, clock: deps.clock, ...batching });
  const service = createCallsService(deps);
  const sweep = () => sweepCalls(deps.db, deps.clock, retentionDays);
  let sweeps: { stop(): void } | null = null;
  return {
    recorder,
    service,
    routes: callRoutes(service),
    /** Removes calls past retention now (the daily timer calls it too). */
    sweep,
    start(ctx: { logger: Logger }) {
      recorder.onError((err, pending) => ctx.logger.error({ err, pending }, 'the gateway call audit could not be written; retrying'));
      // A serving process's writer thread starts now, not with the first call: its start-up (under a
      // second on a quiet machine, seconds from source) is then never part of what a kill -9 loses.
      recorder.warm?.();
      sweeps = scheduleSweeps(
        sweep,
        (r) => {
          if (r.deleted > 0) ctx.logger.info({ deleted: r.deleted, anchorSeq: r.anchorSeq, retentionDays }, 'gateway calls past retention removed');
          if (r.brokenAt !== null)
            ctx.logger.error({ seq: r.brokenAt }, 'the gateway call audit chain is broken: calls from this one on are kept; run kuaiji audit verify');
        },
        (err) => ctx.logger.error({ err }, 'the gateway call audit retention sweep failed'),
      );
    },
    async stop() {
      sweeps?.stop();
      sweeps = null;
      await recorder.stop();
    },
  };
}
