/** JSON values of an API's records → the pipeline's text cells (the same rules as JSON files). */
export function jsonCell(value: unknown): string | null | { problem: string } {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      // JSON.parse already rounded it: an 18-digit ID number sent as a number has lost digits.
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return { problem: `the number ${value} is too large to be exact` };
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return null;
    default:
      return value === null ? null : JSON.stringify(value);
  }
}

/** 'data.items' → page.data.items; '' → the page itself. Digits index arrays ('data.0.rows'). */
export function atPath(value: unknown, path: string): unknown {
  if (path === '' || path === '.') return value;
  let at: unknown = value;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Orders watermark values: numerically when both are numbers, else as text (ISO dates sort as text). */
export function compareWatermarks(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
