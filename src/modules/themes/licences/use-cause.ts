import { AppError } from '../../../errors.js';

export const USE_CAUSE_HEADER = 'x-use-cause';
/** Share-service query DTOs cap 申请事由 at 200 characters (research/cn-gov-platform.md §4.4). */
const MAX = 200;

const required = (detail: string) => new AppError('USE_CAUSE_REQUIRED', detail, { header: 'X-Use-Cause', query: 'useCause' });

function decode(value: string): string {
  if (value.includes('%')) {
    try {
      return decodeURIComponent(value);
    } catch {
      throw required('X-Use-Cause is not valid URL-encoded UTF-8');
    }
  }
  // Raw UTF-8 bytes in a header arrive as Latin-1 characters: read them back as UTF-8.
  if (/[\u0080-\u00ff]/.test(value)) {
    const decoded = Buffer.from(value, 'latin1').toString('utf8');
    if (!decoded.includes('\ufffd')) return decoded;
  }
  return value;
}

/**
 * The use reason of an e-licence read (用证事由, DOMAIN.md §8): the `X-Use-Cause` header (UTF-8,
 * raw or URL-encoded, as X-Purpose) or the `useCause` query parameter (already decoded); the
 * header wins when both are sent. 2–200 characters after trimming, no control characters.
 */
export function useCauseOf(headers: Readonly<Record<string, string | string[] | undefined>>, query: string | undefined): string {
  const raw = headers[USE_CAUSE_HEADER];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const fromHeader = header !== undefined && header.trim() !== '';
  if (!fromHeader && (query === undefined || query.trim() === '')) {
    throw required('Every e-licence read must state its use reason (用证事由): the X-Use-Cause header or the useCause query parameter');
  }
  const text = (fromHeader ? decode(header) : query!).trim();
  const chars = Array.from(text);
  if (chars.length < 2 || chars.length > MAX) throw required(`The use reason must be 2 to ${MAX} characters (it is ${chars.length})`);
  if (chars.some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw required('The use reason may not contain control characters');
  return text;
}
