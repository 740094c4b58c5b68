import type { OpenEvent, OpenStats } from '../contracts.js';
import { chinaDate } from '../../../shared/china-time.js';
import type { EventCountRow } from './stats.repository.js';

// Rows per statement: far below both dialects' parameter limits (4 parameters a row).
const CHUNK = 500;

/**
 * OpenStats: views, downloads and API calls counted in memory per (day, dataset, event) and
 * written by `flush()` in one upsert per 500 keys. `count()` never touches the database, so a
 * download or a portal page never waits on the write lock for its statistics. A failed write
 * keeps its counts for the next flush; a crash loses at most one flush interval.
 */
export function createEventCounter(deps: {
  now: () => number;
  write: (rows: EventCountRow[]) => Promise<unknown>;
}): OpenStats & { flush(): Promise<void>; pending(): number } {
  let counts = new Map<string, number>();
  let flushing: Promise<void> | null = null;

  async function writeAll(batch: Map<string, number>) {
    const rows = [...batch].map(([key, count]) => {
      const [day, event, ...rest] = key.split('|');
      return { day: day!, event: event!, dataset_id: rest.join('|'), count };
    });
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      try {
        await deps.write(part);
      } catch (err) {
        // Put back what was not written; it merges with what arrived meanwhile.
        for (const r of rows.slice(i)) {
          const key = `${r.day}|${r.event}|${r.dataset_id}`;
          counts.set(key, (counts.get(key) ?? 0) + r.count);
        }
        throw err;
      }
    }
  }

  return {
    count(datasetId: string, event: OpenEvent): void {
      const key = `${chinaDate(deps.now())}|${event}|${datasetId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    /** Writes what was counted so far; concurrent calls wait for one another, so nothing is written twice. */
    async flush(): Promise<void> {
      while (flushing) await flushing.catch(() => undefined);
      if (counts.size === 0) return;
      const batch = counts;
      counts = new Map();
      flushing = writeAll(batch).finally(() => {
        flushing = null;
      });
      return flushing;
    },
    pending: () => [...counts.values()].reduce((a, b) => a + b, 0),
  };
}
