import { createHash, randomBytes } from 'node:crypto';
import { AppError, forbidden, notFound } from '../../errors.js';
import { decodeCursor, toPage, type Page } from '../../shared/page.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Db } from '../../storage/dialect.js';
import { toBool } from '../../storage/dialect.js';
import type { Auditor } from '../audit/index.js';
import type { Actor, Role } from '../../shared/actor.js';
import { decoyHash, hashPassword, verifyPassword } from '../../shared/passwords.js';
import { createLoginThrottle, type LoginThrottle, type ThrottleOptions } from '../../shared/login-throttle.js';
import { toTokenInfo, toUser } from './identity.presenter.js';
import { createIdentityRepository, type TokenRow, type UserRow } from './identity.repository.js';

export type User = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentId: string | null;
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
};

export type TokenInfo = { id: string; label: string | null; last4: string; createdAt: string; expiresAt: string | null; revokedAt: string | null };

/** The secret is returned once, when issued; only its SHA-256 and last four characters are stored. */
export type IssuedToken = TokenInfo & { token: string };

export type NewUser = { username: string; displayName?: string; role: Role; departmentId?: string | null };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sign-in sessions (console) last a working day; tokens issued otherwise do not expire. */
export const SESSION_HOURS = 12;
/** Failed sign-ins in a row that lock an account, and for how long (等保 2.0: 登录失败处理). */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
export const PASSWORD_MIN_LENGTH = 10;
/** The label of tokens a sign-in issues: the only ones signing out revokes. */
export const SESSION_LABEL = 'console sign-in';

/** A password a person chose: long enough, not the username, not one character repeated. */
function checkPassword(password: string, username: string) {
  const problem =
    password.length < PASSWORD_MIN_LENGTH
      ? `at least ${PASSWORD_MIN_LENGTH} characters`
      : password.length > 200
        ? 'at most 200 characters'
        : password.toLowerCase().includes(username.toLowerCase())
          ? 'must not contain the username'
          : new Set(password).size < 4
            ? 'at least 4 different characters'
            : null;
  if (problem)
    throw new AppError('VALIDATION_FAILED', `The password is too weak: ${problem}`, {
      errors: [{ path: 'body.password', code: 'too_weak', message: problem }],
    });
}

function requireAdmin(actor: Actor) {
  if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may manage users');
}

/**
 * Failed console sign-ins counted per client address (in memory), so one address cannot spray
 * passwords over many accounts or lock them all: past the limit it is refused before any password
 * is checked and before any account's count moves (LOGIN_THROTTLED).
 */
export const STAFF_LOGIN_THROTTLE: ThrottleOptions = { perUsername: Infinity, perAddress: 30, windowMs: 15 * 60_000 };

