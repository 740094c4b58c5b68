import { AppError } from '../../../errors.js';
import type { Clock } from '../../../shared/clock.js';
import { andThen, type MaybePromise } from '../../../shared/maybe-promise.js';
import type { ConsumerAuthenticator, GatewayConsumer, GatewayRequestHead } from '../contracts.js';
import { signToken, tokenKey, verifyToken, type TokenClaims } from './access-token.js';
import type { CachedCredential, CredentialCache } from './credential-cache.js';
import { secretMatches } from './credentials.js';
import { createMemoryNonceStore, type NonceStore } from './nonce-store.js';
import { parseTimestamp, signatureMatches, stringToSign } from './signature.js';

export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
/** A signed request's timestamp may be this far from the server's clock, either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export type ConsumerAuthDeps = {
  cache: CredentialCache;
  clock: Clock;
  /** The platform key (hex): access tokens are signed with a key derived from it. */
  secretKey: string;
  tokenTtlSeconds?: number;
  nonces?: NonceStore;
};

export type AccessToken = { access_token: string; token_type: 'Bearer'; expires_in: number };

const bad = () => new AppError('SHARING_CREDENTIALS_INVALID', 'The app key is unknown, retired or its consumer system revoked');
const invalidSignature = (detail: string, header?: string) => new AppError('SHARING_SIGNATURE_INVALID', detail, header ? { header } : {});

function header(head: GatewayRequestHead, name: string): string | undefined {
  const v = head.headers[name];
  if (Array.isArray(v)) return v.length === 1 ? v[0] : undefined;
  return v;
}

const consumerOf = (c: CachedCredential): GatewayConsumer => c.consumer;

const expired = () => new AppError('SHARING_TOKEN_EXPIRED', 'The access token has expired: obtain a new one from POST /api/v1/sharing/token');

/** Verified tokens kept at most (a token is one entry for its 15 minutes); past it the map starts over. */
const MAX_VERIFIED_TOKENS = 10_000;

/**
 * How a consumer system proves who it is at the gateway (ConsumerAuthenticator): a bearer token
 * from `issueToken` (client credentials), or an HMAC-SHA256 signature of the request (signature.ts)
 * within a 5-minute window whose nonce was never seen. Credentials come from the credential cache
 * (at most one read per key per second; this process's writes take effect on the next call).
 */
