import { createHash, randomBytes } from 'node:crypto';
import { AppError, notFound } from '../../../errors.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toBool, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import { createLoginThrottle, type LoginThrottle, type ThrottleOptions } from '../../../shared/login-throttle.js';
import { decoyHash, hashPassword, verifyPassword } from '../../../shared/passwords.js';
import { presentOpenUser, type OpenUser } from './users.presenter.js';
import { createOpenUsersRepository } from './users.repository.js';
import type { OpenLoginInput, OpenUserInput } from './users.schemas.js';

/** Public users' bearer tokens start with this, so the staff authentication hook leaves them to opening. */
export const OPEN_TOKEN_PREFIX = 'kjo_';

/** A signed-in public user, as the other opening parts see the caller. */
export type OpenViewer = Readonly<{ userId: string; username: string; displayName: string; contact: string }>;

/** `throttle`: limits of the memory throttle; `throttleStore`: a ready one (Redis, shared by every serving process) that wins over it. */
export type OpenUsersOptions = { sessionTtlMs?: number; throttle?: ThrottleOptions; throttleStore?: LoginThrottle };

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

/**
 * Public users (DOMAIN.md §7: developers and applicants), apart from the platform's staff users:
 * their own table, scrypt password hashes, and session tokens stored as SHA-256 that expire.
 */
export function createOpenUsersService(deps: { db: Db; clock: Clock; auditor: Auditor; options?: OpenUsersOptions }) {
  const { db, clock, auditor } = deps;
  const repo = createOpenUsersRepository();
  const ttlMs = deps.options?.sessionTtlMs ?? 7 * 24 * 3_600_000;
  const throttle = deps.options?.throttleStore ?? createLoginThrottle(() => clock.now().getTime(), deps.options?.throttle);

  async function assertFree(input: { usernameKey: string; email: string | null; phone: string | null }) {
    for (const t of await repo.taken(db, input)) {
      const field = t.username_key === input.usernameKey ? 'username' : t.email !== null && t.email === input.email ? 'email' : 'phone';
      throw new AppError('DUPLICATE', `That ${field} is registered already`, {
        entity: 'open user',
        errors: [{ path: `body.${field}`, code: 'taken', message: 'already registered' }],
      });
    }
  }

  return {
    async register(input: OpenUserInput): Promise<OpenUser> {
      const usernameKey = input.username.toLowerCase();
      const free = { usernameKey, email: input.email ?? null, phone: input.phone ?? null };
      await assertFree(free);
      const row = {
        id: newId(),
        username: input.username,
        username_key: usernameKey,
        email: free.email,
        phone: free.phone,
        display_name: input.displayName ?? input.username,
        password_hash: await hashPassword(input.password),
        disabled: false,
        created_at: clock.now().toISOString(),
        last_login_at: null,
      };
      await auditor.run({ actor: null, action: 'open-user.register', targetType: 'open user', targetId: row.id, detail: { username: row.username } }, (trx) =>
        repo.insertUser(trx, row),
      );
      return presentOpenUser(row);
    },

    /** A new session token for a username, e-mail or phone and its password; throttled per name and address. */
    async login(input: OpenLoginInput, address: string): Promise<{ token: string; expiresAt: string; user: OpenUser }> {
      const login = input.login.trim().toLowerCase();
      await throttle.assertAllowed(login, address);
      const user = await repo.findByLogin(db, { usernameKey: login, email: login, phone: login.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '') });
      const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
      if (!user || !ok || toBool(user.disabled)) {
        await throttle.failed(login, address);
        throw new AppError('OPEN_CREDENTIALS_INVALID', 'The login or the password is wrong');
      }
      await throttle.succeeded(login);
      const token = `${OPEN_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const now = clock.now();
      const session = {
        id: newId(),
        user_id: user.id,
        token_hash: sha256(token),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ttlMs).toISOString(),
        revoked_at: null,
      };
      await auditor.run(
        { actor: null, action: 'open-user.login', targetType: 'open user', targetId: user.id, detail: { username: user.username } },
        async (trx) => {
          await repo.insertSession(trx, session);
          await repo.touchLogin(trx, user.id, session.created_at);
        },
      );
      return { token, expiresAt: session.expires_at, user: presentOpenUser(user) };
    },

    /** The viewer of a token; 401 INVALID_TOKEN when it is unknown, expired, revoked or its user disabled. */
    async authenticate(token: string): Promise<OpenViewer & { sessionId: string }> {
      const row = await repo.findSession(db, sha256(token));
      if (!row || row.revoked_at || row.expires_at <= clock.now().toISOString() || toBool(row.disabled)) {
        throw new AppError('INVALID_TOKEN', 'The open-portal token is unknown, revoked or expired; sign in again');
      }
      return {
        sessionId: row.session_id,
        userId: row.user_id,
        username: row.username,
        displayName: row.display_name,
        contact: row.email ?? row.phone ?? row.username,
      };
    },

    async logout(sessionId: string): Promise<void> {
      await repo.revokeSession(db, sessionId, clock.now().toISOString());
    },

    async me(userId: string): Promise<OpenUser> {
      const row = await repo.findUser(db, userId);
      if (!row) throw notFound('open user', userId);
      return presentOpenUser(row);
    },
  };
}

export type OpenUsersService = ReturnType<typeof createOpenUsersService>;
