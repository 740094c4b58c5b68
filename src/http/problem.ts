import type { Socket } from 'node:net';
import { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { newId } from '../shared/ids.js';
import { chineseTitle } from '../shared/problem-titles.js';
import { isDatabaseBusy } from '../storage/driver-errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Whether a request's Accept-Language prefers Chinese (its highest-weighted language is zh or a
 * zh-… tag): its problems then carry the Chinese title of their code (shared/problem-titles.zh-CN.json,
 * the same words the web UI shows). `detail` stays in English: it is written where the error
 * arises, with the names and values of the case.
 */
export function prefersChinese(acceptLanguage: string | undefined): boolean {
  let best: { tag: string; q: number } | null = null;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!tag || !Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { tag: tag.toLowerCase(), q };
  }
  return best !== null && (best.tag === 'zh' || best.tag.startsWith('zh-'));
}

/** Fastify's own errors that map onto our closed set. */
const FASTIFY_CODES: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new AppError('MALFORMED_JSON', 'The request body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AppError('MALFORMED_JSON', 'The request body is empty but Content-Type is JSON'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new AppError('UNSUPPORTED_MEDIA_TYPE', 'This endpoint does not accept that Content-Type'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new AppError('VALIDATION_FAILED', 'Content-Length does not match the body'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError('PAYLOAD_TOO_LARGE', 'The request body exceeds the configured limit'),
  FST_ERR_BAD_URL: () => new AppError('MALFORMED_URL', 'The URL is not validly percent-encoded'),
  FST_ERR_MAX_PARAM_LENGTH: () => new AppError('VALIDATION_FAILED', 'A path parameter is longer than the server accepts'),
};

export function zodToAppError(err: z.ZodError, where: 'body' | 'query' | 'params'): AppError {
  const errors = err.issues.map((i) => {
    const base = [where, ...i.path.map(String)].join('.');
    const path = i.code === 'unrecognized_keys' ? `${base}.${i.keys.join(',')}` : base;
    return { path, code: i.code, message: i.message };
  });
  const first = errors[0]!;
  return new AppError('VALIDATION_FAILED', `${first.path}: ${first.message}`, { errors });
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return zodToAppError(err, 'body');
  const fe = err as Partial<FastifyError>;
  if (fe?.code && FASTIFY_CODES[fe.code]) return FASTIFY_CODES[fe.code]!();
  if (isDatabaseBusy(err)) return new AppError('DATABASE_BUSY', 'The database is busy writing a collection batch; retry in a few seconds');
  if (err instanceof SyntaxError && (fe as { statusCode?: number }).statusCode === 400) {
    return new AppError('MALFORMED_JSON', err.message);
  }
  return new AppError('INTERNAL', 'An unexpected error occurred; it has been logged');
}

function problemDocument(error: AppError, instance: string | undefined, requestId: string, chinese = false) {
  return {
    ...error.extensions,
    type: `https://kuaiji.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: (chinese ? chineseTitle(error.code) : null) ?? error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(instance === undefined ? {} : { instance }),
    requestId,
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.status === 503) void reply.header('retry-after', '5');
  // Limits that know when they reopen (429s) say so in seconds.
  if (typeof error.extensions.retryAfterSeconds === 'number') void reply.header('retry-after', String(error.extensions.retryAfterSeconds));
  const chinese = prefersChinese(request.headers['accept-language']);
  return reply
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .header('vary', 'Accept-Language')
    .send(problemDocument(error, request.url, request.id, chinese));
}

/**
 * Node answers a request it cannot parse (headers too large, a broken request line, a timeout)
 * before Fastify sees one: this writes that answer as problem+json too, on the raw socket.
 */
function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const error =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('HEADERS_TOO_LARGE', 'The request headers exceed the size this server accepts')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppError('REQUEST_TIMEOUT', 'The request did not arrive in time')
        : new AppError('MALFORMED_REQUEST', 'The HTTP request could not be parsed');
  const requestId = newId();
  this.log.debug({ err, requestId }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problemDocument(error, undefined, requestId));
    socket.write(
      `HTTP/1.1 ${error.status} ${error.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/**
 * One debug line per request instead of Fastify's two info lines (a probe wrote 137 MB of them);
 * a request that ends in error is logged at error level with its request id (reqId).
 */
class RequestLog extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    // At the usual info level a successful request writes nothing: build no line for it.
    if (!error && reply.log.level !== 'debug' && reply.log.level !== 'trace') return;
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.debug(line, 'request');
  }
}

/**
 * Options for the Fastify factory (src/app.ts spreads them): the router's own errors (a broken
 * percent-encoding, an over-long parameter) and Node's client errors answer problem+json, and
 * requests are logged at debug level.
 */
export const problemServerOptions = {
  logController: new RequestLog(),
  frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    void sendProblem(request, reply, toAppError(err));
  },
  clientErrorHandler,
} satisfies Partial<FastifyServerOptions>;

/** Every error leaves the server as RFC 9457 problem+json; unexpected ones are logged with their stack. */
export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err);
    // request.log carries the request id (reqId), which the problem document returns as requestId.
    if (appError.code === 'INTERNAL') request.log.error({ err, method: request.method, url: request.url }, 'unhandled error');
    return sendProblem(request, reply, appError);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new AppError('ROUTE_NOT_FOUND', `${request.method} ${request.url} is not an endpoint`)),
  );
}