export function createConsumerAuth(
  deps: ConsumerAuthDeps,
): ConsumerAuthenticator & { issueToken(input: { appKey: string; secret: string }): Promise<AccessToken> } {
  const key = tokenKey(deps.secretKey);
  const ttl = deps.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const nonces = deps.nonces ?? createMemoryNonceStore();

  // Tokens whose signature and claims were checked once, with their claims: a client sends the same
  // token on every call for its lifetime, and the HMAC, base64url and JSON of a check cost more than
  // the rest of authentication. What may change between calls is still checked on every call:
  // expiry here, and the credential (rotated, retired, consumer revoked) through the credential cache.
  const verified = new Map<string, TokenClaims>();

  function claimsOf(token: string, nowMs: number): TokenClaims {
    let claims = verified.get(token);
    if (claims === undefined) {
      const check = verifyToken(key, token, nowMs);
      if (!check.ok) {
        if (check.reason === 'expired') throw expired();
        throw new AppError('INVALID_TOKEN', 'The bearer token is not an access token this platform issued');
      }
      claims = check.claims;
      if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
      verified.set(token, claims);
    }
    if (Math.floor(nowMs / 1000) >= claims.exp) {
      verified.delete(token);
      throw expired();
    }
    return claims;
  }

  function byToken(token: string): MaybePromise<GatewayConsumer> {
    const claims = claimsOf(token, deps.clock.now().getTime());
    return andThen(deps.cache.byId(claims.cid), (cred) => {
      if (!cred || !cred.live || cred.consumerId !== claims.sub) throw bad();
      return cred.consumer;
    });
  }

  async function bySignature(head: GatewayRequestHead): Promise<GatewayConsumer> {
    const appKey = header(head, 'x-app-key');
    const timestamp = header(head, 'x-timestamp');
    const nonce = header(head, 'x-nonce');
    const signature = header(head, 'x-signature');
    if (!appKey) throw invalidSignature('A signed call needs X-App-Key', 'X-App-Key');
    if (!timestamp) throw invalidSignature('A signed call needs X-Timestamp (ms since the epoch, or ISO 8601)', 'X-Timestamp');
    if (!nonce || !/^[\x21-\x7e]{8,128}$/.test(nonce))
      throw invalidSignature('A signed call needs X-Nonce: 8 to 128 printable ASCII characters, new for every call', 'X-Nonce');
    if (!signature) throw invalidSignature('A signed call needs X-Signature', 'X-Signature');
    const at = parseTimestamp(timestamp);
    if (at === null) throw invalidSignature('X-Timestamp must be ms since the epoch or an ISO 8601 instant with its zone', 'X-Timestamp');
    const now = deps.clock.now().getTime();
    if (Math.abs(now - at) > SIGNATURE_WINDOW_MS) {
      throw new AppError('SHARING_SIGNATURE_EXPIRED', `X-Timestamp is ${Math.round((at - now) / 1000)} s from the server's clock; at most 300 s is accepted`, {
        skewMs: at - now,
      });
    }
    const cred = await deps.cache.byAppKey(appKey);
    if (!cred || !cred.live) throw bad();
    const text = stringToSign(head.method, head.url, timestamp, nonce);
    if (text === null) throw invalidSignature('The query string is not validly percent-encoded');
    if (!signatureMatches(cred.secret(), text, signature)) {
      throw invalidSignature(
        "X-Signature is not the HMAC-SHA256 of METHOD\\npath\\ncanonical query\\ntimestamp\\nnonce with this app key's secret",
        'X-Signature',
      );
    }
    // Only a valid signature spends its nonce: nobody else can burn a consumer's nonces.
    if (!(await nonces.claim(appKey, nonce, at + SIGNATURE_WINDOW_MS, now)))
      throw new AppError('SHARING_NONCE_REPLAYED', 'This X-Nonce was used before: a replayed request is refused');
    return consumerOf(cred);
  }

  function authenticateNow(head: GatewayRequestHead): MaybePromise<GatewayConsumer> {
    const authorization = header(head, 'authorization');
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!m) throw new AppError('INVALID_TOKEN', 'The Authorization header must be "Bearer <access token>"');
      return byToken(m[1]!);
    }
    if (head.headers['x-app-key'] !== undefined || head.headers['x-signature'] !== undefined) return bySignature(head);
    throw new AppError(
      'UNAUTHENTICATED',
      'A gateway call needs a bearer access token (POST /api/v1/sharing/token) or an HMAC signature (X-App-Key, X-Timestamp, X-Nonce, X-Signature)',
    );
  }

  return {
    // One implementation: a check that failed at once still reaches these callers as a rejection.
    authenticate: async (head) => authenticateNow(head),
    authenticateNow,

    /** Client credentials → a short-lived bearer token; the secret is compared by its hash. */
    async issueToken(input) {
      const cred = await deps.cache.byAppKey(input.appKey);
      if (!cred || !cred.live || !secretMatches(input.secret, cred.secretHash)) {
        throw new AppError('SHARING_CREDENTIALS_INVALID', 'The app key or secret is wrong, retired, or its consumer system revoked');
      }
      const token = signToken(key, { consumerId: cred.consumerId, credentialId: cred.credentialId, nowMs: deps.clock.now().getTime(), ttlSeconds: ttl });
      return { access_token: token, token_type: 'Bearer', expires_in: ttl };
    },
  };
}

export type ConsumerAuth = ReturnType<typeof createConsumerAuth>;
