import { AppError } from '../../../errors.js';

/**
 * CKAN's error envelope (ckan/views/api.py): `{help, success: false, error: {__type, message}}`
 * with its status codes. A Validation Error carries field → messages instead of a message.
 * These errors never leave through problem+json: CKAN clients read `error.__type`.
 */
export class CkanError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: Record<string, string[]> | null = null,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return this.fields ? { ...this.fields, __type: this.type } : { __type: this.type, message: this.message };
  }
}

export const notFound = (what?: string) => new CkanError(404, 'Not Found Error', what ? `Not found: ${what}` : 'Not found');

export const validationError = (fields: Record<string, string[]>) =>
  new CkanError(409, 'Validation Error', Object.values(fields).flat()[0] ?? 'Invalid', fields);

export const invalid = (field: string, message: string) => validationError({ [field]: [message] });

export const authorizationError = (why?: string) => new CkanError(403, 'Authorization Error', why ? `Access denied: ${why}` : 'Access denied');

/** CKAN answers `Bad request - …` (400) before it runs an action: unknown action, unreadable body. */
export const badRequest = (why: string) => new CkanError(400, 'Bad Request', `Bad request - ${why}`);

export const searchError = (why: string) => new CkanError(409, 'Search Error', `Search error: ${why}`);

export const internalError = () => new CkanError(500, 'Internal Server Error', 'Internal Server Error');

/** An error from the open catalogue or rows (AppError) in CKAN's terms; anything else is internal. */
export function toCkanError(err: unknown): CkanError {
  if (err instanceof CkanError) return err;
  if (!(err instanceof AppError)) return internalError();
  if (err.status === 404) return notFound(err.message);
  if (err.status === 401 || err.status === 403) return authorizationError(err.message);
  if (err.status === 400 || err.status === 409 || err.status === 422) {
    const listed = (err.extensions as { errors?: { path: string; message: string }[] }).errors;
    const fields: Record<string, string[]> = {};
    for (const e of listed ?? [{ path: 'message', message: err.message }]) (fields[fieldOf(e.path)] ??= []).push(e.message);
    return validationError(fields);
  }
  if (err.status === 429) return new CkanError(429, 'Rate Limit Error', err.message);
  if (err.status === 503) return new CkanError(503, 'Service Unavailable', err.message);
  return internalError();
}

/** `filters.code` or `sort[0]` (OpenRows' paths) → the CKAN parameter they belong to. */
const fieldOf = (path: string) => path.replace(/^(query|body)\./, '').split(/[.[]/)[0] || 'message';
