import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { seal } from '../../../shared/secret-box.js';

/**
 * A consumer's credentials (ADR draft: issue 10). The app key names the consumer in every call;
 * the secret is 256 random bits, so a plain SHA-256 is enough to check it (no password KDF: there
 * is nothing to guess) — the token endpoint compares hashes and never needs the secret itself.
 * HMAC signatures do need it, so it is also sealed (AES-256-GCM) with the platform key, bound to
 * the credential's id. The secret is returned once, at issue; afterwards only its last 4 characters.
 */
export type IssuedCredential = { appKey: string; secret: string; secretHash: string; secretSealed: string; secretLast4: string };

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export function issueCredential(credentialId: string, platformKeyHex: string): IssuedCredential {
  const appKey = `kja_${randomBytes(12).toString('hex')}`;
  const secret = `kjs_${randomBytes(32).toString('base64url')}`;
  return {
    appKey,
    secret,
    secretHash: hashSecret(secret),
    secretSealed: seal(secret, platformKeyHex, credentialId),
    secretLast4: secret.slice(-4),
  };
}

/** Constant-time: whether `secret` is the one whose hash is stored. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