/** `throttleStore`: a ready sign-in throttle (Redis, shared by every serving process); else `loginThrottle`'s limits in memory. */
export function createIdentityService(deps: { db: Db; clock: Clock; auditor: Auditor; loginThrottle?: ThrottleOptions; throttleStore?: LoginThrottle }) {
  const repo = createIdentityRepository();
  const { db, clock, auditor } = deps;
  const throttle = deps.throttleStore ?? createLoginThrottle(() => clock.now().getTime(), deps.loginThrottle ?? STAFF_LOGIN_THROTTLE, 'LOGIN_THROTTLED');

  async function issue(trx: Db, userId: string, label: string | null, secret?: string, expiresAt: string | null = null): Promise<IssuedToken> {
    const token = secret ?? `kj_${randomBytes(32).toString('base64url')}`;
    const row: TokenRow = {
      id: newId(),
      user_id: userId,
      token_hash: hashToken(token),
      last4: token.slice(-4),
      label,
      created_at: clock.now().toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
    };
    await repo.insertToken(trx, row);
    return { ...toTokenInfo(row), token };
  }

  async function insertUser(trx: Db, input: NewUser): Promise<User> {
    if (input.role === 'OFFICER' && !input.departmentId) {
      throw new AppError('VALIDATION_FAILED', 'A department officer needs a departmentId', {
        errors: [{ path: 'body.departmentId', code: 'required', message: 'required for role OFFICER' }],
      });
    }
    const row: UserRow = {
      id: newId(),
      username: input.username,
      display_name: input.displayName ?? input.username,
      role: input.role,
      department_id: input.departmentId ?? null,
      disabled: false,
      created_at: clock.now().toISOString(),
      password_hash: null,
      password_set_at: null,
      failed_logins: 0,
      locked_until: null,
    };
    await repo.insertUser(trx, row);
    return toUser(row);
  }

  return {
    /** Resolves a bearer token to an actor; unknown, revoked and expired tokens are rejected. */
    async authenticate(token: string): Promise<Actor> {
      const row = await repo.findTokenByHash(db, hashToken(token));
      const now = clock.now().toISOString();
      if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now) || toBool(row.disabled)) {
        throw new AppError('INVALID_TOKEN', 'The bearer token is unknown, revoked or expired');
      }
      return { userId: row.user_id, username: row.username, role: row.role as Role, departmentId: row.department_id };
    },

    /**
     * At first start (no users yet) creates the first administrator. Its token comes from
     * KUAIJI_ADMIN_TOKEN when set, otherwise it is generated and returned so the caller can print it once.
     */
    async ensureFirstAdmin(username: string, presetToken: string | undefined): Promise<IssuedToken | null> {
      if ((await repo.countUsers(db)) > 0) return null;
      return auditor.run({ actor: null, action: 'user.bootstrap', targetType: 'user', detail: { username } }, async (trx) => {
        const user = await insertUser(trx, { username, displayName: '平台管理员', role: 'ADMIN' });
        return issue(trx, user.id, 'first admin', presetToken);
      });
    },

    async createUser(actor: Actor, input: NewUser): Promise<{ user: User; token: IssuedToken }> {
      requireAdmin(actor);
      return auditor.run(
        { actor, action: 'user.create', targetType: 'user', detail: { username: input.username, role: input.role } },
        async (trx) => {
          const user = await insertUser(trx, input);
          const token = await issue(trx, user.id, 'initial');
          return { user, token };
        },
        (r) => r.user.id,
      );
    },

    async listUsers(actor: Actor, cursor: string | undefined, limit: number): Promise<Page<User>> {
      if (actor.role !== 'ADMIN' && actor.role !== 'AUDITOR') throw forbidden('Only administrators and auditors may list users');
      const rows = await repo.listUsers(db, decodeCursor(cursor), limit);
      return toPage(rows, limit, (r) => r.id, toUser);
    },

    async getUser(actor: Actor, id: string): Promise<User> {
      if (actor.userId !== id && actor.role !== 'ADMIN' && actor.role !== 'AUDITOR') throw forbidden('You may only read your own user');
      const row = await repo.findUser(db, id);
      if (!row) throw notFound('user', id);
      return toUser(row);
    },

    async setDisabled(actor: Actor, id: string, disabled: boolean): Promise<User> {
      requireAdmin(actor);
      return auditor.run({ actor, action: disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: id }, async (trx) => {
        const row = await repo.findUser(trx, id);
        if (!row) throw notFound('user', id);
        // Nobody could manage the platform any more (ensureFirstAdmin only runs on an empty user table).
        if (disabled && row.role === 'ADMIN' && !toBool(row.disabled) && (await repo.countActiveAdmins(trx, id)) === 0) {
          throw new AppError('LAST_ADMIN', `'${row.username}' is the last active administrator; make another administrator first`);
        }
        await repo.setDisabled(trx, id, disabled);
        return { ...toUser(row), disabled };
      });
    },

    /** A user issues more tokens for themself; an administrator for anyone. */
    async issueToken(actor: Actor, userId: string, label: string | null): Promise<IssuedToken> {
      if (actor.userId !== userId) requireAdmin(actor);
      return auditor.run({ actor, action: 'token.issue', targetType: 'user', targetId: userId, detail: { label } }, async (trx) => {
        if (!(await repo.findUser(trx, userId))) throw notFound('user', userId);
        return issue(trx, userId, label);
      });
    },

    /**
     * A console sign-in: username and password → a token that expires after SESSION_HOURS. A wrong
     * password, an unknown or disabled user and a user without a password all answer the same 401
     * (after the same scrypt work); MAX_FAILED_LOGINS failures in a row lock the account for
     * LOCK_MINUTES (429 with Retry-After), even for the right password. Every attempt is audited.
     * An address past STAFF_LOGIN_THROTTLE's failures is refused first (LOGIN_THROTTLED, audited).
     */
    async login(username: string, password: string, address = 'unknown'): Promise<{ token: IssuedToken; user: User }> {
      try {
        await throttle.assertAllowed(username, address);
      } catch (e) {
        // Refused by the throttle is audited; its store unreachable (LOGIN_THROTTLE_UNAVAILABLE) is only answered.
        if (!(e instanceof AppError && e.code === 'LOGIN_THROTTLED')) throw e;
        await auditor.run(
          { actor: null, action: 'user.login.throttled', targetType: 'user', targetId: null, detail: { username, address } },
          async () => undefined,
        );
        throw e;
      }
      const row = await repo.findUserByName(db, username);
      const now = clock.now();
      const nowIso = now.toISOString();
      if (row?.locked_until && row.locked_until > nowIso) {
        const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(row.locked_until) - now.getTime()) / 1000));
        await auditor.run({ actor: null, action: 'user.login.locked', targetType: 'user', targetId: row.id, detail: { username } }, async () => undefined);
        throw new AppError('LOGIN_LOCKED', `Too many failed sign-ins; the account is locked for ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
      const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
      if (!row || !row.password_hash || !ok || toBool(row.disabled)) {
        await throttle.failed(username, address);
        const failed = row ? row.failed_logins + 1 : 0;
        const lock = row !== undefined && failed >= MAX_FAILED_LOGINS;
        await auditor.run(
          { actor: null, action: 'user.login.failed', targetType: 'user', targetId: row?.id ?? null, detail: { username, locked: lock } },
          async (trx) => {
            if (row) await repo.recordFailedLogin(trx, row.id, lock ? 0 : failed, lock ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null);
          },
        );
        throw new AppError('CREDENTIALS_INVALID', 'The username or the password is wrong');
      }
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
      return auditor.run({ actor: null, action: 'user.login', targetType: 'user', targetId: row.id, detail: { username } }, async (trx) => {
        await repo.recordFailedLogin(trx, row.id, 0, null);
        return { token: await issue(trx, row.id, SESSION_LABEL, undefined, expiresAt), user: toUser(row) };
      });
    },

    /** Signs out: revokes the token the request came with when a sign-in issued it; an API token is left valid. */
    async logout(actor: Actor, token: string): Promise<void> {
      await auditor.run({ actor, action: 'user.logout', targetType: 'user', targetId: actor.userId }, async (trx) => {
        await repo.revokeSessionByHash(trx, actor.userId, hashToken(token), SESSION_LABEL, clock.now().toISOString());
      });
    },

    /**
     * Sets a user's password: a user their own (with the current one, when one is set), an
     * administrator anyone's. Clears a lock. Only the scrypt hash is stored; the audit keeps no secret.
     */
    async setPassword(actor: Actor, userId: string, input: { currentPassword?: string; password: string }): Promise<void> {
      if (actor.userId !== userId) requireAdmin(actor);
      const row = await repo.findUser(db, userId);
      if (!row) throw notFound('user', userId);
      checkPassword(input.password, row.username);
      if (actor.userId === userId && row.password_hash && actor.role !== 'ADMIN') {
        if (!input.currentPassword || !(await verifyPassword(input.currentPassword, row.password_hash))) {
          throw new AppError('CREDENTIALS_INVALID', 'The current password is wrong');
        }
      }
      const hash = await hashPassword(input.password);
      await auditor.run({ actor, action: 'user.password.set', targetType: 'user', targetId: userId }, (trx) =>
        repo.setPassword(trx, userId, hash, clock.now().toISOString()),
      );
    },

    async listTokens(actor: Actor, userId: string): Promise<TokenInfo[]> {
      if (actor.userId !== userId) requireAdmin(actor);
      return (await repo.listTokens(db, userId)).map(toTokenInfo);
    },

    async revokeToken(actor: Actor, userId: string, tokenId: string): Promise<void> {
      if (actor.userId !== userId) requireAdmin(actor);
      await auditor.run({ actor, action: 'token.revoke', targetType: 'token', targetId: tokenId }, async (trx) => {
        const r = await repo.revokeToken(trx, userId, tokenId, clock.now().toISOString());
        if (Number(r.numUpdatedRows) === 0) throw notFound('token', tokenId);
      });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
