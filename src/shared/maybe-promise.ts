/**
 * A value that is often ready at once (a cache hit) and sometimes has to be waited for (a read).
 * Hot paths (the sharing gateway) chain such steps with `andThen` so that a call whose steps all
 * hit their caches runs straight through, without a promise and a microtask turn per step; a step
 * that must wait makes the rest of the chain wait with it. An error thrown by a step that ran at
 * once is thrown at once: callers that promise a rejection wrap the chain in an async function.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` at once when `value` is ready, after it settles when it is a promise. */
export function andThen<T, R>(value: MaybePromise<T>, next: (ready: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
