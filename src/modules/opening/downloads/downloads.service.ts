import { Readable } from 'node:stream';
import type { RecordReader } from '../../collection/index.js';
import type { OpenAccess, OpenStats } from '../contracts.js';
import type { OpenCatalogInternal } from '../datasets/open-catalog.js';
import { openView, PUBLIC_READ, type Viewer } from '../datasets/open-view.js';

export type DownloadFormat = 'csv' | 'xlsx' | 'json';
export type DownloadEncoding = 'utf-8' | 'gbk';

export const MEDIA_TYPES: Record<DownloadFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
};

export type Download = { fileName: string; title: string; contentType: string; withheld: string[]; body: Readable; failed: Promise<unknown> };

/**
 * Downloads of an open dataset, streamed from the record reader (pulled only as fast as the
 * client reads). All three are the reader's file export: written and encoded in an export
 * thread (ADR 0031; CSV pages from SQLite and XLSX in the thread, ADR 0034), so this thread only
 * pipes bytes. CSV in UTF-8 with a BOM (Excel recognises it)
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
      const base = { fileName: `${view.dataset.name}.${format}`, title: `${view.dataset.title}.${format}`, withheld: view.withheld };
      // Every format comes written and encoded from the reader (an export thread on a file or server database).
      const chunks = await deps.records.exportFile(
        view.resource,
        PUBLIC_READ,
        { items: codes },
        format === 'csv'
          ? { kind: 'csv', header, encoding }
          : format === 'xlsx'
            ? { kind: 'xlsx', header, sheetName: view.dataset.title.slice(0, 31).replace(/[[\]:*?/\\]/g, ' ') }
            : { kind: 'json' },
      );
      deps.stats().count(view.dataset.id, 'download');
      const body = Readable.from(chunks, { objectMode: false });
      const failed = new Promise<void>((resolve, reject) => {
        body.once('error', reject);
        body.once('end', resolve);
        body.once('close', resolve);
      });
      failed.catch(() => undefined);
      if (format === 'xlsx') return { ...base, contentType: MEDIA_TYPES.xlsx, body, failed };
      const charset = encoding === 'gbk' ? 'GBK' : 'utf-8';
      return { ...base, contentType: `${MEDIA_TYPES[format]}; charset=${charset}`, body, failed };
    },
  };
}

export type DownloadsService = ReturnType<typeof createDownloadsService>;
