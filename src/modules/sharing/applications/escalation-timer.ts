import type { Logger } from 'pino';

/** How often a serving process looks for overdue steps: deadlines are dates, so minutes late is on time enough. */
export const ESCALATION_EVERY_MS = 10 * 60_000;

/**
 * Runs `sweep` at start and every `everyMs` (unref'd: it never keeps the process alive); a failed
 * sweep is logged and retried at the next tick. Returns the function that stops it.
 */
export function startEscalationTimer(sweep: () => Promise<number>, logger: Logger, everyMs = ESCALATION_EVERY_MS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await sweep();
      if (n > 0) logger.info({ applications: n }, 'access applications overdue: escalated to the platform administrator');
    } catch (err) {
      logger.warn({ err }, 'the escalation sweep of access applications failed; it runs again at the next tick');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
