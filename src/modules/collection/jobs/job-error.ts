import { AppError } from '../../../errors.js';

// Absolute paths and file: URLs, with any :line:column after them (stack frames, driver messages).
const PATHS = /(?:file:\/\/)?(?:[A-Za-z]:\\[^\s:)'"]+|(?:\/[\w.@+~-]+){2,})(?::\d+)*/g;

/**
 * What a failed job tells its user in `job.error`: our own errors by code and message; file
 * errors (UnreadableFileError) as they are; anything else as "the load failed: " and the first
 * line of its message with server paths removed. Never a stack: that goes to the log only.
 */
export function plainJobError(err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.message}`.replaceAll('\u0000', '\uFFFD');
  const text = typeof err === 'string' ? err : err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : '';
  const firstLine = (
    text
      .replaceAll('\u0000', '\uFFFD')
      .split('\n')
      .find((l) => l.trim() !== '') ?? ''
  )
    .replace(PATHS, '…')
    .trim()
    .slice(0, 1000);
  if (name === 'UnreadableFileError') return firstLine;
  return `the load failed: ${firstLine || 'no reason was given'}`;
}
