import { AppError } from '../../../errors.js';
import { targetKey } from './security/connection-target.js';

/**
 * Secrets of a source's configuration: the password in a connection URL, credential-like query
 * parameters (appKey, sign, token…) and request headers. Stored as given (the platform needs them
 * to connect), never shown again: the presenter masks them, error messages are scrubbed of them,
 * and a client that sends the masked value back keeps the stored one.
 */
export const MASK = '***';

const SECRET_PARAM = /pass|pwd|secret|token|key|sign|auth|credential|ticket/i;
// Headers are secret unless known to be harmless: API keys hide under any name.
const PLAIN_HEADERS = new Set(['accept', 'accept-language', 'accept-encoding', 'content-type', 'user-agent', 'cache-control']);

export const isSecretParam = (name: string) => SECRET_PARAM.test(name);
export const isSecretHeader = (name: string) => !PLAIN_HEADERS.has(name.toLowerCase());

/** The URL with its password and credential-like query parameters replaced by ***. */
export function maskUrl(url: string): string {
  if (!URL.canParse(url)) return MASK;
  const u = new URL(url);
  let changed = false;
  if (u.password) {
    u.password = MASK;
    changed = true;
  }
  for (const name of [...new Set(u.searchParams.keys())]) {
    if (isSecretParam(name)) {
      u.searchParams.set(name, MASK);
      changed = true;
    }
  }
  return changed ? u.toString() : url;
}

/** Where the data came from, for provenance and logs: scheme, host, port and path; no user, password or query. */
export function safeLocation(url: string): string {
  if (!URL.canParse(url)) return '(unparseable URL)';
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

export function maskHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretHeader(k) ? MASK : v]));
}

/** Masks every secret of a stored configuration (any kind: unknown fields pass through, URLs and headers are masked). */
export function maskConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  if (typeof out.url === 'string') out.url = maskUrl(out.url);
  if (out.headers && typeof out.headers === 'object') out.headers = maskHeaders(out.headers as Record<string, string>);
  return out;
}

/**
 * A client edits a source by sending back what it was shown: every *** of the new configuration
 * takes the stored value it stands for (same URL password, same query parameter, same header).
 * A stored secret only ever goes back to the connection target it was given for: the fully
 * resolved one (connection-target.ts: host, port, user, database, sslmode; HTTP: scheme, host,
 * port, user). Any change there while keeping *** would hand the secret to another place.
 */
export function restoreSecrets<T extends Record<string, unknown>>(next: T, stored: Record<string, unknown> | null): T {
  const places = maskedPlaces(next);
  if (places.length === 0) return next;
  const problem = (code: 'VALIDATION_FAILED' | 'SOURCE_SECRET_REQUIRED', why: string) =>
    new AppError(code, `body.config.${places[0]}: *** ${why}; give the secret again`, {
      errors: places.map((p) => ({ path: `body.config.${p}`, code: 'custom', message: `*** ${why}` })),
    });
  if (!stored) throw problem('VALIDATION_FAILED', 'stands for nothing stored');
  const target = targetKey(next.url);
  if (target === null || target !== targetKey(stored.url)) {
    throw problem(
      'SOURCE_SECRET_REQUIRED',
      'keeps a stored secret only for the same server and user (host, port, user, database and connection parameters unchanged)',
    );
  }

  const u = new URL(next.url as string);
  const old = new URL(stored.url as string);
  const oldHeaders = new Map(Object.entries((stored.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
  const missing = (p: string) => problem('VALIDATION_FAILED', `stands for nothing stored (${p})`);
  if (u.password === MASK) {
    if (!old.password) throw missing('url password');
    u.password = old.password;
  }
  for (const [name, value] of [...u.searchParams]) {
    if (value !== MASK) continue;
    if (!old.searchParams.has(name)) throw missing(`url parameter ${name}`);
    u.searchParams.set(name, old.searchParams.get(name)!);
  }
  const out: Record<string, unknown> = { ...next, url: places.some((p) => p.startsWith('url')) ? u.toString() : next.url };
  if (next.headers && typeof next.headers === 'object') {
    out.headers = Object.fromEntries(
      Object.entries(next.headers as Record<string, string>).map(([k, v]) => {
        if (v !== MASK) return [k, v];
        const kept = oldHeaders.get(k.toLowerCase());
        if (kept === undefined) throw missing(`header ${k}`);
        return [k, kept];
      }),
    );
  }
  return out as T;
}

/** Where a configuration still holds *** (the client sent back a masked value). */
function maskedPlaces(config: Record<string, unknown>): string[] {
  const places: string[] = [];
  if (typeof config.url === 'string' && URL.canParse(config.url)) {
    const u = new URL(config.url);
    if (u.password === MASK) places.push('url');
    for (const [name, value] of u.searchParams) if (value === MASK) places.push(`url.${name}`);
  }
  for (const [name, value] of Object.entries((config.headers ?? {}) as Record<string, string>)) if (value === MASK) places.push(`headers.${name}`);
  return places;
}

/** The secret values hidden in a configuration, for scrubbing driver and HTTP error messages. */
export function secretsOf(config: { url?: string; headers?: Record<string, string> }): string[] {
  const found: string[] = [];
  if (config.url && URL.canParse(config.url)) {
    const u = new URL(config.url);
    if (u.password) found.push(u.password, decodeURIComponent(u.password));
    for (const [name, value] of u.searchParams) if (isSecretParam(name) && value) found.push(value);
  }
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (isSecretHeader(name) && value) found.push(value, ...value.split(/\s+/).filter((part) => part.length >= 6));
  }
  return [...new Set(found.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
}

export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) out = out.split(s).join(MASK);
  return out;
}
