/**
 * The closed set of errors Kuaiji reports, with their stable codes. Every code here is
 * documented in docs/errors.md; test/errors-doc.test.ts keeps the two in sync.
 * src/http/problem.ts turns an AppError into RFC 9457 application/problem+json.
 */
export const ERROR_CODES = {
  // request shape
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  INVALID_CURSOR: { status: 400, title: 'The pagination cursor is not valid' },
  INVALID_CHARACTER: { status: 400, title: 'The request contains a character that is never accepted' },
  MALFORMED_URL: { status: 400, title: 'The URL is not validly encoded' },
  MALFORMED_REQUEST: { status: 400, title: 'The HTTP request could not be parsed' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  // identity
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  INVALID_TOKEN: { status: 401, title: 'The token is unknown, revoked or expired' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  LAST_ADMIN: { status: 409, title: 'The last active administrator must stay an active administrator' },
  CREDENTIALS_INVALID: { status: 401, title: 'The username or the password is wrong' },
  LOGIN_LOCKED: { status: 429, title: 'Too many failed sign-ins; the account is locked for a while' },
  LOGIN_THROTTLED: { status: 429, title: 'Too many failed sign-ins from this address; wait before trying again' },
  LOGIN_THROTTLE_UNAVAILABLE: { status: 503, title: 'The sign-in throttle cannot be reached; retry shortly' },
  // storage
  NOT_FOUND: { status: 404, title: 'Not found' },
  DUPLICATE: { status: 409, title: 'Already exists' },
  REFERENCE_NOT_FOUND: { status: 422, title: 'A referenced entity does not exist' },
  IN_USE: { status: 409, title: 'Still referenced by other entities' },
  VALUE_TOO_LONG: { status: 422, title: 'A value is too long' },
  // catalogue
  INVALID_REGION_CODE: { status: 422, title: 'Not a GB/T 2260 region code in force' },
  INVALID_USCC: { status: 422, title: 'Not a valid unified social credit code (GB 32100)' },
  INVALID_RESOURCE_CODE: { status: 422, title: 'Not a valid resource code' },
  CATALOG_INVARIANT_VIOLATED: { status: 422, title: 'The catalogue entry breaks a catalogue rule' },
  IMPORT_REJECTED: { status: 422, title: 'The import file was rejected; nothing was stored' },
  EDITION_EMPTY: { status: 422, title: 'There is nothing to publish' },
  // collection
  COLLECTION_KEY_CHANGED: { status: 409, title: "The resource's primary-key items changed while its table holds records" },
  COLLECTION_UNMAPPED_COLUMNS: { status: 422, title: 'The file lacks columns the resource requires' },
  COLLECTION_UNREADABLE: { status: 422, title: 'The file cannot be read' },
  SOURCE_TARGET_REFUSED: { status: 400, title: 'A pull source may not connect there' },
  SOURCE_SECRET_REQUIRED: { status: 400, title: 'The connection target changed: give the secret again' },
  WORKBOOK_TOO_LARGE: { status: 413, title: 'The workbook exceeds a reading limit' },
  WORKBOOK_MALFORMED: { status: 400, title: 'The workbook cannot be read' },
  JOB_FINISHED: { status: 409, title: 'The job has already ended' },
  // governance
  QUALITY_RULE_DERIVED: { status: 409, title: 'A rule derived from the catalogue can only be switched on or off' },
  QUALITY_PROFILE_NOT_FOUND: { status: 404, title: 'The resource has not been profiled yet' },
  // governance: problems and objections
  PROBLEM_TRANSITION_INVALID: { status: 409, title: 'The problem cannot move to that state from its current one' },
  OBJECTION_TRANSITION_INVALID: { status: 409, title: 'The objection cannot move to that state from its current one' },
  // sharing: interfaces and the gateway
  INTERFACE_TRANSITION_INVALID: { status: 409, title: 'The interface cannot move to that status from its current one' },
  GATEWAY_PURPOSE_REQUIRED: { status: 400, title: 'A gateway call must state its purpose (X-Purpose)' },
  GATEWAY_INTERFACE_NOT_FOUND: { status: 404, title: 'No published interface has this code and version' },
  GATEWAY_NOT_GRANTED: { status: 403, title: 'No active grant covers this interface' },
  GATEWAY_ITEM_NOT_GRANTED: { status: 403, title: 'A data item asked for was not granted' },
  GATEWAY_RATE_LIMITED: { status: 429, title: 'Too many calls per second to this interface' },
  GATEWAY_QUOTA_EXCEEDED: { status: 429, title: "The interface's daily or monthly call quota is used up" },
  GATEWAY_QUOTA_UNAVAILABLE: { status: 503, title: 'The call counters cannot be reached; retry shortly' },
  // opening: open datasets
  OPEN_NOT_ALLOWED: { status: 422, title: 'The resource may not be opened' },
  // sharing: consumers, credentials, applications, grants
  SHARING_CREDENTIALS_INVALID: { status: 401, title: 'The app key or secret is unknown, retired or revoked' },
  SHARING_TOKEN_EXPIRED: { status: 401, title: 'The access token has expired; obtain a new one' },
  SHARING_SIGNATURE_INVALID: { status: 401, title: 'The request signature is missing or does not match' },
  SHARING_SIGNATURE_EXPIRED: { status: 401, title: "The request's timestamp is outside the 5-minute window" },
  SHARING_NONCE_REPLAYED: { status: 401, title: 'The nonce was used before' },
  SHARING_CONSUMER_REVOKED: { status: 409, title: 'The consumer system is revoked' },
  SHARING_LEGAL_BASIS_REQUIRED: { status: 422, title: 'Not-shared data items need a legal basis' },
  SHARING_APPLICATION_TRANSITION_INVALID: { status: 409, title: 'The access application cannot take that step in its current state' },
  SHARING_GRANT_NOT_ACTIVE: { status: 409, title: 'The grant is revoked or expired already' },
  SHARING_NONCE_STORE_UNAVAILABLE: { status: 503, title: 'The nonce store of signed calls is unavailable; retry shortly' },
  // sharing: upstream interfaces
  UPSTREAM_TARGET_REFUSED: { status: 400, title: 'An upstream interface may not point there' },
  UPSTREAM_FAILED: { status: 502, title: 'The upstream interface failed' },
  UPSTREAM_UNAVAILABLE: { status: 503, title: 'The upstream interface is unavailable; retry later' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'The upstream interface did not answer in time' },
  // opening: public users, apps, restricted-open applications
  OPEN_CREDENTIALS_INVALID: { status: 401, title: 'The login or the password is wrong' },
  OPEN_LOGIN_THROTTLED: { status: 429, title: 'Too many failed logins; wait before trying again' },
  OPEN_APP_KEY_INVALID: { status: 401, title: 'The app key is unknown or revoked' },
  OPEN_RATE_LIMITED: { status: 429, title: "The app's rate limit or daily quota is reached" },
  OPEN_STATE_INVALID: { status: 409, title: 'Not possible in its current state' },
  // themes: e-licences
  USE_CAUSE_REQUIRED: { status: 400, title: 'An e-licence read must state its use reason' },
  // anything else
  DATABASE_BUSY: { status: 503, title: 'The database is busy; retry shortly' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes of the catalogue rules (DOMAIN.md §3), reported inside CATALOG_INVARIANT_VIOLATED and
 * IMPORT_REJECTED as `violations[].code`. Also documented in docs/errors.md.
 */
export const INVARIANT_CODES = {
  ITEM_SHARE_LESS_RESTRICTED: 'A data item is shared less restrictively than its resource',
  ITEM_OPEN_LESS_RESTRICTED: 'A data item is opened less restrictively than its resource',
  NOT_SHARED_MUST_BE_PROHIBITED: 'A not-shared (不予共享) entry must be prohibited from opening (禁止开放)',
  L4_MUST_BE_PROHIBITED: 'Sensitivity L4 (敏感) data is never opened',
  L2_L3_AT_MOST_RESTRICTED: 'Sensitivity L2/L3 data may be opened only restrictedly (受限开放)',
  ITEM_SENSITIVITY_ABOVE_RESOURCE: "A data item's sensitivity is higher than its resource's",
  SHARE_CONDITION_REQUIRED: 'Conditional sharing (有条件共享) needs a share condition',
  NOT_SHARED_BASIS_REQUIRED: 'Not sharing (不予共享) needs a legal basis (不予共享依据)',
  OPEN_CONDITION_REQUIRED: 'Restricted opening (受限开放) needs an open condition',
  PRIMARY_KEY_NULLABLE: 'A primary-key data item cannot be nullable',
  DUPLICATE_ITEM_CODE: 'Two data items of a resource share a code',
  NO_ITEMS: 'A resource needs at least one data item',
  CODE_CATEGORY_MISMATCH: "The resource code's classification does not start with its category",
  CLASSIFIED_MUST_NOT_OPEN: 'A classified (涉密) resource is never opened',
  OPEN_DOMAIN_REQUIRED: 'An opened resource needs an open domain',
  RECORD_COUNTS_ABOVE_TOTAL: 'Declared shared or open record counts cannot exceed the declared total',
} as const;

export type InvariantCode = keyof typeof INVARIANT_CODES;

export type Violation = { code: InvariantCode | string; path: string; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  /** Extra members of the problem document (e.g. `violations`, `errors`). */
  readonly extensions: Record<string, unknown>;

  constructor(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.title = ERROR_CODES[code].title;
    this.extensions = extensions;
  }
}

export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${what} '${id}' does not exist`, { entity: what, id });
}

export function forbidden(detail: string): AppError {
  return new AppError('FORBIDDEN', detail);
}

export function invariantViolated(violations: Violation[]): AppError {
  const first = violations[0];
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  return new AppError('CATALOG_INVARIANT_VIOLATED', `${first?.path ?? ''}: ${first?.message ?? ''}${more}`, {
    violations,
  });
}
