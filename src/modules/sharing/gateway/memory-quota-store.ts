import { countersAt, createSweeper, refused, type QuotaLimits, type QuotaStore, type QuotaVerdict } from './quota-windows.js';

type Count = { id: string; n: number; endsAt: number };

/**
 * Call counters in this process's memory: exact for one gateway process (the embedded default).
 * Several processes must share Redis (redis-quota-store.ts), or each would allow the full quota.
 * Memory stays bounded: one slot per subject and window, replaced when its window turns over, and
 * subjects whose windows have all ended are swept once a minute.
 */
export function createMemoryQuotaStore(): QuotaStore {
  const counts = new Map<string, Map<string, Count>>();
  const sweep = createSweeper(counts);

  return {
    take(subject: string, limits: QuotaLimits, now: number): QuotaVerdict {
      sweep(now);
      const counters = countersAt(now, limits);
      if (counters.length === 0) return { ok: true };
      let slots = counts.get(subject);
      if (!slots) counts.set(subject, (slots = new Map()));
      const current = counters.map((c) => {
        const slot = slots.get(c.window);
        return slot && slot.id === c.id ? slot : undefined;
      });
      // Refuse on the window that stays full longest (month before day before second).
      let worst: QuotaVerdict | null = null;
      counters.forEach((c, i) => {
        if ((current[i]?.n ?? 0) >= c.limit) worst = refused(c, now);
      });
      if (worst) return worst;
      counters.forEach((c, i) => {
        const slot = current[i];
        if (slot) slot.n += 1;
        else slots.set(c.window, { id: c.id, n: 1, endsAt: c.endsAt });
      });
      return { ok: true };
    },
    async close() {
      counts.clear();
    },
  };
}
