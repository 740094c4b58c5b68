import type { MaybePromise } from '../../../shared/maybe-promise.js';

/**
 * The windows calls are counted in: one second, the calendar day and the calendar month in
 * Asia/Shanghai (UTC+8 all year: China has kept no daylight saving time since 1991, so a fixed
 * offset is exact and needs no time-zone database on the hot path).
 */
import { CHINA_OFFSET_MS } from '../../../shared/china-time.js';

export type QuotaLimits = { perSecond: number | null; perDay: number | null; perMonth: number | null };
export type QuotaWindow = 'second' | 'day' | 'month';

/** One counter: which window, its id (part of the counter's key), its limit, and when it ends. */
export type QuotaCounter = { window: QuotaWindow; id: string; limit: number; endsAt: number };

export type QuotaVerdict = { ok: true } | { ok: false; window: QuotaWindow; limit: number; retryAfterS: number };

/** The counters a call at `now` (ms since the epoch) takes one from; windows without a limit are not counted. */
export function countersAt(now: number, limits: QuotaLimits): QuotaCounter[] {
  const local = new Date(now + CHINA_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  const out: QuotaCounter[] = [];
  if (limits.perSecond !== null) {
    const second = Math.floor(now / 1000);
    out.push({ window: 'second', id: `s${second}`, limit: limits.perSecond, endsAt: (second + 1) * 1000 });
  }
  if (limits.perDay !== null) {
    const day = local.toISOString().slice(0, 10);
    out.push({ window: 'day', id: `d${day}`, limit: limits.perDay, endsAt: Date.UTC(y, m, d + 1) - CHINA_OFFSET_MS });
  }
  if (limits.perMonth !== null) {
    const month = local.toISOString().slice(0, 7);
    out.push({ window: 'month', id: `m${month}`, limit: limits.perMonth, endsAt: Date.UTC(y, m + 1, 1) - CHINA_OFFSET_MS });
  }
  return out;
}

/**
 * A quota store's sweep of what it keeps per subject and window: once a minute at most, drops the
 * slots of windows that have ended, then subjects left with none, so memory stays bounded by the
 * subjects called lately.
 */
export function createSweeper<W>(bySubject: Map<string, Map<W, { endsAt: number }>>): (now: number) => void {
  let sweptAt = 0;
  return (now) => {
    if (now - sweptAt < 60_000) return;
    sweptAt = now;
    for (const [subject, slots] of bySubject) {
      for (const [window, slot] of slots) if (slot.endsAt <= now) slots.delete(window);
      if (slots.size === 0) bySubject.delete(subject);
    }
  };
}

export function refused(counter: QuotaCounter, now: number): QuotaVerdict {
  return { ok: false, window: counter.window, limit: counter.limit, retryAfterS: Math.max(1, Math.ceil((counter.endsAt - now) / 1000)) };
}

/**
 * The call counters of the gateway, per consumer per interface (`subject`). `take` counts one
 * call in every window that has a limit, atomically: when any window is full, nothing is counted
 * and the fullest-lasting refusal is answered (a refused call does not use up quota).
 */
export interface QuotaStore {
  /** One call from `subject`'s counters, or the window that refuses it. In memory: answered at once. */
  take(subject: string, limits: QuotaLimits, now: number): MaybePromise<QuotaVerdict>;
  close(): Promise<void>;
}
