import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyPassword } from '../../src/shared/passwords.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { movableClock, openBearer, publicUser } from './community-fixtures.js';

describeEachDialect('opening: public users and sessions', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const clock = movableClock('2026-03-02T02:00:00Z');

  const register = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/open/users', payload });
  const login = (loginName: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/open/sessions', payload: { login: loginName, password } });
  const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/open/me', headers: openBearer(token) });

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db, { clock });
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('registers a public user apart from staff users: the password is stored as a salted scrypt hash, never shown', async () => {
    const res = await register({ username: 'Zhang_Wei', email: 'Zhang.Wei@Example.org', phone: '+86 138-0013-8000', password: 'a long passphrase' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ username: 'Zhang_Wei', email: 'zhang.wei@example.org', phone: '138****8000', displayName: 'Zhang_Wei' });
    expect(res.body).not.toContain('passphrase');
    const row = await db.db.selectFrom('open_users').selectAll().where('username', '=', 'Zhang_Wei').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('a long passphrase', row.password_hash)).toBe(true);
    expect(await verifyPassword('a long passphrasE', row.password_hash)).toBe(false);
    // The same password twice gives two different hashes (salted); staff users are untouched.
    await register({ username: 'li_na', email: 'li.na@example.org', password: 'a long passphrase' });
    const other = await db.db.selectFrom('open_users').select('password_hash').where('username', '=', 'li_na').executeTakeFirstOrThrow();
    expect(other.password_hash).not.toBe(row.password_hash);
    expect(await db.db.selectFrom('users').select('username').where('username', 'in', ['Zhang_Wei', 'li_na']).execute()).toEqual([]);
  });

  it('refuses short passwords, a missing contact and taken names, naming the field', async () => {
    const short = await register({ username: 'shorty', email: 's@example.org', password: 'nine char' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe('body.password');
    const noContact = await register({ username: 'nobody', password: 'long enough pw' });
    expect(noContact.statusCode).toBe(400);
    expect(noContact.json().errors[0].path).toBe('body.email');
    const taken = await register({ username: 'zhang_wei', email: 'new@example.org', password: 'long enough pw' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'DUPLICATE', errors: [{ path: 'body.username' }] });
    const email = await register({ username: 'someone', email: 'ZHANG.WEI@example.org', password: 'long enough pw' });
    expect(email.json()).toMatchObject({ code: 'DUPLICATE', errors: [{ path: 'body.email' }] });
  });

  it('signs in by username, e-mail or phone; a wrong password is 401; the token reads /open/me', async () => {
    const wrong = await login('zhang_wei', 'not the passphrase');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('OPEN_CREDENTIALS_INVALID');
    const unknown = await login('nobody-here', 'a long passphrase');
    expect(unknown.json().code).toBe('OPEN_CREDENTIALS_INVALID');
    for (const name of ['ZHANG_WEI', 'zhang.wei@example.org', '13800138000']) {
      const ok = await login(name, 'a long passphrase');
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().token).toMatch(/^kjo_/);
      const who = await me(ok.json().token);
      expect(who.statusCode).toBe(200);
      expect(who.json().username).toBe('Zhang_Wei');
    }
    const sessions = await db.db.selectFrom('open_sessions').select('token_hash').execute();
    expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
  });

  it('keeps public tokens and staff tokens apart', async () => {
    const { token } = await publicUser(t);
    // A public token on a staff route is no staff identity (401), and a staff token is no public user.
    const staffRoute = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: openBearer(token) });
    expect(staffRoute.statusCode).toBe(401);
    expect(staffRoute.json().code).toBe('UNAUTHENTICATED');
    const staffOnOpen = await me(t.adminToken);
    expect(staffOnOpen.statusCode).toBe(401);
    expect(staffOnOpen.json().code).toBe('UNAUTHENTICATED');
    const forged = await me('kjo_not-a-real-token');
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('INVALID_TOKEN');
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/open/me' });
    expect(anonymous.statusCode).toBe(401);
    // The staff token still works where it belongs.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(t.adminToken) })).statusCode).toBe(200);
  });

  it('ends a session on sign-out and when it expires (7 days)', async () => {
    const a = await publicUser(t);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/open/sessions/current', headers: openBearer(a.token) })).statusCode).toBe(204);
    expect((await me(a.token)).json().code).toBe('INVALID_TOKEN');
    const b = await publicUser(t);
    clock.advance(7 * 24 * 3_600_000 - 1000);
    expect((await me(b.token)).statusCode).toBe(200);
    clock.advance(2000);
    expect((await me(b.token)).json().code).toBe('INVALID_TOKEN');
  });

  it('throttles failed logins per name: the sixth try is 429 with Retry-After even with the right password, until the window passes', async () => {
    const u = await publicUser(t);
    for (let i = 0; i < 5; i++) expect((await login(u.username, 'wrong password!')).statusCode).toBe(401);
    const blocked = await login(u.username, u.password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('OPEN_LOGIN_THROTTLED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Another user from the same address is not blocked by this name's failures.
    const v = await publicUser(t);
    expect((await login(v.username, v.password)).statusCode).toBe(201);
    clock.advance(15 * 60_000 + 1000);
    expect((await login(u.username, u.password)).statusCode).toBe(201);
  });
});
