import http from 'node:http';
import { AppError } from '../../../../errors.js';
import type { ParsedRow, RecordBatch, RecordStream, RejectedRow } from '../../parsing/types.js';
import { effectiveWatermark, pullSourceKind, type PullSourceKind } from '../pull-source.js';
import { HttpConfig } from '../source-config.js';
import { createSourcesRepository } from '../sources.repository.js';
import { maskUrl, scrub, secretsOf } from '../secrets.js';
import { createTargetGuard, type SourceSecurity } from '../security/source-security.js';
import { parseStoredConfig } from '../stored-config.js';
import { atPath, compareWatermarks, jsonCell } from './json-values.js';
import { guardedGet } from './guarded-get.js';
import { createPager } from './pager.js';

const DEFAULT_MAX_PAGES = 10_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const RAW_LIMIT = 2000;

type Page = { body: unknown; items: unknown[]; shown: string };

/**
 * A paged JSON API: one request per page (with a timeout), one batch per page. Every request and
 * redirect goes only where the guard allows (guarded-get.ts). The header is the union of the
 * keys of the first page's records; later unknown keys are ignored and missing ones are null.
 * Any page that is not a 2xx JSON answer fails the job; the message says the status, type and
 * size of what came back, never its text (which could be an internal page's content).
 */
export const httpSourceKind = (security: SourceSecurity): PullSourceKind => {
  const guard = createTargetGuard(security);
  return pullSourceKind(security, async (row, options) => {
    const config = parseStoredConfig(HttpConfig, row);
    const incremental = row.mode === 'incremental';
    const field = config.watermarkField ?? row.watermark_column;
    if (incremental && !field) throw new AppError('COLLECTION_UNREADABLE', `source '${row.name}' is incremental but names no watermark field`);
    const after = effectiveWatermark(row, options);
    const secrets = secretsOf(config);
    const maxPages = config.maxPages ?? DEFAULT_MAX_PAGES;
    let bytes = 0;
    let largest: string | null = after;

    const fail = (message: string) => new AppError('COLLECTION_UNREADABLE', scrub(message, secrets));

    async function fetchPage(url: URL): Promise<Page> {
      const shown = maskUrl(url.toString());
      const timeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const signal = options.signal ? AbortSignal.any([AbortSignal.timeout(timeout), options.signal]) : AbortSignal.timeout(timeout);
      let res: Awaited<ReturnType<typeof guardedGet>>;
      try {
        res = await guardedGet(url, { guard, headers: config.headers ?? {}, signal });
      } catch (err) {
        if (err instanceof AppError) throw err;
        const e = err as Error & { code?: string };
        if ((signal.reason as Error | undefined)?.name === 'TimeoutError') throw fail(`GET ${shown} did not answer within ${timeout} ms`);
        // The client's own reason (refused, reset, TLS, too many redirects), never the server's words.
        throw fail(`GET ${shown} failed: ${e.code ?? e.message}`.slice(0, 500));
      }
      const { text } = res;
      bytes += Buffer.byteLength(text);
      const what = `${res.contentType ? res.contentType.split(';')[0]!.slice(0, 60) : 'no content type'}, ${Buffer.byteLength(text)} bytes`;
      if (res.status < 200 || res.status > 299)
        throw fail(`GET ${shown} answered HTTP ${res.status}${http.STATUS_CODES[res.status] ? ` ${http.STATUS_CODES[res.status]}` : ''} (${what})`);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw fail(`GET ${shown} did not answer JSON (content-type ${what})`);
      }
      const items = atPath(body, config.itemsPath);
      if (!Array.isArray(items)) {
        throw fail(
          `GET ${shown}: no array at '${config.itemsPath || '(the page itself)'}' (found ${items === undefined ? 'nothing' : items === null ? 'null' : typeof items})`,
        );
      }
      return { body, items, shown };
    }

    async function open(): Promise<RecordStream> {
      const extra = incremental && after !== null && config.watermarkParam ? { [config.watermarkParam]: after } : {};
      const pager = createPager(config.url, config.paging, extra);
      const first = await fetchPage(pager.current());

      const keys = new Set<string>();
      for (const item of first.items) if (isRecord(item)) for (const k of Object.keys(item)) keys.add(k);
      // Nothing new (an incremental pull that is up to date): any header that covers the resource will do.
      const header = keys.size > 0 ? [...keys] : await createSourcesRepository().itemCodes(options.db, row.resource_id);

      let rowNumber = 0;
      const toBatch = (page: Page, pageNo: number): RecordBatch => {
        const rows: ParsedRow[] = [];
        const rejects: RejectedRow[] = [];
        for (const item of page.items) {
          rowNumber += 1;
          if (!isRecord(item)) {
            rejects.push({ rowNumber, reason: `record ${rowNumber} (page ${pageNo}) is not a JSON object`, raw: JSON.stringify(item).slice(0, RAW_LIMIT) });
            continue;
          }
          // Every record read moves the watermark, rejected or not: a bad record goes to the reject
          // store (like rows the loader rejects), it is not fetched again on every later run.
          if (incremental) {
            const mark = jsonCell(item[field!]);
            if (typeof mark === 'string' && (largest === null || compareWatermarks(mark, largest) > 0)) largest = mark;
          }
          const cells: (string | null)[] = [];
          let problem: string | null = null;
          for (const key of header) {
            const cell = jsonCell(item[key]);
            if (cell !== null && typeof cell === 'object') {
              problem = `${cell.problem} in '${key}'; send it as a string`;
              break;
            }
            cells.push(cell);
          }
          if (problem) {
            rejects.push({ rowNumber, reason: problem, raw: JSON.stringify(item).slice(0, RAW_LIMIT) });
            continue;
          }
          rows.push({ rowNumber, cells });
        }
        return { rows, rejects };
      };

      let started = false;
      async function* batches(): AsyncGenerator<RecordBatch> {
        if (started) throw new Error('the batches of a record stream can be read only once');
        started = true;
        let page = first;
        for (let pageNo = 1; ; pageNo++) {
          if (page.items.length > 0) yield toBatch(page, pageNo);
          if (pageNo >= maxPages || !pager.advance(page.body, page.items.length, page.shown)) return;
          page = await fetchPage(pager.current());
        }
      }

      return {
        // Each page is a JSON document.
        format: 'json',
        encoding: 'utf-8',
        header,
        batches: { [Symbol.asyncIterator]: batches },
        close: async () => undefined,
      };
    }

    return { open, bytesRead: () => bytes, ...(incremental && !options.ignoreWatermark ? { watermark: () => largest } : {}) };
  });
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
