/**
 * A job kind: a name and the module that runs it inside a worker thread. The module exports
 * `run(input, ctx)`; input and output cross the thread boundary by structured clone (plain data:
 * objects, arrays, strings, numbers, Dates, Maps, Sets, typed arrays — never functions or class
 * instances). Defining a kind never loads its module on the calling thread.
 */
export type JobKind<I, O> = {
  readonly name: string;
  /** The handler module (`new URL('./x.job.js', import.meta.url)`); from TypeScript sources its `.ts` twin is used. */
  readonly module: URL;
  /** Phantom types: never set. */
  readonly _types?: { input: I; output: O };
};

/** What a handler gets besides its input. */
export type JobContext = {
  /** Reported to the caller's `onProgress` (throttle it: every message crosses threads). */
  progress(p: unknown): void;
  /** The worker thread's id (never the main thread's 0). */
  threadId: number;
};

export type JobHandler<I, O> = (input: I, ctx: JobContext) => Promise<O>;

export function defineJobKind<I, O>(name: string, module: URL): JobKind<I, O> {
  return Object.freeze({ name, module });
}

export type JobEndReason = 'cancelled' | 'time-limit' | 'out-of-memory' | 'crashed' | 'failed' | 'stopped';

/**
 * Why a job ended without a result, in plain words (`message` is meant for users: no stack, no
 * file path). `failed` is an error the handler threw; the others are the pool ending the worker.
 */
export class JobEnded extends Error {
  constructor(
    readonly reason: JobEndReason,
    message: string,
    /** For `failed`: the handler's error code when it threw an AppError. */
    readonly code?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'JobEnded';
  }
}
