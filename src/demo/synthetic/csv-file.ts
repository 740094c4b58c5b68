import fs from 'node:fs';
import { once } from 'node:events';

/** Rows per write: big enough to amortise the call, small enough to keep memory flat. */
const ROWS_PER_WRITE = 2000;

export type Encode = (text: string) => Buffer;
const utf8: Encode = (s) => Buffer.from(s, 'utf8');

/** Writes a header and rows as RFC 4180 CSV (CRLF, like Excel), waiting for the disk whenever it lags. */
export async function writeCsvFile(out: string, header: readonly string[], rows: Iterable<string[]>, encode: Encode = utf8): Promise<number> {
  const stream = fs.createWriteStream(out);
  let count = 0;
  let lines: string[] = [header.map(csvField).join(',')];
  const flush = async (): Promise<void> => {
    if (!stream.write(encode(lines.join('\r\n') + '\r\n'))) await once(stream, 'drain');
    lines = [];
  };
  try {
    for (const row of rows) {
      lines.push(row.map(csvField).join(','));
      count++;
      if (lines.length >= ROWS_PER_WRITE) await flush();
    }
    if (lines.length > 0) await flush();
  } finally {
    stream.end();
  }
  await once(stream, 'finish');
  return count;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
