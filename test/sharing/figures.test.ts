import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { newId } from '../../src/shared/ids.js';
import { toJson } from '../../src/storage/dialect.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

// 2026-03-02 09:00 in Shanghai: grants valid until 2026-03-02 are still active, until 03-01 expired.
const NOW = '2026-03-02T01:00:00Z';

type Figures = {
  scope: string;
  today: string;
  interfaces: Record<string, unknown>;
  systems: Record<string, number>;
  calls: {
    calls: number;
    errors: number;
    errorRate: number | null;
    byDay: unknown[];
    byInterface: { interfaceId: string; code: string | null; calls: number; errors: number }[];
    byConsumer: { consumerId: string; calls: number; errors: number }[];
    byDepartment: { departmentId: string; calls: number; errors: number }[];
  };
  applications: Record<string, unknown>;
  grants: { active: number };
};

describeEachDialect('sharing figures (/api/v1/sharing/stats)', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const ids = { iface: [] as string[], consumer: [] as string[] };

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db, { clock: fixedClock(NOW) });
    const s = t.services;
    const A = t.deptA.id;
    const B = t.deptB.id;
    const at = NOW;

    // The census: S1 and S4 marked connected; S2 and S3 not.
    const system = (departmentId: string, name: string, connected: boolean) =>
      s.systems.create(SYSTEM_ACTOR, { name, departmentId, level: 'CITY', status: 'IN_USE', connected });
    const s1 = await system(A, '市场主体登记系统', true);
    const s2 = await system(A, '食品经营许可系统', false);
    const s3 = await system(A, '特种设备监管系统', false);
    const s4 = await system(B, '全民健康信息平台', true);

    const resource = await s.resources.create(SYSTEM_ACTOR, resourceInput(A));
    const ifaces: [string, string, string][] = [
      ['GENERATED', 'CITY', 'PUBLISHED'],
      ['GENERATED', 'CITY', 'DRAFT'],
      ['UPSTREAM', 'PROVINCIAL', 'PUBLISHED'],
      ['UPSTREAM', 'NATIONAL', 'OFFLINE'],
      ['UPSTREAM', 'PROVINCIAL', 'PUBLISHED'],
    ];
    for (const [k, [kind, level, status]] of ifaces.entries()) {
      const id = newId();
      ids.iface.push(id);
      await db.db
        .insertInto('sharing_interfaces')
        .values({
          id,
          code: `if-${k + 1}`,
          version: 'v1',
          name: `接口${k + 1}`,
          kind,
          level,
          status,
          resource_id: kind === 'GENERATED' ? resource.id : null,
          department_id: A,
          rate_per_second: null,
          quota_per_day: null,
          quota_per_month: null,
          config: toJson(
            kind === 'GENERATED' ? { keyItems: [] } : { url: 'https://upstream.example/api', method: 'GET', timeoutMs: 5000, auth: { scheme: 'none' } },
          ),
          secret_sealed: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }

    // Consumers: C1 (S2) and C3 (S1) hold active grants; C2 (S3) only an expired one; C4 (S4) is revoked.
    const consumers: [string, string, string][] = [
      [s2.id, A, 'ACTIVE'],
      [s3.id, A, 'ACTIVE'],
      [s1.id, A, 'ACTIVE'],
      [s4.id, B, 'REVOKED'],
    ];
    for (const [k, [systemId, departmentId, status]] of consumers.entries()) {
      const id = newId();
      ids.consumer.push(id);
      await db.db
        .insertInto('sharing_consumers')
        .values({ id, system_id: systemId, department_id: departmentId, name: `对接系统${k + 1}`, status, created_by: 'admin', created_at: at, updated_at: at })
        .execute();
    }
    const [c1, c2, c3, c4] = ids.consumer as [string, string, string, string];
    const [i1, , i3, i4] = ids.iface as [string, string, string, string];

    const applications: [string, string | null, string | null][] = [
      ['GRANTED', null, null],
      ['COMPLIANCE_CHECK', '2026-02-27', null], // overdue
      ['COMPLIANCE_CHECK', '2026-03-02', null], // due today: not overdue yet
      ['PROVIDER_REVIEW', '2026-02-20', '2026-03-01'], // overdue
      ['ARBITRATION', null, null],
      ['REJECTED', null, null],
    ];
    const appIds: string[] = [];
    for (const [status, complianceDue, reviewDue] of applications) {
      const id = newId();
      appIds.push(id);
      await db.db
        .insertInto('sharing_applications')
        .values({
          id,
          consumer_id: c1,
          consumer_department_id: A,
          resource_id: null,
          interface_id: i3,
          provider_department_id: A,
          items: toJson([]),
          share_type: 2,
          purpose: '企业登记信息核验',
          scenario: null,
          legal_basis: null,
          valid_until: '2026-12-31',
          status,
          submitted_on: '2026-02-20',
          compliance_due: complianceDue,
          review_due: reviewDue,
          escalated: false,
          reason: null,
          applicant_id: null,
          applicant_name: null,
          created_at: at,
          updated_at: at,
          decided_at: null,
        })
        .execute();
    }

    const grants: [string, string, string][] = [
      [c1, '2026-12-31', 'ACTIVE'],
      [c2, '2026-03-01', 'ACTIVE'], // expired yesterday
      [c3, '2026-03-02', 'ACTIVE'], // valid through today
      [c4, '2026-12-31', 'ACTIVE'], // its consumer is revoked
      [c1, '2026-12-31', 'REVOKED'],
    ];
    for (const [consumerId, validUntil, status] of grants) {
      await db.db
        .insertInto('sharing_grants')
        .values({
          id: newId(),
          application_id: appIds[0]!,
          consumer_id: consumerId,
          resource_id: null,
          interface_id: i3,
          items: toJson([]),
          valid_until: validUntil,
          status,
          created_at: at,
          revoked_at: null,
          revoked_by: null,
          revoke_reason: null,
        })
        .execute();
    }

    const counts: [string, string, string, string, number, number][] = [
      ['2026-02-27', i1, c1, A, 100, 2],
      ['2026-02-28', i1, c1, A, 50, 0],
      ['2026-02-28', i3, c3, A, 30, 3],
      ['2026-03-01', i4, c2, A, 10, 10],
      ['2026-03-01', i1, c4, B, 5, 0],
    ];
    await db.db
      .insertInto('sharing_call_counts')
      .values(
        counts.map(([day, interfaceId, consumerId, departmentId, calls, errors]) => ({
          day,
          interface_id: interfaceId,
          consumer_id: consumerId,
          department_id: departmentId,
          calls,
          errors,
        })),
      )
      .execute();
  });

  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  const stats = async (query = '', token?: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/sharing/stats${query}`, headers: token ? bearer(token) : {} });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Figures>();
  };

  it('counts interfaces generated vs upstream, by level and by status', async () => {
    const f = await stats('', t.adminToken);
    expect(f.today).toBe('2026-03-02');
    expect(f.interfaces).toEqual({
      total: 5,
      generated: 2,
      upstream: 3,
      byLevel: { CITY: 2, PROVINCIAL: 2, NATIONAL: 1 },
      byStatus: { DRAFT: 1, PUBLISHED: 3, OFFLINE: 1 },
      published: { total: 3, generated: 1, upstream: 2, byLevel: { CITY: 1, PROVINCIAL: 2, NATIONAL: 0 } },
    });
  });

  it('counts connected systems: marked in the census, or a consumer with a grant valid today', async () => {
    const f = await stats();
    expect(f.systems).toEqual({ census: 4, connected: 3, markedConnected: 2, consumers: 3, consumersWithActiveGrant: 2 });
    expect(f.grants).toEqual({ active: 3 });
  });

  it('counts applications by status, pending and overdue', async () => {
    expect((await stats()).applications).toEqual({
      total: 6,
      byStatus: { COMPLIANCE_CHECK: 2, PROVIDER_REVIEW: 1, ARBITRATION: 1, GRANTED: 1, REJECTED: 1, WITHDRAWN: 0 },
      pending: 4,
      overdue: 2,
    });
  });

  it('sums calls per day, interface, consumer and department, with the error rate', async () => {
    const [i1, , i3, i4] = ids.iface;
    const [c1, c2, c3, c4] = ids.consumer;
    const f = await stats('', t.adminToken);
    expect(f.scope).toBe('all');
    expect(f.calls).toMatchObject({ calls: 195, errors: 15, errorRate: 0.0769 });
    expect(f.calls.byDay).toEqual([
      { day: '2026-02-27', calls: 100, errors: 2 },
      { day: '2026-02-28', calls: 80, errors: 3 },
      { day: '2026-03-01', calls: 15, errors: 10 },
    ]);
    expect(f.calls.byInterface.map((r) => [r.interfaceId, r.code, r.calls, r.errors])).toEqual([
      [i1, 'if-1', 155, 2],
      [i3, 'if-3', 30, 3],
      [i4, 'if-4', 10, 10],
    ]);
    expect(f.calls.byConsumer.map((r) => [r.consumerId, r.calls, r.errors])).toEqual([
      [c1, 150, 2],
      [c3, 30, 3],
      [c2, 10, 10],
      [c4, 5, 0],
    ]);
    expect(f.calls.byDepartment).toEqual([
      { departmentId: t.deptA.id, departmentName: '绍兴市市场监督管理局', calls: 190, errors: 15 },
      { departmentId: t.deptB.id, departmentName: '绍兴市卫生健康委员会', calls: 5, errors: 0 },
    ]);
  });

  it('limits the calls to from..to (inclusive) and the lists to top', async () => {
    const f = await stats('?from=2026-02-28&to=2026-03-01&top=1', t.adminToken);
    expect(f.calls).toMatchObject({ calls: 95, errors: 13, errorRate: 0.1368 });
    expect(f.calls.byDay).toHaveLength(2);
    expect(f.calls.byInterface.map((r) => [r.code, r.calls])).toEqual([['if-1', 55]]);
    expect(f.calls.byConsumer).toHaveLength(1);
    const none = await stats('?from=2027-01-01', t.adminToken);
    expect(none.calls).toMatchObject({ calls: 0, errors: 0, errorRate: null, byDay: [], byInterface: [] });
  });

  it('shows who calls how much to staff, an officer their own department, the public the totals and published interfaces', async () => {
    const anonymous = await stats();
    expect(anonymous.scope).toBe('public');
    expect(anonymous.calls).toMatchObject({ calls: 195, errors: 15, byConsumer: [], byDepartment: [] });
    expect(anonymous.calls.byInterface.map((r) => r.code)).toEqual(['if-1', 'if-3']);

    const officerB = await stats('', t.deptB.token);
    expect(officerB.scope).toBe('department');
    expect(officerB.calls.byConsumer.map((r) => [r.consumerId, r.calls])).toEqual([[ids.consumer[3], 5]]);
    expect(officerB.calls.byDepartment.map((r) => [r.departmentId, r.calls])).toEqual([[t.deptB.id, 5]]);
  });

  it('names the field of a bad range', async () => {
    for (const q of ['?from=2026-03-02&to=2026-03-01', '?from=2026-3-1', '?top=-1', '?since=2026-01-01']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/sharing/stats${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code, q).toBe('VALIDATION_FAILED');
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/sharing/stats?from=2026-03-02&to=2026-03-01' });
    expect(res.json().errors[0].path).toBe('query.to');
  });
});
