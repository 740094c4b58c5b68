import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from './dialects.js';
import { bearer, buildTestApp, type TestApp } from './test-app.js';

describeEachDialect('identity: users, tokens, audit', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('the first admin exists once; a second bootstrap does nothing', async () => {
    expect(await t.services.identity.ensureFirstAdmin('admin', undefined)).toBeNull();
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.adminToken) })).json();
    expect(me).toMatchObject({ username: 'admin', role: 'ADMIN' });
  });

  it('an admin creates an officer whose token works and is never stored in clear', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.adminToken),
      payload: { username: 'wang.officer', role: 'OFFICER', departmentId: t.deptA.id, displayName: '王科员' },
    });
    expect(res.statusCode).toBe(201);
    const { user, token } = res.json();
    expect(token.token).toMatch(/^kj_/);
    expect(token.last4).toBe(token.token.slice(-4));
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token.token) })).json();
    expect(me.departmentId).toBe(t.deptA.id);
    const stored = await db.db.selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).execute();
    expect(JSON.stringify(stored)).not.toContain(token.token);
    const listed = (await t.app.inject({ method: 'GET', url: `/api/v1/users/${user.id}/tokens`, headers: bearer(t.adminToken) })).json();
    expect(JSON.stringify(listed)).not.toContain(token.token);
  });

  it('an officer needs a department; only admins create users; usernames are unique', async () => {
    const noDept = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.adminToken), payload: { username: 'li', role: 'OFFICER' } });
    expect(noDept.json().code).toBe('VALIDATION_FAILED');
    const byOfficer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.deptA.token),
      payload: { username: 'zhao', role: 'ADMIN' },
    });
    expect(byOfficer.statusCode).toBe(403);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.adminToken),
      payload: { username: 'officer-a', role: 'AUDITOR' },
    });
    expect(dup.json().code).toBe('DUPLICATE');
  });

  it('a revoked token and a disabled user are refused', async () => {
    const { user, token } = (
      await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.adminToken), payload: { username: 'temp', role: 'REVIEWER' } })
    ).json();
    const second = (
      await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/tokens`, headers: bearer(token.token), payload: { label: 'cli' } })
    ).json();
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}/tokens/${token.id}`, headers: bearer(second.token) });
    expect(revoke.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token.token) })).json().code).toBe('INVALID_TOKEN');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(second.token) })).statusCode).toBe(200);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(t.adminToken), payload: { disabled: true } });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(second.token) })).statusCode).toBe(401);
  });

  it("one user cannot read or revoke another user's tokens", async () => {
    const admin = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.adminToken) })).json();
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/users/${admin.id}/tokens`, headers: bearer(t.deptA.token) });
    expect(list.statusCode).toBe(403);
    // The revocation half: an officer tries to revoke the admin's token; it is refused and the token still works.
    const adminTokens = (await t.app.inject({ method: 'GET', url: `/api/v1/users/${admin.id}/tokens`, headers: bearer(t.adminToken) })).json().items;
    const adminToken = adminTokens.find((k: { last4: string }) => k.last4 === t.adminToken.slice(-4));
    expect(adminToken).toBeDefined();
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${admin.id}/tokens/${adminToken.id}`, headers: bearer(t.deptA.token) });
    expect(revoke.statusCode).toBe(403);
    expect(revoke.json().code).toBe('FORBIDDEN');
    // Naming another user's token under one's own user id does not reach it either.
    const officer = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.deptA.token) })).json();
    const sideways = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${officer.id}/tokens/${adminToken.id}`, headers: bearer(t.deptA.token) });
    expect(sideways.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.adminToken) })).statusCode).toBe(200);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/users/${admin.id}/tokens`, headers: bearer(t.adminToken) })).json().items;
    expect(after.find((k: { id: string }) => k.id === adminToken.id).revokedAt).toBeNull();
  });

  it('writes are audited in the same transaction, failures too, and no secret is audited', async () => {
    const events = await db.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
    const actions = events.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toContain('user.create:success');
    expect(actions).toContain('user.create:failure');
    expect(actions).toContain('token.revoke:success');
    const tokens = await db.db.selectFrom('api_tokens').select('last4').execute();
    expect(tokens.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toMatch(/kj_[A-Za-z0-9_-]{20,}/);
  });
});
