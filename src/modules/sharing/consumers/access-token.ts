import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The consumer's short-lived bearer token: a JWT (RFC 7519) signed with HS256 by a key derived
 * (HKDF-SHA256) from the platform key, so every process sharing the platform key verifies it
 * without a database read. Only this exact header is accepted (no `alg` negotiation). Claims:
 * iss "kuaiji", aud "kuaiji-gateway", sub the consumer id, cid the credential id (a rotation or
 * revocation makes the token fail on the next call, via the credential cache), iat, exp, jti.
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const ISSUER = 'kuaiji';
const AUDIENCE = 'kuaiji-gateway';

export type TokenClaims = { sub: string; cid: string; iat: number; exp: number };

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** The signing key of tokens: its own key, derived from the platform key (hex), never the platform key itself. */
export function tokenKey(platformKeyHex: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(platformKeyHex, 'hex'), Buffer.alloc(0), 'kuaiji/sharing/access-token/v1', 32));
}

const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

export function signToken(key: Buffer, claims: { consumerId: string; credentialId: string; nowMs: number; ttlSeconds: number }): string {
  const iat = Math.floor(claims.nowMs / 1000);
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: claims.consumerId,
    cid: claims.credentialId,
    iat,
    exp: iat + claims.ttlSeconds,
    jti: randomBytes(9).toString('base64url'),
  };
  const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** Checks the signature first, then the claims; `exp` is exclusive (a token is dead at its exp second). */
export function verifyToken(key: Buffer, token: string, nowMs: number): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(parts[2]!, 'base64url');
  const expected = mac(key, `${parts[0]}.${parts[1]}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { sub, cid, iat, exp } = claims;
  if (
    claims.iss !== ISSUER ||
    claims.aud !== AUDIENCE ||
    typeof sub !== 'string' ||
    typeof cid !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (Math.floor(nowMs / 1000) >= exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { sub, cid, iat, exp } };
}
