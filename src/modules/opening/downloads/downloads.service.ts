import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type { RecordReader } from '../../collection/index.js';
import type { OpenAccess, OpenStats } from '../contracts.js';
import type { OpenCatalogInternal } from '../datasets/open-catalog.js';
import { openView, PUBLIC_READ, type Viewer } from '../datasets/open-view.js';
import { csvChunks } from './csv-chunks.js';
import { jsonChunks } from './json-chunks.js';
import { writeXlsx } from './xlsx-writer.js';

export type DownloadFormat = 'csv' | 'xlsx' | 'json';
export type DownloadEncoding = 'utf-8' | 'gbk';

export const MEDIA_TYPES: Record<DownloadFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
};

export type Download = { fileName: string; title: string; contentType: string; withheld: string[]; body: Readable; failed: Promise<unknown> };

/**
 * Downloads of an open dataset, streamed from the record reader's export (a page of records at a
 * time, pulled only as fast as the client reads): CSV in UTF-8 with a BOM (Excel recognises it)
 * or GBK for older Excel, XLSX, or a JSON array. CSV and XLSX headers are the items' Chinese names,
 * JSON keys their codes. Open items only, masked; RESTRICTED items only for an approved viewer.
 * The request is checked (dataset, encoding) before the first byte, so errors are still problems.
 */
export function createDownloadsService(deps: { catalog: OpenCatalogInternal; access: OpenAccess; records: RecordReader; stats: () => OpenStats }) {
  return {
    async open(id: string, format: DownloadFormat, encoding: DownloadEncoding, viewer: Viewer): Promise<Download> {
      const view = await openView(deps.catalog, deps.access, id, viewer);
      const codes = view.visible.map((i) => i.code);
      const header = view.visible.map((i) => i.name);
      const records = await deps.records.export(view.resource, PUBLIC_READ, { items: codes });
      deps.stats().count(view.dataset.id, 'download');
      const base = { fileName: `${view.dataset.name}.${format}`, title: `${view.dataset.title}.${format}`, withheld: view.withheld };
      if (format === 'xlsx') {
        const body = new PassThrough();
        const failed = writeXlsx(body, view.dataset.title.slice(0, 31).replace(/[[\]:*?/\\]/g, ' '), header, codes, records);
        failed.catch((err: unknown) => body.destroy(err as Error));
        return { ...base, contentType: MEDIA_TYPES.xlsx, body, failed };
      }
      const text = format === 'csv' ? csvChunks(header, codes, records) : jsonChunks(codes, records);
      if (encoding === 'gbk') {
        // GBK cannot hold every character: iconv-lite writes '?' for those (documented with the parameter).
        const body = new PassThrough();
        const failed = pipeline(Readable.from(text), iconv.encodeStream('gbk'), body);
        failed.catch(() => undefined);
        return { ...base, contentType: `${MEDIA_TYPES[format]}; charset=GBK`, body, failed };
      }
      const body = Readable.from(withBom(text, format === 'csv'), { objectMode: false });
      return { ...base, contentType: `${MEDIA_TYPES[format]}; charset=utf-8`, body, failed: Promise.resolve() };
    },
  };
}

async function* withBom(chunks: AsyncIterable<string>, bom: boolean): AsyncGenerator<Buffer> {
  if (bom) yield Buffer.from('\ufeff', 'utf8');
  for await (const c of chunks) yield Buffer.from(c, 'utf8');
}

export type DownloadsService = ReturnType<typeof createDownloadsService>;
