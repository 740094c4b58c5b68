/**
 * One circuit per upstream interface. Closed: calls pass and consecutive failures are counted;
 * `threshold` of them in a row open it. Open: calls fail fast (the upstream is not touched) until
 * `cooldownMs` has passed. Half-open: one trial call passes, the others still fail fast; the
 * trial's success closes the circuit, its failure opens it for another cooldown.
 */
export type BreakerOptions = {
  /** Consecutive failures that open the circuit (default 5). */
  threshold?: number;
  /** How long an open circuit refuses calls before a trial (default 30 s). */
  cooldownMs?: number;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
};

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What `admit` hands the caller: report the call's outcome exactly once. */
export type Admission = {
  success(): void;
  failure(): void;
  /** The call never reached the upstream (its configuration is at fault): neither outcome counts. */
  abandon(): void;
};

type Circuit = { failures: number; openedAt: number | null; trialInFlight: boolean };

export const DEFAULT_BREAKER = { threshold: 5, cooldownMs: 30_000 } as const;

export function createCircuitBreaker(options: BreakerOptions = {}) {
  const threshold = options.threshold ?? DEFAULT_BREAKER.threshold;
  const cooldownMs = options.cooldownMs ?? DEFAULT_BREAKER.cooldownMs;
  const now = options.now ?? Date.now;
  const circuits = new Map<string, Circuit>();

  const circuitOf = (key: string) => {
    let c = circuits.get(key);
    if (!c) circuits.set(key, (c = { failures: 0, openedAt: null, trialInFlight: false }));
    return c;
  };

  function stateOf(key: string): CircuitState {
    const c = circuits.get(key);
    if (!c || c.openedAt === null) return 'closed';
    return now() - c.openedAt >= cooldownMs ? 'half-open' : 'open';
  }

  return {
    stateOf,

    /** Milliseconds until an open circuit lets a trial through (0 when it would now). */
    retryAfterMs(key: string): number {
      const c = circuits.get(key);
      return c?.openedAt == null ? 0 : Math.max(0, c.openedAt + cooldownMs - now());
    },

    /** An admission for one call, or null when the call must fail fast. */
    admit(key: string): Admission | null {
      const c = circuitOf(key);
      const state = stateOf(key);
      if (state === 'open') return null;
      const trial = state === 'half-open';
      if (trial) {
        if (c.trialInFlight) return null;
        c.trialInFlight = true;
      }
      let reported = false;
      const once = (fn: () => void) => () => {
        if (reported) return;
        reported = true;
        if (trial) c.trialInFlight = false;
        fn();
      };
      return {
        success: once(() => {
          c.failures = 0;
          c.openedAt = null;
        }),
        failure: once(() => {
          c.failures += 1;
          // A failed trial reopens at once; a closed circuit opens at the threshold.
          if (trial || c.failures >= threshold) c.openedAt = now();
        }),
        abandon: once(() => undefined),
      };
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
