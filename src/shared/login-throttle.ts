import { AppError, type ErrorCode } from '../errors.js';

export type ThrottleOptions = {
  /** Failures of one username, and of one client address, allowed inside the window (Infinity: not counted). */
  perUsername: number;
  perAddress: number;
  windowMs: number;
};

export const DEFAULT_LOGIN_THROTTLE: ThrottleOptions = { perUsername: 5, perAddress: 30, windowMs: 15 * 60_000 };

/**
 * Where failed logins are counted: this process's memory (createLoginThrottle), or Redis when
 * KUAIJI_REDIS_URL is set, shared by every serving process (redis-login-throttle.ts, ADR 0039).
 */
export type LoginThrottle = {
  /** 429 when the username or the address is past its limit. */
  assertAllowed(username: string, address: string): Promise<void>;
  failed(username: string, address: string): Promise<void>;
  succeeded(username: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * Failed logins counted per username and per client address over a sliding window, in this
 * process's memory (a restart forgets them; several processes each count their own). Past the
 * limit, logins of that name or from that address answer 429 with `code` (the open portal's
 * OPEN_LOGIN_THROTTLED, the console's LOGIN_THROTTLED) and Retry-After until the oldest failure
 * leaves the window — even with the right password, so guessing cannot continue at full speed.
 * A success clears the username's failures. Shared by the open portal's users and the staff
 * console's sign-in (which counts addresses only: its accounts lock in the database).
 */
export function createLoginThrottle(
  now: () => number,
  options: ThrottleOptions = DEFAULT_LOGIN_THROTTLE,
  code: ErrorCode = 'OPEN_LOGIN_THROTTLED',
): LoginThrottle {
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cut = now() - options.windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cut);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };

  function check(key: string, limit: number) {
    if (limit === Infinity) return;
    const list = recent(key);
    if (list.length < limit) return;
    throw throttled(code, list[0]!, options, now());
  }

  return {
    async assertAllowed(username: string, address: string) {
      check(`u:${username}`, options.perUsername);
      check(`a:${address}`, options.perAddress);
    },
    async failed(username: string, address: string) {
      const at = now();
      // Keys are pruned when read; a flood of new addresses is swept here so memory stays bounded.
      if (failures.size > 50_000) for (const key of [...failures.keys()]) recent(key);
      if (options.perUsername !== Infinity) failures.set(`u:${username}`, [...recent(`u:${username}`), at]);
      if (options.perAddress !== Infinity) failures.set(`a:${address}`, [...recent(`a:${address}`), at]);
    },
    async succeeded(username: string) {
      failures.delete(`u:${username}`);
    },
    async close() {
      failures.clear();
    },
  };
}

/** The retry-after refusal both throttles answer once a key is past its limit. */
export function throttled(code: ErrorCode, oldestFailureAt: number, options: ThrottleOptions, now: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((oldestFailureAt + options.windowMs - now) / 1000));
  return new AppError(code, `Too many failed logins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
