import { AppError } from '../../../../errors.js';
import { isInternal, parseAllowList, plainAddress, resolveHost } from '../../../../shared/allow-list.js';
import { loadSecretKey } from '../../../../shared/secret-box.js';

/** What an administrator (KUAIJI_SOURCE_ALLOW, KUAIJI_SECRET_KEY) or a test sets. */
export type SourceSecurityOptions = {
  /** Entries of KUAIJI_SOURCE_ALLOW; tests list 127.0.0.1 to reach their local servers. */
  allow?: readonly string[];
  /** KUAIJI_SECRET_KEY (32 bytes, hex or base64); absent: `<dataDir>/source-secret.key`. */
  secretKey?: string;
  /**
   * Connect even when the source's database role is a superuser (PostgreSQL) or holds FILE/SUPER
   * (MySQL). Off in production: such a role reads the server's files through a SELECT.
   */
  allowPrivilegedRoles?: boolean;
  /** Platform default of a database source's statement timeout (5 minutes). */
  statementTimeoutMs?: number;
};

/** Resolved once per process and handed to worker threads as is (plain data). */
export type SourceSecurity = {
  allow: string[];
  /** The platform's own database: never a source's target. */
  platformDatabaseUrl: string | null;
  /** 32-byte key, hex. */
  secretKey: string;
  allowPrivilegedRoles: boolean;
  statementTimeoutMs: number;
  /** The key file this process created (to say so in the log), or null. */
  keyFileCreated: string | null;
};

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5 * 60_000;

export function resolveSourceSecurity(options: SourceSecurityOptions | undefined, dataDir: string, platformDatabaseUrl: string | null): SourceSecurity {
  const o = options ?? {};
  const allow = [...(o.allow ?? [])];
  parseAllowList(allow);
  const { key, created } = loadSecretKey(o.secretKey, dataDir);
  return {
    allow,
    platformDatabaseUrl,
    secretKey: key,
    allowPrivilegedRoles: o.allowPrivilegedRoles ?? false,
    statementTimeoutMs: o.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    keyFileCreated: created,
  };
}

type PlatformDb = { host: string; port: number; database: string };

/** Host, port and database of a PostgreSQL platform URL (its own parameters win, as in the driver). */
function platformDb(url: string | null): PlatformDb | null {
  if (!url || !/^postgres(ql)?:/.test(url) || !URL.canParse(url)) return null;
  const u = new URL(url);
  const q = u.searchParams;
  const user = decodeURIComponent(q.get('user') ?? u.username) || 'postgres';
  return {
    host: (q.get('host') ?? q.get('hostaddr') ?? u.hostname).replace(/^\[(.*)\]$/, '$1').toLowerCase() || 'localhost',
    port: Number(q.get('port') ?? (u.port || 5432)),
    database: decodeURIComponent(q.get('dbname') ?? u.pathname.replace(/^\//, '')) || user,
  };
}

export type Destination = { host: string; port: number; family: 'postgres' | 'mysql' | 'http'; database?: string };

const refused = (what: string, why: string) => new AppError('SOURCE_TARGET_REFUSED', `${what} is refused: ${why}`);

/**
 * Checks where a source connects, after resolving its host name: every address must be allowed
 * (one internal address among public ones is enough to refuse), and the platform's own database
 * is refused even when listed. Returns the address to connect to, so a second DNS answer
 * (rebinding) cannot send the connection elsewhere.
 */
export function createTargetGuard(security: Pick<SourceSecurity, 'allow' | 'platformDatabaseUrl'>) {
  const allow = parseAllowList(security.allow);
  const platform = platformDb(security.platformDatabaseUrl);
  let platformAddresses: Promise<string[]> | null = null;
  const platformResolved = () => {
    platformAddresses ??= platform
      ? platform.host.startsWith('/')
        ? Promise.resolve(['127.0.0.1'])
        : resolveHost(platform.host).catch(() => [])
      : Promise.resolve([]);
    return platformAddresses;
  };

  async function isPlatformDatabase(d: Destination, addresses: string[]): Promise<boolean> {
    if (!platform || d.family !== 'postgres' || d.port !== platform.port || d.database !== platform.database) return false;
    if (d.host === platform.host) return true;
    const own = (await platformResolved()).map(plainAddress);
    // Every address of this machine reaches a server listening on it: 127.0.0.1 and the LAN address are one server.
    return addresses.some((a) => own.includes(plainAddress(a)) || (isInternal(a) && own.some(isInternal)));
  }

  return {
    async check(d: Destination): Promise<string> {
      const what = `the source target ${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`;
      let addresses: string[];
      try {
        addresses = await resolveHost(d.host);
      } catch {
        throw new AppError('COLLECTION_UNREADABLE', `${what}: the host name does not resolve`);
      }
      if (addresses.length === 0) throw new AppError('COLLECTION_UNREADABLE', `${what}: the host name does not resolve`);
      if (await isPlatformDatabase(d, addresses)) throw refused(what, "it is the platform's own database");
      for (const a of addresses) {
        if (isInternal(a) && !allow.lists(d.host, a, d.port)) {
          throw refused(
            what,
            'it reaches this machine (loopback, link-local or one of its own addresses); an administrator can list it in KUAIJI_SOURCE_ALLOW',
          );
        }
      }
      return addresses[0]!;
    },
  };
}

export type TargetGuard = ReturnType<typeof createTargetGuard>;
