import { Readable } from 'node:stream';
import type { CollectionRejectTable } from '../../../storage/schema.js';
import { presentReject } from './jobs.presenter.js';

/** One page of rejects after a seq, in seq order (the repository's keyset query). */
export type RejectPager = (afterSeq: number, limit: number) => Promise<CollectionRejectTable[]>;

const esc = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);

/**
 * A job's rejects as CSV (UTF-8 with BOM), one chunk per page of `pageSize` rows read by keyset
 * on seq: memory holds one page however many rejects there are (a 178 MB download built as one
 * string took the server to 870 MB). The stream pauses while the client is slow to read.
 */
export function rejectsCsvStream(page: RejectPager, pageSize = 1000): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield '\uFEFFrow,field,reason,raw\n';
    let after = 0;
    for (;;) {
      const rows = await page(after, pageSize);
      const items = rows.slice(0, pageSize);
      let out = '';
      for (const row of items) {
        const r = presentReject(row);
        out += `${r.rowNumber},${esc(r.field)},${esc(r.reason)},${esc(r.raw)}\n`;
      }
      if (out) yield out;
      if (rows.length <= pageSize) return;
      after = Number(items[items.length - 1]!.seq);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
