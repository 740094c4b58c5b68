import { AppError } from '../../../errors.js';
import { chinaDate, secondsToChinaMidnight } from '../../../shared/china-time.js';

export type AppLimits = { id: string; ratePerSecond: number; quotaPerDay: number };

/**
 * Rate limits of open-API app keys, in this process's memory: a fixed one-second window and a
 * daily quota (Beijing calendar day). The day's count starts from what the database holds, so a
 * restart keeps the quota; accepted calls are written back by `drain()` (the periodic flush),
 * so a crash loses at most one flush interval of counts. Several serving processes (ADR 0039) each
 * keep their own per-second window (documented limitation); the day's count is read again after
 * each flush (`resync()`), so it holds every process's written calls and the quota is overshot by
 * at most what the processes accept within one flush interval. Only accepted calls count.
 */
export function createAppRateLimiter(deps: { now: () => number; loadDayCalls: (appId: string, day: string) => Promise<number> }) {
  const seconds = new Map<string, { second: number; n: number }>();
  const days = new Map<string, { day: string; base: Promise<number>; taken: number; pending: number }>();
  let unsent: { app_id: string; day: string; calls: number }[] = [];

  function dayOf(appId: string, day: string) {
    let d = days.get(appId);
    if (!d || d.day !== day) {
      const base = deps.loadDayCalls(appId, day);
      d = { day, base, taken: 0, pending: 0 };
      days.set(appId, d);
      // A failed read is not remembered: the next call reads again.
      base.catch(() => days.get(appId)?.base === base && days.delete(appId));
    }
    return d;
  }

  return {
    /** Counts one call, or throws 429 OPEN_RATE_LIMITED with the seconds to wait. */
    async take(app: AppLimits): Promise<void> {
      const now = deps.now();
      const d = dayOf(app.id, chinaDate(now));
      const base = await d.base;
      if (base + d.taken >= app.quotaPerDay) {
        const retryAfterSeconds = secondsToChinaMidnight(now);
        throw new AppError('OPEN_RATE_LIMITED', `The app's daily quota of ${app.quotaPerDay} calls is used up; it renews at midnight (Beijing time)`, {
          limit: 'day',
          quota: app.quotaPerDay,
          retryAfterSeconds,
        });
      }
      const second = Math.floor(now / 1000);
      const s = seconds.get(app.id);
      if (s && s.second === second && s.n >= app.ratePerSecond) {
        throw new AppError('OPEN_RATE_LIMITED', `The app may make ${app.ratePerSecond} calls per second`, {
          limit: 'second',
          quota: app.ratePerSecond,
          retryAfterSeconds: 1,
        });
      }
      if (s && s.second === second) s.n++;
      else seconds.set(app.id, { second, n: 1 });
      d.taken++;
      d.pending++;
    },
    /** Accepted calls not yet written, per (app, day); the counters forget them. */
    drain(): { app_id: string; day: string; calls: number }[] {
      const merged = new Map<string, { app_id: string; day: string; calls: number }>();
      const add = (r: { app_id: string; day: string; calls: number }) => {
        const key = `${r.app_id}|${r.day}`;
        const m = merged.get(key);
        if (m) m.calls += r.calls;
        else merged.set(key, { ...r });
      };
      unsent.forEach(add);
      unsent = [];
      for (const [appId, d] of days) {
        if (d.pending > 0) add({ app_id: appId, day: d.day, calls: d.pending });
        d.pending = 0;
      }
      const out = [...merged.values()];
      // Yesterday's windows and counters are not needed any more.
      const today = chinaDate(deps.now());
      for (const [appId, d] of days) if (d.day !== today) days.delete(appId);
      const second = Math.floor(deps.now() / 1000);
      for (const [appId, s] of seconds) if (s.second !== second) seconds.delete(appId);
      return out;
    },
    /**
     * After a flush was written: each app's count of today is read again from the database, which
     * now holds this process's drained calls and every other process's flushed ones; the calls
     * accepted since the drain stay counted on top. A read that fails keeps the count as it was.
     */
    async resync(): Promise<void> {
      const today = chinaDate(deps.now());
      await Promise.all(
        [...days].map(async ([appId, d]) => {
          if (d.day !== today) return;
          let written: number;
          try {
            written = await deps.loadDayCalls(appId, d.day);
          } catch {
            return;
          }
          // Forgotten, or a new day, meanwhile: that entry reads its own count.
          if (days.get(appId) !== d) return;
          d.base = Promise.resolve(written);
          d.taken = d.pending;
        }),
      );
    },
    /** Calls written back failed: count them again at the next drain. */
    restore(rows: { app_id: string; day: string; calls: number }[]) {
      unsent.push(...rows);
    },
    forget(appId: string) {
      days.delete(appId);
      seconds.delete(appId);
    },
  };
}

export type AppRateLimiter = ReturnType<typeof createAppRateLimiter>;
