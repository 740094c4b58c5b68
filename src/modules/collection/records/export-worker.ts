import { parentPort } from 'node:worker_threads';
import { openRowBatches } from '../../../storage/row-batches.js';
import { exportWriter, type ExportColumn, type ExportFormat } from './export-format.js';
import { sqliteCsvPages, type PagedCsv } from './export-pages.js';
import { xlsxChunks } from './export-xlsx.js';

/**
 * Export thread entry (export-threads.ts starts it): runs one export at a time. It opens its own
 * read-only connection, streams the export's one statement in batches, writes each batch as the
 * format's text (export-format.ts) and posts encoded chunks of about `chunkChars` characters as
 * transferred buffers, at most `credits` ahead of what the request's thread has taken: memory
 * stays bounded whatever the table's size, and the request's thread only pipes bytes.
 */
export type ExportJob = {
  id: number;
  url: string;
  sql: string;
  params: unknown[];
  columns: ExportColumn[];
  format: ExportFormat;
  batchRows: number;
  chunkChars: number;
  credits: number;
  /** A plain CSV export on SQLite: pages of lines written by SQLite (export-pages.ts, ADR 0034) instead of `sql`'s rows. */
  paged?: PagedCsv | null;
};
export type ExportRequest = ({ type: 'start' } & ExportJob) | { type: 'more'; id: number } | { type: 'cancel'; id: number };
export type ExportMessage =
  { type: 'chunk'; id: number; bytes: Uint8Array; rows: number } | { type: 'end'; id: number } | { type: 'error'; id: number; message: string };

/** Runs `job`, calling `send` for each encoded chunk with the rows it completes; `wait` resolves when another chunk may be sent (false: stop). */
export async function produce(
  job: Omit<ExportJob, 'id' | 'credits'>,
  send: (bytes: Buffer, rows: number) => void,
  wait: () => Promise<boolean>,
): Promise<void> {
  if (job.paged && job.url.startsWith('sqlite:') && job.format.kind === 'csv') {
    for await (const page of sqliteCsvPages(job.url.slice('sqlite:'.length), job.paged, job.columns, job.format)) {
      send(page.bytes, page.rows);
      if (!(await wait())) return;
    }
    return;
  }
  if (job.format.kind === 'xlsx') {
    const source = await openRowBatches(job.url);
    try {
      for await (const chunk of xlsxChunks(job.columns, job.format, source.batches(job.sql, job.params, job.batchRows))) {
        send(chunk.bytes, chunk.rows);
        if (!(await wait())) return;
      }
    } finally {
      await source.close();
    }
    return;
  }
  const writer = exportWriter(job.columns, job.format);
  const source = await openRowBatches(job.url);
  let text = writer.start();
  let rows = 0;
  let first = true;
  const flush = () => {
    send(writer.encode(text, first), rows);
    first = false;
    text = '';
    rows = 0;
  };
  try {
    for await (const batch of source.batches(job.sql, job.params, job.batchRows)) {
      text += writer.rows(batch);
      rows += batch.length;
      if (text.length >= job.chunkChars) {
        flush();
        if (!(await wait())) return;
      }
    }
    text += writer.end();
    if (text || first) flush();
  } finally {
    await source.close();
  }
}

type Running = { credits: number; cancelled: boolean; wake: (() => void) | null };
const running = new Map<number, Running>();
const post = (m: ExportMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(m, transfer);

parentPort?.on('message', (m: ExportRequest) => {
  if (m.type !== 'start') {
    const r = running.get(m.id);
    if (!r) return;
    if (m.type === 'more') r.credits++;
    else r.cancelled = true;
    r.wake?.();
    return;
  }
  const state: Running = { credits: m.credits, cancelled: false, wake: null };
  running.set(m.id, state);
  const send = (bytes: Buffer, rows: number) => {
    state.credits--;
    // Transferred when the chunk owns its memory; a slice (of Node's shared pool, of iconv's buffer) is copied first.
    let view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || bytes.byteLength < 8192) view = new Uint8Array(bytes);
    post({ type: 'chunk', id: m.id, bytes: view, rows }, [view.buffer as ArrayBuffer]);
  };
  const wait = async () => {
    while (state.credits <= 0 && !state.cancelled) await new Promise<void>((resolve) => (state.wake = resolve));
    state.wake = null;
    return !state.cancelled;
  };
  produce(m, send, wait).then(
    () => {
      running.delete(m.id);
      post({ type: 'end', id: m.id });
    },
    (err: unknown) => {
      running.delete(m.id);
      post({ type: 'error', id: m.id, message: (err as Error)?.message ?? String(err) });
    },
  );
});
