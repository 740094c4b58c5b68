import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { isDatabaseBusy } from '../storage/driver-errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Fastify's own errors that map onto our closed set. */
const FASTIFY_CODES: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new AppError('MALFORMED_JSON', 'The request body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AppError('MALFORMED_JSON', 'The request body is empty but Content-Type is JSON'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new AppError('UNSUPPORTED_MEDIA_TYPE', 'This endpoint does not accept that Content-Type'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new AppError('VALIDATION_FAILED', 'Content-Length does not match the body'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError('PAYLOAD_TOO_LARGE', 'The request body exceeds the configured limit'),
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

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.status === 503) void reply.header('retry-after', '5');
  return reply
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      ...error.extensions,
      type: `https://kuaiji.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      code: error.code,
      instance: request.url,
      requestId: request.id,
    });
}

/** Every error leaves the server as RFC 9457 problem+json; unexpected ones are logged with their stack. */
export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err);
    if (appError.code === 'INTERNAL') request.log.error({ err }, 'unhandled error');
    return sendProblem(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new AppError('ROUTE_NOT_FOUND', `${request.method} ${request.url} is not an endpoint`)),
  );
}
