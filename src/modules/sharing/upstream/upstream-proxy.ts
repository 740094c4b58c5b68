import { AppError } from '../../../errors.js';
import type { Clock } from '../../../shared/clock.js';
import { unseal } from '../../../shared/secret-box.js';
import type { UpstreamConfig, UpstreamProxy, UpstreamRequest, UpstreamResponse } from '../contracts.js';
import { createCircuitBreaker, type Admission, type BreakerOptions } from './circuit-breaker.js';
import { createRequestSecrets } from './request-secrets.js';
import { send, TooLarge, type Sent } from './upstream-http.js';
import { createUpstreamGuard, TargetRefused, upstreamUrl } from './upstream-target.js';
import { MAX_REFRESH_ANSWER_BYTES, readRefreshAnswer, saysSecretStale, SecretRefusal, signedParams } from './zhejiang-scheme.js';

export type UpstreamOptions = {
  /** KUAIJI_SOURCE_ALLOW's entries: addresses of this machine an upstream may reach (tests: 127.0.0.1). */
  allow?: readonly string[];
  breaker?: Pick<BreakerOptions, 'threshold' | 'cooldownMs'>;
  /** Largest upstream answer read (default 10 MB). */
  maxResponseBytes?: number;
  /** Share of a request secret's life after which it is refreshed (default 0.8). */
  refreshAt?: number;
};

export type UpstreamInterface = Parameters<UpstreamProxy['call']>[0];

export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Fails the call without counting it against the upstream (its own configuration is at fault). */
class Misconfigured extends Error {}

/**
 * The gateway's proxy to upstream interfaces (ADR draft in the sharing report): every call is
 * checked against the target guard, carries the interface's credentials (a header, or the
 * Zhejiang scheme's signed parameters with a request secret kept fresh), runs under the
 * interface's timeout and through its circuit breaker. Upstream 4xx answers pass through as
 * they are; 5xx, 401, redirects and failures become problems that never carry the upstream's body.
 */
