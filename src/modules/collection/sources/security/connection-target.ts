/**
 * The fully resolved place a database URL connects to. The connectors connect with these fields
 * (never by handing the URL to a driver), so what is checked and compared is what is used:
 * drivers let query parameters override the host, port, user or database of the URL
 * (`?host=…&port=…`), read files named by them (`sslcert`, `sslrootcert`) or turn on client
 * features (mysql2 takes any driver option from the query). Only the parameters below are
 * accepted; every other one is refused when the source is saved and again when it runs.
 */
export type SslMode = 'disable' | 'require' | 'no-verify' | 'verify-ca' | 'verify-full';

export type DbTarget = {
  family: 'postgres' | 'mysql';
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: SslMode;
};

const SSL_MODES: readonly SslMode[] = ['disable', 'require', 'no-verify', 'verify-ca', 'verify-full'];
const FAMILY: Record<string, DbTarget['family']> = { 'postgres:': 'postgres', 'postgresql:': 'postgres', 'mysql:': 'mysql', 'mariadb:': 'mysql' };
const DEFAULT_PORT = { postgres: 5432, mysql: 3306 } as const;

export class TargetError extends Error {}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new TargetError('the URL has a broken %-escape');
  }
};

/** Parses a postgres:// or mysql:// URL; throws TargetError with a user-facing reason. */
export function databaseTarget(url: string): DbTarget {
  if (!URL.canParse(url)) throw new TargetError('not a URL');
  const u = new URL(url);
  const family = FAMILY[u.protocol];
  if (!family) throw new TargetError(`unsupported protocol ${u.protocol}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!host) throw new TargetError('the URL names no host (a Unix socket or a host parameter is not accepted)');
  if (host.includes(',')) throw new TargetError('a URL with several hosts is not accepted');
  const user = decode(u.username);
  if (!user) throw new TargetError('the URL names no user');
  const path = decode(u.pathname.replace(/^\//, ''));
  if (path.includes('/')) throw new TargetError('the database name contains /');
  let ssl: SslMode = 'disable';
  for (const [name, value] of u.searchParams) {
    if (name === 'sslmode' && (SSL_MODES as string[]).includes(value)) ssl = value as SslMode;
    else if (name === 'sslmode') throw new TargetError(`sslmode must be one of ${SSL_MODES.join(', ')}`);
    else
      throw new TargetError(
        `the parameter '${name}' is not accepted (only sslmode): parameters can send the connection elsewhere or read the platform's files`,
      );
  }
  return {
    family,
    host,
    port: u.port ? Number(u.port) : DEFAULT_PORT[family],
    user,
    password: decode(u.password),
    // PostgreSQL's default database is the user's name; MySQL connects to none.
    database: path || (family === 'postgres' ? user : ''),
    ssl,
  };
}

/** The problem with a database URL, or null: the source schemas refine with it. */
export function databaseUrlProblem(url: string): string | null {
  try {
    databaseTarget(url);
    return null;
  } catch (err) {
    if (err instanceof TargetError) return err.message;
    throw err;
  }
}

/**
 * What a stored secret is bound to: everything of the connection but the secret itself. A
 * masked password (***) may be kept only when this is unchanged.
 */
export function targetKey(url: unknown): string | null {
  if (typeof url !== 'string' || !URL.canParse(url)) return null;
  const u = new URL(url);
  if (u.protocol === 'http:' || u.protocol === 'https:') {
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return JSON.stringify(['http', u.protocol, decode(u.username), u.hostname.toLowerCase(), port]);
  }
  try {
    const t = databaseTarget(url);
    return JSON.stringify([t.family, t.host, t.port, t.user, t.database, t.ssl]);
  } catch (err) {
    if (err instanceof TargetError) return null;
    throw err;
  }
}
