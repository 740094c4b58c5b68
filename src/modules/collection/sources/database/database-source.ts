import { AppError } from '../../../../errors.js';
import type { ParsedRow, RecordBatch, RecordStream } from '../../parsing/types.js';
import { DEFAULT_BATCH_SIZE } from '../../parsing/types.js';
import { effectiveWatermark, pullSourceKind, type PullSourceKind } from '../pull-source.js';
import { parseStoredConfig } from '../stored-config.js';
import { safeLocation, scrub, secretsOf } from '../secrets.js';
import { databaseTarget } from '../security/connection-target.js';
import { createTargetGuard, type SourceSecurity } from '../security/source-security.js';
import type { DatabaseConfig, PostgresConfig } from '../source-config.js';
import type { Connection, Connector } from './connector.js';
import { dbCell } from './db-cells.js';
import { planSelect } from './sql-plan.js';

const CHINA_STANDARD_TIME = '+08:00';
// Driver messages quote the server; what reaches a job's error is bounded.
const MESSAGE_LIMIT = 500;

/**
 * A department database read through a server-side cursor: header = the result's column names,
 * one batch per round trip, every value turned into the pipeline's text. Incremental sources
 * read only rows past the saved watermark and report the largest value read.
 */
export function databaseSourceKind(kind: 'postgres' | 'mysql', connector: Connector, schema: typeof PostgresConfig, security: SourceSecurity): PullSourceKind {
  const guard = createTargetGuard(security);
  return pullSourceKind(security, async (row, options) => {
    const config: DatabaseConfig = parseStoredConfig(schema, row);
    const incremental = row.mode === 'incremental';
    const column = row.watermark_column;
    if (incremental && !column) throw new AppError('COLLECTION_UNREADABLE', `source '${row.name}' is incremental but names no watermark column`);
    if (incremental && config.columns && !config.columns.includes(column!)) {
      throw new AppError('COLLECTION_UNREADABLE', `source '${row.name}': the watermark column ${column} is not among the configured columns`);
    }
    const after = effectiveWatermark(row, options);
    // A preview reads the source as it is: no ORDER BY, which could sort a whole table for five rows.
    const plan = planSelect(connector, config, incremental && !options.ignoreWatermark ? { column: column!, after } : null);
    const location = `${safeLocation(config.url)}${config.table ? ` (${config.table})` : ''}`;
    const secrets = secretsOf(config);
    const timeoutMs = config.statementTimeoutMs ?? security.statementTimeoutMs;
    const fail = (what: string, err: unknown) => {
      if (err instanceof AppError) return err;
      if (connector.isTimeout(err)) {
        return new AppError(
          'COLLECTION_UNREADABLE',
          `the query on ${location} ran longer than its statement timeout (${timeoutMs / 1000} s) and was stopped; raise config.statementTimeoutMs or narrow the query`,
        );
      }
      return new AppError('COLLECTION_UNREADABLE', `${what} ${location}: ${scrub(String((err as Error).message ?? err), secrets).slice(0, MESSAGE_LIMIT)}`);
    };
    let largest: string | null = after;

    async function open(): Promise<RecordStream> {
      let conn: Connection;
      const target = databaseTarget(config.url);
      const address = await guard.check({ host: target.host, port: target.port, family: target.family, database: target.database });
      try {
        conn = await connector.connect(target, {
          utcOffset: config.utcOffset ?? CHINA_STANDARD_TIME,
          address,
          statementTimeoutMs: timeoutMs,
          allowPrivilegedRoles: security.allowPrivilegedRoles,
        });
      } catch (err) {
        throw fail(`cannot connect to ${kind} at`, err);
      }
      const onAbort = () => void conn.close();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let result: Awaited<ReturnType<Connection['stream']>>;
      try {
        result = await conn.stream(plan.sql, plan.params, options.batchSize ?? config.batchSize ?? DEFAULT_BATCH_SIZE);
      } catch (err) {
        await conn.close();
        throw fail('the query failed on', err);
      }
      const { columns } = result;
      const wmIndex = incremental ? columns.findIndex((c) => c.name === column) : -1;
      if (incremental && wmIndex === -1) {
        await conn.close();
        throw new AppError(
          'COLLECTION_UNREADABLE',
          `the result from ${location} has no watermark column ${column}; columns: ${columns.map((c) => c.name).join(', ')}`,
        );
      }
      let rowNumber = 0;
      let started = false;
      async function* batches(): AsyncGenerator<RecordBatch> {
        if (started) throw new Error('the batches of a record stream can be read only once');
        started = true;
        try {
          for await (const values of result.batches) {
            const rows: ParsedRow[] = values.map((v) => {
              rowNumber += 1;
              // Ordered by the watermark column: the last non-null value is the largest.
              if (wmIndex !== -1 && !options.ignoreWatermark && v[wmIndex] !== null && v[wmIndex] !== undefined) largest = String(v[wmIndex]);
              return { rowNumber, cells: columns.map((c, i) => dbCell(v[i], c.kind)) };
            });
            yield { rows, rejects: [] };
          }
        } catch (err) {
          throw fail('reading failed from', err);
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
          await conn.close();
        }
      }
      return {
        // RecordFormat names file formats; rows from a database arrive already split, like JSON records.
        format: 'json',
        encoding: null,
        header: columns.map((c) => c.name),
        batches: { [Symbol.asyncIterator]: batches },
        close: () => conn.close(),
      };
    }

    return { open, ...(incremental && !options.ignoreWatermark ? { watermark: () => largest } : {}) };
  });
}