export function createUpstreamProxy(deps: { clock: Clock; secretKey: () => string; options?: UpstreamOptions }) {
  const o = deps.options ?? {};
  const now = () => deps.clock.now().getTime();
  const maxBytes = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const guard = createUpstreamGuard(o.allow ?? []);
  const breaker = createCircuitBreaker({ ...o.breaker, now });
  const secrets = createRequestSecrets({ now, refreshAt: o.refreshAt });

  function secretOf(iface: UpstreamInterface): string {
    if (!iface.secretSealed) throw new Misconfigured('the interface has no stored secret');
    try {
      return unseal(iface.secretSealed, deps.secretKey(), iface.id);
    } catch {
      throw new Misconfigured("the interface's stored secret cannot be opened with this platform's key");
    }
  }

  async function exchange(url: URL, method: 'GET' | 'POST', headers: Record<string, string>, body: Buffer | null, signal: AbortSignal, limit = maxBytes) {
    const target = upstreamUrl(url.href);
    const address = await abortable(guard.resolve(target), signal);
    return send({ url: target.url, address, method, headers, body, signal, maxBytes: limit });
  }

  async function obtainSecret(iface: UpstreamInterface, auth: Extract<UpstreamConfig['auth'], { scheme: 'zhejiang' }>, appSecret: string) {
    const url = new URL(auth.refreshUrl);
    for (const [k, v] of Object.entries(signedParams(auth.appKey, appSecret, now()))) url.searchParams.set(k, v);
    // The refresh has its own timeout: calls that wait on it share it, each under its own deadline too.
    const answer = await exchange(url, 'GET', {}, null, AbortSignal.timeout(iface.config.timeoutMs), MAX_REFRESH_ANSWER_BYTES);
    return readRefreshAnswer(answer.status, answer.body, now());
  }

  async function attempt(iface: UpstreamInterface, req: UpstreamRequest, signal: AbortSignal): Promise<Sent> {
    const { config } = iface;
    const url = upstreamUrl(config.url).url;
    for (const [k, v] of Object.entries(req.query)) url.searchParams.set(k, v);
    const body = config.method === 'POST' ? req.body : null;
    const headers: Record<string, string> = body ? { 'content-type': req.contentType ?? 'application/octet-stream' } : {};
    const auth = config.auth;
    if (auth.scheme === 'none') return exchange(url, config.method, headers, body, signal);
    if (auth.scheme === 'header') return exchange(url, config.method, { ...headers, [auth.header.toLowerCase()]: secretOf(iface) }, body, signal);

    const appSecret = secretOf(iface);
    const fingerprint = JSON.stringify([auth.appKey, auth.refreshUrl, iface.secretSealed]);
    for (let tries = 0; ; tries++) {
      const secret = await abortable(
        secrets.get(iface.id, fingerprint, () => obtainSecret(iface, auth, appSecret)),
        signal,
      );
      const signed = new URL(url);
      for (const [k, v] of Object.entries(signedParams(auth.appKey, secret, now()))) signed.searchParams.set(k, v);
      const answer = await exchange(signed, config.method, headers, body, signal);
      // Refused as stale although we thought it fresh (the upstream restarted, or another client refreshed it): once more.
      if (tries === 0 && saysSecretStale(answer.status, answer.body)) {
        secrets.invalidate(iface.id, secret);
        continue;
      }
      return answer;
    }
  }

  function failed(iface: UpstreamInterface, detail: string, extra: Record<string, unknown> = {}) {
    return new AppError('UPSTREAM_FAILED', `the upstream interface ${iface.config.url.split('?')[0]} ${detail}`, { interfaceId: iface.id, ...extra });
  }

  /** Turns what happened into the answer or a problem, and tells the breaker. */
  function settle(iface: UpstreamInterface, admission: Admission, signal: AbortSignal, outcome: { answer: Sent } | { error: unknown }): UpstreamResponse {
    if ('answer' in outcome) {
      const { status, contentType, body } = outcome.answer;
      if (status >= 500) {
        admission.failure();
        throw failed(iface, `answered ${status}`, { upstreamStatus: status });
      }
      admission.success();
      if (status === 401) throw failed(iface, "refused the platform's credentials (401)", { upstreamStatus: status });
      if (status >= 300 && status < 400) throw failed(iface, `answered a redirect (${status}), which is not followed`, { upstreamStatus: status });
      return { status, contentType, body };
    }
    const err = outcome.error;
    if (err instanceof Misconfigured || err instanceof TargetRefused) {
      admission.abandon();
      throw failed(iface, `is not called: ${err.message}`);
    }
    admission.failure();
    if (signal.aborted || isTimeout(err)) {
      const timeoutMs = iface.config.timeoutMs;
      throw new AppError('UPSTREAM_TIMEOUT', `the upstream interface did not answer within ${timeoutMs} ms`, { interfaceId: iface.id, timeoutMs });
    }
    if (err instanceof TooLarge) throw failed(iface, `answered more than the ${maxBytes} bytes the gateway reads`);
    if (err instanceof SecretRefusal) throw failed(iface, `gave no request secret: ${err.message}`);
    throw failed(iface, `cannot be reached: ${(err as Error).message ?? String(err)}`);
  }

  const proxy = {
    async call(iface: UpstreamInterface, req: UpstreamRequest): Promise<UpstreamResponse> {
      const admission = breaker.admit(iface.id);
      if (!admission) {
        const retryAfterSeconds = Math.max(1, Math.ceil(breaker.retryAfterMs(iface.id) / 1000));
        throw new AppError('UPSTREAM_UNAVAILABLE', `the upstream interface failed repeatedly; calls resume in ${retryAfterSeconds} s`, {
          interfaceId: iface.id,
          retryAfterSeconds,
        });
      }
      const signal = AbortSignal.timeout(iface.config.timeoutMs);
      let outcome: { answer: Sent } | { error: unknown };
      try {
        outcome = { answer: await attempt(iface, req, signal) };
      } catch (error) {
        outcome = { error };
      }
      return settle(iface, admission, signal, outcome);
    },
    /** UPSTREAM_TARGET_REFUSED unless the proxy would call `url` (the interfaces' save path). */
    checkTarget: (url: string) => guard.check(url),
    /** The circuit of an interface (figures, tests). */
    circuitOf: (interfaceId: string) => breaker.stateOf(interfaceId),
  } satisfies UpstreamProxy & Record<string, unknown>;
  return proxy;
}

const isTimeout = (err: unknown): boolean =>
  err instanceof Error && (err.name === 'TimeoutError' || (err.cause instanceof Error && err.cause.name === 'TimeoutError'));

/** Waits for `promise` unless `signal` aborts first (a shared refresh outlives one caller's deadline). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

export type UpstreamProxyService = ReturnType<typeof createUpstreamProxy>;
