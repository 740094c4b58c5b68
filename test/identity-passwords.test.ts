import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from './dialects.js';
import { bearer, buildTestApp, type TestApp } from './test-app.js';

describeEachDialect('identity: console sign-in with a username and password', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let now = Date.parse('2026-12-01T02:00:00Z');
  const clock = { now: () => new Date(now) };
  const PASSWORD = 'Correct-Horse-9';
  let officerId: string;

  const signIn = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username, password } });
  const setPassword = (token: string, userId: string, payload: object) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/users/${userId}/password`, headers: bearer(token), payload });

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db, { clock });
    officerId = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.deptA.token) })).json().id;
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('refuses a weak password, naming the field, and stores nothing', async () => {
    for (const weak of ['short1', 'officer-a-1234567', 'aaaaaaaaaaaaab']) {
      const res = await setPassword(t.adminToken, officerId, { password: weak });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.password', code: 'too_weak' }] });
    }
    const row = await db.db.selectFrom('users').select(['password_hash']).where('id', '=', officerId).executeTakeFirstOrThrow();
    expect(row.password_hash).toBeNull();
    expect((await signIn('officer-a', 'short1')).statusCode).toBe(401);
  });

  it('an administrator sets a password; the user signs in and gets a token that expires after 12 hours', async () => {
    expect((await setPassword(t.adminToken, officerId, { password: PASSWORD })).statusCode).toBe(204);
    const row = await db.db.selectFrom('users').select(['password_hash', 'password_set_at']).where('id', '=', officerId).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
    const res = await signIn('officer-a', PASSWORD);
    expect(res.statusCode).toBe(201);
    const { token, user } = res.json();
    expect(user).toMatchObject({ username: 'officer-a', role: 'OFFICER', hasPassword: true });
    expect(token.expiresAt).toBe('2026-12-01T14:00:00.000Z');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token.token) })).statusCode).toBe(200);
    now += 12 * 3_600_000;
    const expired = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token.token) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('INVALID_TOKEN');
  });

  it('answers a wrong password, an unknown user and a user without a password alike', async () => {
    const wrong = await signIn('officer-a', 'Wrong-Horse-99');
    const unknown = await signIn('nobody', PASSWORD);
    const noPassword = await signIn('officer-b', PASSWORD);
    for (const r of [wrong, unknown, noPassword]) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'CREDENTIALS_INVALID', detail: 'The username or the password is wrong' });
    }
    // A success resets the count of failures in a row.
    expect((await signIn('officer-a', PASSWORD)).statusCode).toBe(201);
    const row = await db.db.selectFrom('users').select(['failed_logins']).where('id', '=', officerId).executeTakeFirstOrThrow();
    expect(Number(row.failed_logins)).toBe(0);
  });

  it('locks the account for 15 minutes after five failures in a row, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('officer-a', `Wrong-Horse-${i}0`)).statusCode).toBe(401);
    const locked = await signIn('officer-a', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('LOGIN_LOCKED');
    expect(locked.headers['retry-after']).toBe('900');
    now += 15 * 60_000;
    expect((await signIn('officer-a', PASSWORD)).statusCode).toBe(201);
    const actions = (await db.db.selectFrom('audit_events').select(['action', 'detail']).where('action', 'like', 'user.login%').execute()).map((r) => r.action);
    expect(actions.filter((a) => a === 'user.login.failed').length).toBeGreaterThanOrEqual(8);
    expect(actions).toContain('user.login.locked');
    const all = JSON.stringify(await db.db.selectFrom('audit_events').selectAll().execute());
    expect(all).not.toContain(PASSWORD);
  });

  it('a user changes their own password only with the current one; signing out revokes the session', async () => {
    const session = (await signIn('officer-a', PASSWORD)).json().token.token as string;
    const noCurrent = await setPassword(session, officerId, { password: 'Another-Pass-42' });
    expect(noCurrent.statusCode).toBe(401);
    expect(noCurrent.json().code).toBe('CREDENTIALS_INVALID');
    expect((await setPassword(session, officerId, { currentPassword: PASSWORD, password: 'Another-Pass-42' })).statusCode).toBe(204);
    expect((await signIn('officer-a', 'Another-Pass-42')).statusCode).toBe(201);
    // Another user's password: administrators only.
    expect((await setPassword(session, t.deptB.id, { password: 'Another-Pass-42' })).statusCode).toBe(403);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: bearer(session) });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(session) })).statusCode).toBe(401);
    // Other tokens of the user are untouched; signing out with an API token leaves it valid.
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: bearer(t.deptA.token) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.deptA.token) })).statusCode).toBe(200);
  });

  it('refuses an address after 30 failures in 15 minutes, whatever accounts it names, before any account count moves', async () => {
    now += 16 * 60_000;
    const from = (remoteAddress: string, username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username, password }, remoteAddress });
    // Spraying: one wrong password over many names (most unknown), never five on one account.
    for (let i = 0; i < 30; i++) expect((await from('203.0.113.7', i % 8 === 0 ? 'officer-a' : `guess-${i}`, 'Spray-Pass-2026')).statusCode).toBe(401);
    const before = await db.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', officerId).executeTakeFirstOrThrow();
    // Four of the sprays named officer-a (the count was reset by the last test's sign-in): below the lock.
    expect(Number(before.failed_logins)).toBe(4);
    expect(before.locked_until).toBeNull();
    const blocked = await from('203.0.113.7', 'officer-a', 'Another-Pass-42');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('LOGIN_THROTTLED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The refused attempt did not count against the account, and another address signs in.
    const after = await db.db.selectFrom('users').select(['failed_logins']).where('id', '=', officerId).executeTakeFirstOrThrow();
    expect(Number(after.failed_logins)).toBe(Number(before.failed_logins));
    expect((await from('198.51.100.20', 'officer-a', 'Another-Pass-42')).statusCode).toBe(201);
    // Once the window has passed, the address may try again.
    now += 15 * 60_000 + 1000;
    expect((await from('203.0.113.7', 'officer-a', 'Another-Pass-42')).statusCode).toBe(201);
    const actions = (await db.db.selectFrom('audit_events').select(['action']).where('action', '=', 'user.login.throttled').execute()).length;
    expect(actions).toBe(1);
  });
});
