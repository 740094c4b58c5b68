import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 request signatures (ADR draft: issue 10). The string to sign is five lines:
 *
 *   METHOD            upper case, e.g. GET
 *   path              exactly as sent on the request line, before '?', not decoded
 *   canonical query   every name=value pair percent-decoded ('+' is a space), re-encoded per
 *                     RFC 3986 (unreserved A-Z a-z 0-9 - . _ ~ kept, all else %XX upper case),
 *                     sorted by name then value, joined by '&'; empty when there is no query
 *   timestamp         the X-Timestamp header as sent (ms since the epoch, or ISO 8601 with zone)
 *   nonce             the X-Nonce header as sent
 *
 * joined by '\n' (no trailing newline); X-Signature = base64(HMAC-SHA256(secret, that string)).
 */
export function canonicalQuery(rawQuery: string): string | null {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (name === null || value === null) return null;
    pairs.push([encode(name), encode(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The string to sign of a request, or null when its query is not validly percent-encoded. */
export function stringToSign(method: string, url: string, timestamp: string, nonce: string): string | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = canonicalQuery(q < 0 ? '' : url.slice(q + 1));
  if (query === null) return null;
  return [method.toUpperCase(), path, query, timestamp, nonce].join('\n');
}

export const sign = (secret: string, text: string): string => createHmac('sha256', secret).update(text, 'utf8').digest('base64');

/** Constant-time comparison of a given base64 (or base64url) signature with the expected one. */
export function signatureMatches(secret: string, text: string, given: string): boolean {
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(given)) return false;
  const a = Buffer.from(given, given.includes('-') || given.includes('_') ? 'base64url' : 'base64');
  const b = createHmac('sha256', secret).update(text, 'utf8').digest();
  return a.length === b.length && timingSafeEqual(a, b);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** X-Timestamp as ms since the epoch: digits (ms) or an ISO 8601 instant with its zone; null otherwise. */
export function parseTimestamp(text: string): number | null {
  if (/^\d{1,16}$/.test(text)) return Number(text);
  if (!ISO_INSTANT.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
