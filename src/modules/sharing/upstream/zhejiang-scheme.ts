import { createHash } from 'node:crypto';

/**
 * Zhejiang's provincial interfaces (DOMAIN.md §6). The platform holds an appKey and appSecret;
 * it obtains a request secret from the refresh URL with `appKey`, `requestTime` (ms) and
 * `sign = md5(appKey + appSecret + requestTime)`, valid about 15 minutes; each data call carries
 * `appKey`, `requestTime` and `sign = md5(appKey + requestSecret + requestTime)`.
 */
export const md5Hex = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export const zhejiangSign = (appKey: string, secret: string, requestTime: number) => md5Hex(`${appKey}${secret}${requestTime}`);

/** The three parameters a signed call carries. */
export function signedParams(appKey: string, secret: string, requestTime: number): Record<string, string> {
  return { appKey, requestTime: String(requestTime), sign: zhejiangSign(appKey, secret, requestTime) };
}

export const DEFAULT_SECRET_LIFE_MS = 15 * 60_000;
/** A refresh answer read beyond this is not a refresh answer. */
export const MAX_REFRESH_ANSWER_BYTES = 64 * 1024;

export class SecretRefusal extends Error {}

const SUCCESS_CODES = new Set(['00', '0', '200']);

type Answer = { code?: unknown; msg?: unknown; message?: unknown; datas?: unknown; data?: unknown };

function parseJson(body: Buffer): Answer | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' ? (value as Answer) : null;
  } catch {
    return null;
  }
}

/**
 * The refresh URL's answer: `{"code":"00","datas":{"requestSecret":"…","requestSecretEndTime":<ms>}}`
 * (`data` is read too). The end time is the upstream's clock: one that is past or more than a day
 * ahead of ours is not trusted and the secret is given the usual 15 minutes.
 */
export function readRefreshAnswer(status: number, body: Buffer, now: number): { value: string; expiresAt: number } {
  const answer = status === 200 ? parseJson(body) : null;
  if (!answer) throw new SecretRefusal(`the refresh URL answered ${status} without a JSON object`);
  const code = answer.code === undefined ? null : String(answer.code);
  const payload = (answer.datas ?? answer.data) as { requestSecret?: unknown; requestSecretEndTime?: unknown } | undefined;
  if ((code !== null && !SUCCESS_CODES.has(code)) || typeof payload?.requestSecret !== 'string' || payload.requestSecret === '') {
    const msg = String(answer.msg ?? answer.message ?? '').slice(0, 200);
    throw new SecretRefusal(`the refresh URL gave no request secret (code ${code ?? 'none'}${msg ? `: ${msg}` : ''})`);
  }
  const end = Number(payload.requestSecretEndTime);
  const trusted = Number.isFinite(end) && end > now && end <= now + 24 * 3_600_000;
  return { value: payload.requestSecret, expiresAt: trusted ? end : now + DEFAULT_SECRET_LIFE_MS };
}

const STALE_WORDS = /(requestSecret|secret|sign|签名|密钥|秘钥)/i;
const STALE_STATES = /(过期|失效|无效|错误|invalid|expired|mismatch)/i;

/**
 * Whether a data call's answer says the request secret is stale. The provincial platform answers
 * with HTTP 200 and a JSON code and message whose codes differ between its versions, so the
 * message is read: a non-success code whose message speaks of the secret or sign as expired or
 * invalid; and HTTP 401. A wrong guess costs one refresh and one repeated call, never more.
 */
export function saysSecretStale(status: number, body: Buffer): boolean {
  if (status === 401) return true;
  if (status !== 200 || body.length > MAX_REFRESH_ANSWER_BYTES) return false;
  const answer = parseJson(body);
  if (!answer || answer.code === undefined || SUCCESS_CODES.has(String(answer.code))) return false;
  const msg = String(answer.msg ?? answer.message ?? '');
  return STALE_WORDS.test(msg) && STALE_STATES.test(msg);
}
