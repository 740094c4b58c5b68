import type { Clock } from '../../../shared/clock.js';
import type { ScheduledRun, SourcesService } from './sources.service.js';

export type SchedulerOptions = {
  sources: Pick<SourcesService, 'runDue'>;
  clock: Clock;
  /** How often to look for due sources; realtime (01) sources are due every minute. Default 30 s. */
  intervalMs?: number;
  /** Told about every run that could not be submitted, and about a tick that failed as a whole. */
  onError?: (err: unknown, run?: ScheduledRun) => void;
};

/**
 * Triggers due sources. `tick()` does one pass (tests call it with a fixed clock); `start()`
 * repeats it on an unref'd timer, so a running scheduler never keeps the process alive. A tick
 * still running when the timer fires again is not started twice.
 */
export function createScheduler(options: SchedulerOptions) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<ScheduledRun[]> | null = null;

  async function tick(): Promise<ScheduledRun[]> {
    if (running) return running;
    running = (async () => {
      try {
        const runs = await options.sources.runDue(options.clock.now());
        for (const r of runs) if (r.error) options.onError?.(new Error(r.error), r);
        return runs;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => void tick().catch((err: unknown) => options.onError?.(err)), options.intervalMs ?? 30_000);
      timer.unref();
    },
    /** Stops the timer and waits for a tick in progress. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
