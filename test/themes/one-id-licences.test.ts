import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { apply } from '../sharing/consumers-fixtures.js';
import { consumerQuery, LICENCE, oneIdFixture, P1, staffQuery, type OneIdFixture } from './one-id-fixtures.js';

describeEachDialect('themes: the one-ID query finds masters by an indexed subject attribute (e-licences by holder code)', (fresh) => {
  let db: TestDb;
  let t: OneIdFixture;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await oneIdFixture(db, { licences: true });
  }, 60_000);

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it("answers staff the person's licences beside the population records", async () => {
    const res = await staffQuery(t, t.adminToken, P1);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.subjects.map((s: { theme: string; masterKey: string }) => [s.theme, s.masterKey])).toEqual([
      ['population', P1],
      ['elicence', LICENCE],
    ]);
    expect(body.subjects[1].attributes).toEqual({ name: '机动车驾驶证', holder_code: `330602********${P1.slice(14)}` });
    const lic = body.records.filter((r: { theme: string }) => r.theme === 'elicence');
    expect(lic).toEqual([
      {
        theme: 'elicence',
        resourceId: t.r.licR,
        resourceCode: expect.any(String),
        resourceName: '电子证照信息',
        tier: 'KEY',
        record: { licence_id: LICENCE, licence_name: '机动车驾驶证', holder_code: `330602********${P1.slice(14)}`, valid_to: '2030-05-01' },
      },
    ]);
    expect(body.records).toHaveLength(4);
  });

  it('gives a consumer a licence only with a grant on the licence resource, the licence id withheld unless its item is granted', async () => {
    const before = await consumerQuery(t, P1);
    expect(before.json().withheld).toContainEqual({ resourceId: t.r.licR, resourceName: '电子证照信息', reason: 'NOT_GRANTED' });
    expect(before.json().subjects.map((s: { theme: string }) => s.theme)).toEqual(['population']);
    expect(before.body).not.toContain(LICENCE);

    const applied = await apply(t, t.deptA.token, {
      consumerId: t.consumer.id,
      resourceId: t.r.licR,
      items: ['licence_name', 'valid_to'],
      purpose: '社会救助资格核验',
      validUntil: '2026-12-31',
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const after = await consumerQuery(t, P1);
    expect(after.statusCode, after.body).toBe(200);
    const body = after.json();
    expect(body.withheld.map((w: { resourceId: string }) => w.resourceId)).not.toContain(t.r.licR);
    expect(body.subjects[1]).toEqual({
      theme: 'elicence',
      themeName: '电子证照主题库',
      masterKey: null,
      attributes: { name: '机动车驾驶证' },
      provenance: { name: { resourceId: t.r.licR, receivedAt: '2026-03-01T00:00:00.000Z' } },
    });
    expect(body.records.filter((r: { theme: string }) => r.theme === 'elicence').map((r: { record: unknown }) => r.record)).toEqual([
      { licence_name: '机动车驾驶证', valid_to: '2030-05-01' },
    ]);
    expect(after.body).not.toContain(LICENCE);
  });
});
