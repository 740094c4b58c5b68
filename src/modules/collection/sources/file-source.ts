import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../errors.js';
import { fromJson } from '../../../storage/dialect.js';
import { openRecords } from '../parsing/records.js';
import type { RecordFormat } from '../parsing/types.js';
import type { SourceKind } from './source-kinds.js';

/** Uploaded files and pushed batches: both are saved to disk first, then read as a stream. */
export const fileSource: SourceKind = {
  async open({ job }) {
    if (!job.file_path || !fs.existsSync(job.file_path)) {
      throw new AppError('COLLECTION_UNREADABLE', 'The uploaded file of this batch is no longer on disk; send it again');
    }
    let bytes = 0;
    const file = job.file_path;
    async function* counted() {
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
        bytes += (chunk as Buffer).length;
        yield chunk as Uint8Array;
      }
    }
    return {
      open: async () => {
        try {
          if (job.format === 'xlsx') {
            // Read by its ZIP directory, not as a stream. A spilled shared-strings table goes to the data
            // dir's scratch/ (uploads are in <dataDir>/incoming/) under the job's id, so recovery knows whose it is.
            const { sheet } = fromJson<{ sheet?: string }>(job.options, {});
            return await openRecords(file, {
              format: 'xlsx',
              ...(sheet !== undefined ? { sheet } : {}),
              scratchDir: path.join(path.dirname(path.dirname(file)), 'scratch'),
              scratchPrefix: `${job.id}.`,
              onBytesRead: (n) => (bytes = n),
            });
          }
          return await openRecords(counted(), { format: job.format as RecordFormat, filePath: file, ...(job.encoding ? { encoding: job.encoding } : {}) });
        } catch (err) {
          // Already a clear, coded reason (an XLSX past a reading limit).
          if (err instanceof AppError) throw err;
          throw new AppError('COLLECTION_UNREADABLE', `The ${String(job.format).toUpperCase()} file cannot be read: ${(err as Error).message}`);
        }
      },
      bytesRead: () => bytes,
    };
  },
};
