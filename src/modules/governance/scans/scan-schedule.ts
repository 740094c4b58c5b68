import type { Clock } from '../../../shared/clock.js';
// Scheduled times are China Standard Time (UTC+8, no daylight saving), the platform's clock for
// deadlines and weeks, whatever the server's time zone.
import { chinaMidnightBefore, DAY_MS } from '../../../shared/china-time.js';

export const SCAN_SCHEDULE = /^(off|([01]\d|2[0-3]):[0-5]\d)$/;

/** `HH:MM` → minutes after midnight; `off` → null. */
export function parseScanSchedule(text: string): number | null {
  if (!SCAN_SCHEDULE.test(text)) throw new RangeError(`'${text}' is not a daily time HH:MM (00:00–23:59) or off`);
  if (text === 'off') return null;
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** The latest scheduled instant at or before `now` (today's time in China, or yesterday's). */
export function lastSlot(now: Date, minuteOfDay: number): Date {
  let slot = chinaMidnightBefore(now.getTime()) + minuteOfDay * 60_000;
  if (slot > now.getTime()) slot -= DAY_MS;
  return new Date(slot);
}

export type ScheduledScans = {
  /** Whether a scan of every resource is queued or running. */
  scanOfAllInProgress(): Promise<boolean>;
  /** Starts a scan of every collected resource (answers once it is queued). */
  startScanOfAll(): Promise<{ id: string }>;
};

export type ScanTick = { due: boolean; started: string | null; skipped?: 'in-progress' };

/**
 * Scans everything once a day at a set time. `tick()` is one look at the injected clock (tests
 * call it after moving the clock); `start()` repeats it every minute on an unref'd timer. A tick
 * is due when the day's time passed since the previous tick (or since `start()`), so a process
 * that was down at that time does not make up for it at boot, in office hours; the next day's
 * slot is kept. A due tick starts nothing while a scan of everything is queued or running.
 */
export function createScanScheduler(options: {
  scans: ScheduledScans;
  clock: Clock;
  /** Minutes after midnight, China Standard Time. */
  minuteOfDay: number;
  intervalMs?: number;
  onTick?: (t: ScanTick) => void;
  onError?: (err: unknown) => void;
}) {
  let timer: NodeJS.Timeout | null = null;
  let since = options.clock.now();
  let running: Promise<ScanTick> | null = null;

  async function look(): Promise<ScanTick> {
    const now = options.clock.now();
    const slot = lastSlot(now, options.minuteOfDay);
    const due = slot > since && slot <= now;
    since = now;
    if (!due) return { due, started: null };
    if (await options.scans.scanOfAllInProgress()) return { due, started: null, skipped: 'in-progress' };
    return { due, started: (await options.scans.startScanOfAll()).id };
  }

  async function tick(): Promise<ScanTick> {
    if (running) return running;
    running = look();
    try {
      const t = await running;
      if (t.due) options.onTick?.(t);
      return t;
    } finally {
      running = null;
    }
  }

  return {
    tick,
    start() {
      if (timer) return;
      since = options.clock.now();
      timer = setInterval(() => void tick().catch((err: unknown) => options.onError?.(err)), options.intervalMs ?? 60_000);
      timer.unref();
    },
    /** Stops the timer and waits for a tick in progress (the scan it started runs on; the module waits for scans). */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type ScanScheduler = ReturnType<typeof createScanScheduler>;
