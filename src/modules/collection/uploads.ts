import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../../errors.js';
import { newId } from '../../shared/ids.js';

export type SavedUpload = { filePath: string; bytes: number; sha256: string };

/**
 * Streams a request body to `<dataDir>/incoming/` while hashing it: memory stays bounded
 * whatever the size, and the hash gives file uploads a natural batch id (same file, same batch).
 */
export async function saveUpload(body: Readable, dataDir: string, extension: string, maxBytes: number): Promise<SavedUpload> {
  const dir = path.join(dataDir, 'incoming');
  fs.mkdirSync(dir, { recursive: true });
  const filePath = path.join(dir, `${newId()}${extension}`);
  // Written under a .part name until the whole body has arrived: a process killed mid-upload leaves
  // a file no job refers to, which the upload sweep (uploads-sweep.ts) removes.
  const partial = `${filePath}.part`;
  const out = fs.createWriteStream(partial);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(new AppError('PAYLOAD_TOO_LARGE', `The upload exceeds ${Math.round(maxBytes / 1024 / 1024)} MiB`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, out);
  } catch (err) {
    // The file may still be opening when the body fails: removed once closed, or it would come back.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    fs.rmSync(partial, { force: true });
    throw err;
  }
  if (bytes === 0) {
    fs.rmSync(partial, { force: true });
    throw new AppError('COLLECTION_UNREADABLE', 'The request body is empty');
  }
  fs.renameSync(partial, filePath);
  return { filePath, bytes, sha256: hash.digest('hex') };
}

/** How a file's headers become data items: the saved mapping, and the item labels matched by default. */
export type MappingInForce = { mappings: Record<string, string>; items: { code: string; name: string; nameEn: string | null }[] };

/**
 * The default batch id of an upload: the file's bytes AND the mapping in force. The same file
 * under the same mapping is loaded once; after the mapping (or an item's name) changed, it is
 * loaded again — with the old id it would have been taken for a duplicate and never re-read.
 */
export function defaultBatchId(fileSha256: string, mapping: MappingInForce): string {
  const canonical = JSON.stringify({
    mappings: Object.entries(mapping.mappings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    items: mapping.items.map((i) => [i.code, i.name, i.nameEn ?? '']).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)),
  });
  return `sha256-${createHash('sha256').update(`${fileSha256}\n${canonical}`).digest('hex').slice(0, 40)}`;
}

const CONTENT_TYPES: Record<string, 'csv' | 'tsv' | 'json' | 'ndjson' | 'xlsx'> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/** The format a Content-Type names, if any (`text/csv; charset=gbk` → csv, encoding gbk). */
export function formatFromContentType(contentType: string | undefined): { format?: string; charset?: string; legacyExcel?: boolean } {
  if (!contentType) return {};
  const [type = '', ...params] = contentType.split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  return { format: CONTENT_TYPES[type], ...(charset ? { charset } : {}), ...(type === 'application/vnd.ms-excel' ? { legacyExcel: true } : {}) };
}
