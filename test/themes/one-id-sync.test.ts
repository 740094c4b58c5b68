import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { consumerQuery, E1, E1_ORG, oneIdFixture, P1, P1_LEGACY, staffQuery, type OneIdFixture } from './one-id-fixtures.js';

/** The same resources and records as the other one-ID tests, their masters built by the masters part's sync from the themes' definitions. */
describeEachDialect('themes: the one-ID query over masters built by the real sync', (fresh) => {
  let db: TestDb;
  let t: OneIdFixture;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await oneIdFixture(db, { sync: true });
  }, 90_000);

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const tiers = (body: { records: { resourceId: string; tier: string }[] }) =>
    body.records.map((r) => [r.resourceId, r.tier]).sort((a, b) => a[0]!.localeCompare(b[0]!));

  it('finds a person from the legacy number, its records joined by key and by the 15 → 18 upgrade', async () => {
    const res = await staffQuery(t, t.adminToken, P1_LEGACY);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: P1, kind: 'CITIZEN_ID', matchedBy: 'LEGACY', withheld: [] });
    expect(body.subjects.map((s: { theme: string; masterKey: string }) => [s.theme, s.masterKey])).toEqual([['population', P1]]);
    expect(body.subjects[0].attributes).toEqual({ name: '王**', mobile: '138****1111', insured_status: '参保缴费' });
    expect(tiers(body)).toEqual(
      [
        [t.r.popR, 'KEY'],
        [t.r.secretR, 'KEY'],
        [t.r.socR, 'LEGACY'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
  });

  it('finds an entity from its organisation code through the bridge the sync recorded', async () => {
    const res = await staffQuery(t, t.adminToken, E1_ORG);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: E1, kind: 'USCC', matchedBy: 'BRIDGE', subjects: [{ theme: 'legal_entity', masterKey: E1 }] });
    expect(tiers(res.json())).toEqual(
      [
        [t.r.entR, 'KEY'],
        [t.r.orgR, 'BRIDGE'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
  });

  it('gives the consumer only its granted items, masked', async () => {
    const res = await consumerQuery(t, P1);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().records.map((r: { resourceId: string; record: unknown }) => [r.resourceId, r.record])).toEqual([
      [t.r.popR, { full_name: '王**', mobile: '138****1111', sex_code: '1' }],
    ]);
    expect(res.json().withheld).toEqual([{ resourceId: t.r.socR, resourceName: '社会保险参保信息', reason: 'NOT_GRANTED' }]);
  });
});
