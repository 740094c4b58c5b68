import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyCallChain } from '../../src/modules/sharing/audit/verify-chain.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { publishInterface } from '../sharing/gateway-fixtures.js';
import { bearer } from '../test-app.js';
import { consumerQuery, E1_ORG, oneIdFixture, P1, P1_LEGACY, PURPOSE, type OneIdFixture } from './one-id-fixtures.js';

/** What the fixture's consumer (granted full_name, mobile, sex_code of the population resource) receives of P1. */
const granted = (t: OneIdFixture) => ({
  theme: 'population',
  resourceId: t.r.popR,
  resourceCode: t.codes.popR,
  resourceName: '户籍人口基本信息',
  tier: 'KEY',
  record: { full_name: '王**', mobile: '138****1111', sex_code: '1' },
});

describeEachDialect('themes: the one-ID query for consumer systems through the gateway (grants, masking, call audit)', (fresh) => {
  let db: TestDb;
  let t: OneIdFixture;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await oneIdFixture(db);
    // An interface whose code is the route's static segment: the one-ID route still answers.
    await publishInterface(t, { resourceId: t.r.popR, code: 'one-id', version: 'v1', name: '同名接口' });
  }, 60_000);

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const calls = async () => {
    await t.flushCalls();
    return db.db.selectFrom('sharing_calls').selectAll().where('interface_code', '=', 'one-id').orderBy('seq').execute();
  };

  it('returns only the granted items of granted resources, masked per rule; the ungranted resource withheld, the classified one not named', async () => {
    const res = await consumerQuery(t, P1);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: P1,
      kind: 'CITIZEN_ID',
      matchedBy: 'KEY',
      subjects: [
        {
          theme: 'population',
          themeName: '人口主题库',
          masterKey: P1,
          // insured_status came from the social-insurance resource, which is not granted.
          attributes: { name: '王**', mobile: '138****1111' },
          provenance: {
            name: { resourceId: t.r.popR, receivedAt: '2026-03-01T00:00:00.000Z' },
            mobile: { resourceId: t.r.popR, receivedAt: '2026-03-01T00:00:00.000Z' },
          },
        },
      ],
      records: [granted(t)],
      withheld: [{ resourceId: t.r.socR, resourceName: '社会保险参保信息', reason: 'NOT_GRANTED' }],
    });
    expect(res.body).not.toContain('浙江省');
    expect(res.body).not.toContain(t.r.secretR);
    // The legacy number finds the same answer.
    const legacy = await consumerQuery(t, P1_LEGACY);
    expect(legacy.json()).toEqual({ ...res.json(), matchedBy: 'LEGACY' });
  });

  it("withholds every resource of an entity the consumer holds no grant on, whatever the id's form", async () => {
    const res = await consumerQuery(t, E1_ORG);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().subjects).toEqual([]);
    expect(res.json().records).toEqual([]);
    expect(res.json().withheld.map((w: { reason: string }) => w.reason)).toEqual(['NOT_GRANTED', 'NOT_GRANTED']);
  });

  it('refuses a call without a purpose or credentials, as the gateway does, and audits it', async () => {
    const noPurpose = await consumerQuery(t, P1, { purpose: null });
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.headers['content-type']).toContain('application/problem+json');
    expect(noPurpose.json()).toMatchObject({ code: 'GATEWAY_PURPOSE_REQUIRED' });
    const noToken = await consumerQuery(t, P1, { token: null });
    expect(noToken.statusCode).toBe(401);
    const bad = await consumerQuery(t, '330602196503121230');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'params.id' }] });
    const rows = await calls();
    const last = rows.slice(-3);
    expect(last.map((r) => [r.status, r.error_code, r.consumer_id])).toEqual([
      [400, 'GATEWAY_PURPOSE_REQUIRED', t.consumer.id],
      [401, expect.any(String), null],
      [400, 'VALIDATION_FAILED', t.consumer.id],
    ]);
  });

  it('records each call in the call audit with its purpose, the subject masked and hashed, the items and rows; the chain verifies', async () => {
    const before = (await calls()).length;
    const res = await consumerQuery(t, P1, { purpose: encodeURIComponent('最低生活保障审核') });
    expect(res.statusCode).toBe(200);
    const rows = await calls();
    expect(rows).toHaveLength(before + 1);
    const row = rows.at(-1)!;
    const keys = typeof row.keys === 'string' ? JSON.parse(row.keys) : row.keys;
    const items = typeof row.items === 'string' ? JSON.parse(row.items) : row.items;
    expect(row).toMatchObject({
      consumer_id: t.consumer.id,
      department_id: t.deptA.id,
      interface_id: null,
      interface_code: 'one-id',
      purpose: '最低生活保障审核',
      row_count: 1,
      status: 200,
      error_code: null,
    });
    expect(keys).toEqual([{ kind: 'CITIZEN_ID', subject: `330602********${P1.slice(14)}`, subjectHash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(items).toEqual([`${t.r.popR}:full_name`, `${t.r.popR}:mobile`, `${t.r.popR}:sex_code`]);
    expect(JSON.stringify(row)).not.toContain(P1);
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true });
  });

  it('answers a call signed with HMAC the same as one with a token', async () => {
    const url = `/gateway/one-id/${P1}`;
    const timestamp = String(t.clock.now().getTime());
    const nonce = randomBytes(12).toString('hex');
    const signature = createHmac('sha256', t.consumer.secret).update(['GET', url, '', timestamp, nonce].join('\n')).digest('base64');
    const res = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'x-app-key': t.consumer.appKey, 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature, 'x-purpose': PURPOSE },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().records).toEqual([granted(t)]);
  });

  it('takes a revoked grant into account on the next call', async () => {
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/grants/${t.grantId}/revoke`,
      headers: bearer(t.adminToken),
      payload: { reason: '业务已办结' },
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const res = await consumerQuery(t, P1);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: P1,
      kind: 'CITIZEN_ID',
      matchedBy: 'KEY',
      subjects: [],
      records: [],
      withheld: [
        { resourceId: t.r.popR, resourceName: '户籍人口基本信息', reason: 'NOT_GRANTED' },
        { resourceId: t.r.socR, resourceName: '社会保险参保信息', reason: 'NOT_GRANTED' },
      ],
    });
    const row = (await calls()).at(-1)!;
    expect([row.row_count, row.status]).toEqual([0, 200]);
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true });
  });
});
