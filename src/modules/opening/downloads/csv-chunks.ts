import type { ReadRecord } from '../../collection/index.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV cell (RFC 4180): null empty, quotes doubled, quoted when it holds a separator, a quote, a line break or edge spaces. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Text chunks of about `chunkChars` characters: the header, then the records as they stream (memory: one chunk). */
export async function* csvChunks(
  header: readonly string[],
  codes: readonly string[],
  records: AsyncIterable<ReadRecord>,
  chunkChars = 64 * 1024,
): AsyncGenerator<string> {
  let buf = `${header.map(csvCell).join(',')}\r\n`;
  const n = codes.length;
  for await (const r of records) {
    let line = csvCell(r[codes[0]!]);
    for (let i = 1; i < n; i++) line += `,${csvCell(r[codes[i]!])}`;
    buf += `${line}\r\n`;
    if (buf.length >= chunkChars) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
