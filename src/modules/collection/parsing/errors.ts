/**
 * Thrown only when a file cannot be read at all (not an XLSX archive, not a JSON array, …).
 * A single bad row is never thrown: it becomes a RejectedRow.
 */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
}
