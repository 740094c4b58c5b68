// One way the UI calls the API: JSON in and out, the console's token from sessionStorage, and a
// problem+json answer turned into an ApiError carrying its stable `code` (shown translated).
// Paths, parameters and answers are typed from docs/openapi.json (openapi.ts, generated).
import type { ApiPaths } from './openapi';

const TOKEN_KEY = 'kuaiji.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  save: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    detail: string,
    /** The whole problem+json body (its extensions, e.g. an import's `errors` row by row). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type PathsWith<M extends Method> = { [P in keyof ApiPaths]: ApiPaths[P] extends Record<M, unknown> ? P : never }[keyof ApiPaths];
type Operation<P extends keyof ApiPaths, M extends Method> = ApiPaths[P] extends Record<M, infer O> ? O : never;
export type GetPath = PathsWith<'get'>;
/** The JSON answer of `GET path`, as the OpenAPI document describes it. */
export type ResponseOf<P extends GetPath> = Operation<P, 'get'> extends { response: infer R } ? R : never;
type GetOptions<P extends GetPath> =
  Operation<P, 'get'> extends { params: infer A; query: infer Q } ? { params?: A; query?: Q; auth?: boolean; bearer?: string } : never;

/** `GET path` with its path parameters filled in; `auth: false` sends no token (the portal is anonymous). */
export function get<P extends GetPath>(path: P, options?: GetOptions<P>): Promise<ResponseOf<P>> {
  const o = (options ?? {}) as { params?: Record<string, string>; query?: Query; auth?: boolean; bearer?: string };
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(o.params?.[name] ?? ''));
  return api<ResponseOf<P>>(url, { query: o.query, auth: o.auth, bearer: o.bearer });
}

type SendMethod = Exclude<Method, 'get'>;
type SendOptions<P extends keyof ApiPaths, M extends SendMethod> =
  Operation<P, M> extends { params: infer A; body: infer B }
    ? [B] extends [never]
      ? { params?: A; bearer?: string }
      : { params?: A; body: B; bearer?: string }
    : never;
/** The JSON answer of `method path`, as the OpenAPI document describes it. */
export type SendResponseOf<P extends keyof ApiPaths, M extends SendMethod> = Operation<P, M> extends { response: infer R } ? R : never;

/** `POST`/`PATCH`/`PUT`/`DELETE path` with its path parameters and body typed from the OpenAPI document. */
export function send<M extends SendMethod, P extends PathsWith<M>>(method: M, path: P, options: SendOptions<P, M>): Promise<SendResponseOf<P, M>> {
  const o = options as { params?: Record<string, string>; body?: unknown; bearer?: string };
  const url = (path as string).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(o.params?.[name] ?? ''));
  return api<SendResponseOf<P, M>>(url, { method: method.toUpperCase(), body: o.body ?? (method === 'post' ? {} : undefined), bearer: o.bearer });
}

/**
 * Any method on the API (untyped: for calls the OpenAPI types do not cover yet). `bearer` sends that
 * token instead of the console's (the portal's public users have their own session); `headers` adds
 * request headers (e.g. the one-ID query's X-Purpose).
 */
export async function api<T>(
  path: string,
  options: { query?: Query; method?: string; body?: unknown; auth?: boolean; bearer?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = options.bearer ?? (options.auth === false ? null : session.token());
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(withQuery(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const problem = (json ?? {}) as { code?: string; detail?: string };
    throw new ApiError(problem.code ?? 'INTERNAL', res.status, problem.detail ?? res.statusText, problem);
  }
  return json as T;
}
