import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { unseal } from '../../src/shared/secret-box.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { PLATFORM_KEY, registerConsumer, sharingFixture, type SharingFixture } from './consumers-fixtures.js';

type Credential = { id: string; appKey: string; secretLast4: string | null; active: boolean; retiredAt: string | null };
type Consumer = { id: string; status: string; departmentId: string; credentials: Credential[] };

describeEachDialect('sharing: consumer systems and their credentials', (fresh) => {
  let db: TestDb;
  let t: SharingFixture;
  beforeAll(async () => {
    db = await fresh();
    t = await sharingFixture(db);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (token: string, url: string, payload?: unknown) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload: (payload ?? {}) as object });
  const tokenFor = (appKey: string, secret: string) => t.app.inject({ method: 'POST', url: '/api/v1/sharing/token', payload: { appKey, secret } });

  it('registers a system as a consumer: the secret is shown once, stored as a SHA-256 hash and sealed, never shown again', async () => {
    const issued = await registerConsumer(t, t.deptA.token, t.systemA);
    expect(issued.consumer.departmentId).toBe(t.deptA.id);
    expect(issued.credentials.appKey).toMatch(/^kja_[0-9a-f]{24}$/);
    expect(issued.credentials.secret).toMatch(/^kjs_[A-Za-z0-9_-]{43}$/);

    const row = await db.db.selectFrom('sharing_credentials').selectAll().where('id', '=', issued.credentials.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(createHash('sha256').update(issued.credentials.secret).digest('hex'));
    expect(JSON.stringify(await db.db.selectFrom('sharing_credentials').selectAll().execute())).not.toContain(issued.credentials.secret);
    // Sealed with the platform key, bound to its own credential id.
    expect(unseal(row.secret_sealed!, PLATFORM_KEY, issued.credentials.id)).toBe(issued.credentials.secret);
    expect(() => unseal(row.secret_sealed!, PLATFORM_KEY, 'another-credential')).toThrow();

    const shown = await get(t.deptA.token, `/api/v1/sharing/consumers/${issued.consumer.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).not.toContain(issued.credentials.secret);
    expect((shown.json() as Consumer).credentials).toEqual([
      expect.objectContaining({ appKey: issued.credentials.appKey, secretLast4: issued.credentials.secret.slice(-4), active: true, retiredAt: null }),
    ]);
    expect((await get(t.adminToken, '/api/v1/sharing/consumers')).body).not.toContain(issued.credentials.secret);

    // Audited, without the secret.
    const audit = await db.db.selectFrom('audit_events').selectAll().where('action', '=', 'sharing.consumer.register').execute();
    expect(audit.map((a) => a.outcome)).toEqual(['success']);
    expect(JSON.stringify(audit)).not.toContain(issued.credentials.secret);

    // One consumer per system.
    const again = await post(t.deptA.token, '/api/v1/sharing/consumers', { systemId: t.systemA });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('DUPLICATE');
  });

  it("one department cannot register, see or act on another's consumers", async () => {
    const other = await post(t.deptB.token, '/api/v1/sharing/consumers', { systemId: t.systemA2 });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('FORBIDDEN');
    const missing = await post(t.deptA.token, '/api/v1/sharing/consumers', { systemId: 'no-such-system' });
    expect(missing.statusCode).toBe(404);

    const a = await registerConsumer(t, t.deptA.token, t.systemA2);
    for (const res of [
      await get(t.deptB.token, `/api/v1/sharing/consumers/${a.consumer.id}`),
      await post(t.deptB.token, `/api/v1/sharing/consumers/${a.consumer.id}/keys`),
      await post(t.deptB.token, `/api/v1/sharing/consumers/${a.consumer.id}/revoke`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    const listB = (await get(t.deptB.token, '/api/v1/sharing/consumers')).json() as { items: Consumer[] };
    expect(listB.items.map((c) => c.departmentId)).not.toContain(t.deptA.id);
    const listA = (await get(t.deptA.token, '/api/v1/sharing/consumers')).json() as { items: Consumer[] };
    expect(listA.items.length).toBeGreaterThanOrEqual(2);
    expect(new Set(listA.items.map((c) => c.departmentId))).toEqual(new Set([t.deptA.id]));
    // Platform roles see every department's.
    const all = (await get(t.auditorToken, `/api/v1/sharing/consumers?departmentId=${t.deptA.id}`)).json() as { items: Consumer[] };
    expect(all.items.map((c) => c.id)).toContain(a.consumer.id);
  });

  it('rotating a key issues a new secret once and retires the old key at once', async () => {
    const list = (await get(t.deptA.token, `/api/v1/sharing/consumers?systemId=${t.systemA}`)).json() as { items: Consumer[] };
    const consumer = list.items[0]!;
    const oldKey = consumer.credentials[0]!;
    const rotated = await post(t.deptA.token, `/api/v1/sharing/consumers/${consumer.id}/keys`);
    expect(rotated.statusCode).toBe(201);
    const { credentials, consumer: after } = rotated.json() as { credentials: { appKey: string; secret: string }; consumer: Consumer };
    expect(credentials.appKey).not.toBe(oldKey.appKey);
    expect(after.credentials.map((c) => [c.appKey, c.active])).toEqual([
      [credentials.appKey, true],
      [oldKey.appKey, false],
    ]);
    expect((await tokenFor(credentials.appKey, credentials.secret)).statusCode).toBe(200);
    const old = await tokenFor(oldKey.appKey, 'whatever');
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('SHARING_CREDENTIALS_INVALID');
    const audit = await db.db.selectFrom('audit_events').select('outcome').where('action', '=', 'sharing.consumer.rotate-key').execute();
    expect(audit).toEqual([{ outcome: 'success' }]);
  });

  it('revoking a consumer retires its keys; it cannot be rotated or revoked again', async () => {
    const issued = await registerConsumer(t, t.deptB.token, t.systemB);
    expect((await tokenFor(issued.credentials.appKey, issued.credentials.secret)).statusCode).toBe(200);
    const revoked = await post(t.adminToken, `/api/v1/sharing/consumers/${issued.consumer.id}/revoke`, { reason: '系统下线' });
    expect(revoked.statusCode).toBe(200);
    const c = revoked.json() as Consumer;
    expect(c.status).toBe('REVOKED');
    expect(c.credentials.every((k) => !k.active)).toBe(true);
    const after = await tokenFor(issued.credentials.appKey, issued.credentials.secret);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('SHARING_CREDENTIALS_INVALID');
    for (const url of [`/api/v1/sharing/consumers/${issued.consumer.id}/keys`, `/api/v1/sharing/consumers/${issued.consumer.id}/revoke`]) {
      const res = await post(t.deptB.token, url);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('SHARING_CONSUMER_REVOKED');
    }
    const filtered = (await get(t.deptB.token, '/api/v1/sharing/consumers?status=REVOKED')).json() as { items: Consumer[] };
    expect(filtered.items.map((x) => x.id)).toEqual([issued.consumer.id]);
  });

  it('a wrong secret gets no token; the token answer follows OAuth 2 (access_token, token_type, expires_in)', async () => {
    const list = (await get(t.deptA.token, `/api/v1/sharing/consumers?systemId=${t.systemA2}`)).json() as { items: Consumer[] };
    const rotated = (await post(t.deptA.token, `/api/v1/sharing/consumers/${list.items[0]!.id}/keys`)).json() as {
      credentials: { appKey: string; secret: string };
    };
    const wrong = await tokenFor(rotated.credentials.appKey, `${rotated.credentials.secret.slice(0, -1)}x`);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('SHARING_CREDENTIALS_INVALID');
    const ok = await tokenFor(rotated.credentials.appKey, rotated.credentials.secret);
    expect(ok.json()).toEqual({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'Bearer', expires_in: 900 });
  });
});
