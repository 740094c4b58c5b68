import { AppError } from '../../../errors.js';

export const PURPOSE_HEADER = 'x-purpose';

const required = (detail: string) => new AppError('GATEWAY_PURPOSE_REQUIRED', detail, { header: 'X-Purpose' });

/**
 * The purpose a call states (用途; cf. X-Road's `X-Road-Issue`, e-licence `useCause`): the
 * `X-Purpose` header, UTF-8 sent raw or URL-encoded (HTTP headers are Latin-1 on the wire, so
 * most clients encode Chinese text). 2–500 characters after decoding and trimming.
 */
export function purposeOf(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  const raw = headers[PURPOSE_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value.trim() === '') throw required('A gateway call must state its purpose in the X-Purpose header');
  // A consumer states the same few purposes on call after call: each header value is decoded and checked once.
  const known = accepted.get(value);
  if (known !== undefined) return known;
  const text = decoded(value);
  if (accepted.size >= MAX_ACCEPTED) accepted.clear();
  accepted.set(value, text);
  return text;
}

/** Header values already accepted, with their purpose text; past MAX_ACCEPTED the map starts over. */
const accepted = new Map<string, string>();
const MAX_ACCEPTED = 1000;

function decoded(value: string): string {
  let text = value;
  if (value.includes('%')) {
    try {
      text = decodeURIComponent(value);
    } catch {
      throw required('X-Purpose is not valid URL-encoded UTF-8');
    }
  } else if (/[\u0080-\u00ff]/.test(value)) {
    // Raw UTF-8 bytes arrive as Latin-1 characters: read them back as UTF-8.
    const decoded = Buffer.from(value, 'latin1').toString('utf8');
    if (!decoded.includes('\ufffd')) text = decoded;
  }
  text = text.trim();
  const length = Array.from(text).length;
  if (length < 2 || length > 500) throw required(`X-Purpose must be 2 to 500 characters (it is ${length})`);
  if (Array.from(text).some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw required('X-Purpose may not contain control characters');
  return text;
}
