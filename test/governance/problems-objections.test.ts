import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildServices, serviceOptions, type Services } from '../../src/deps.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import type { Clock } from '../../src/shared/clock.js';
import { fromJson } from '../../src/storage/dialect.js';
import type { ScanResultForProblems } from '../../src/modules/governance/scans/problem-sink.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, resourceInput, seedRegions } from '../factories.js';
import { bearer } from '../test-app.js';

/** A clock the tests move: deadlines count working days from "today" in Asia/Shanghai. */
function movableClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => void (now = new Date(next)) };
}

type Problem = {
  id: string;
  status: string;
  lastScanId: string | null;
  deadline: string;
  openedOn: string;
  overdue: boolean;
  failed: number;
  checked: number;
  sample: string[];
  reason: string | null;
  closedAt: string | null;
};
type ProblemDetail = Problem & { history: { from: string | null; to: string; actor: string | null; note: string | null; scanId: string | null }[] };
type Objection = {
  id: string;
  status: string;
  disputed: boolean;
  key: Record<string, unknown>;
  forwardBy: string;
  verifyBy: string | null;
  extended: boolean;
  submitter: string | null;
  contact: string | null;
};

const result = (ruleId: string, failed: number, over: Partial<ScanResultForProblems> = {}): ScanResultForProblems => ({
  ruleId,
  resourceId: '',
  itemCode: 'org_name',
  kind: 'not-null',
  dimension: 'completeness',
  severity: 'high',
  checked: 10,
  passed: 10 - failed,
  failed,
  sample: Array.from({ length: failed }, (_, i) => `key-${i}`),
  ...over,
});

describeEachDialect('governance: problems and objections', (fresh) => {
  let db: TestDb;
  let services: Services;
  let app: FastifyInstance;
  let dataDir: string;
  const clock = movableClock('2025-09-26T02:00:00Z'); // Friday 26 September 2025, 10:00 in Shaoxing
  const tokens = { admin: '', a: '', b: '', auditor: '' };
  const dept = { a: '', b: '' };
  let resourceA: string; // department A's, records keyed by (uscc, seq)
  let secretA: string; // department A's classified resource

  const call = async (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> & { code?: string } };
  };
  const move = (id: string, token: string, body: Record<string, unknown>) => call('POST', `/api/v1/quality/problems/${id}/transitions`, token, body);
  const problem = async (id: string, token = tokens.admin) => (await call('GET', `/api/v1/quality/problems/${id}`, token)).body as unknown as ProblemDetail;
  const problemsOf = async (query: string, token = tokens.admin) =>
    ((await call('GET', `/api/v1/quality/problems?${query}`, token)).body as unknown as { items: Problem[] }).items;
  const sync = (scanId: string, resourceId: string, results: ScanResultForProblems[]) =>
    services.problems.syncFromResults(
      scanId,
      resourceId,
      results.map((r) => ({ ...r, resourceId })),
    );

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-gov-'));
    services = buildServices(db, clock, { dataDir });
    app = await buildApp(services, { logger: false });
    tokens.admin = (await services.identity.ensureFirstAdmin('admin', undefined))!.token;
    await seedRegions(services);
    dept.a = (await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市市场监督管理局' }))).id;
    dept.b = (await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市卫生健康委员会' }))).id;
    tokens.a = (await services.identity.createUser(SYSTEM_ACTOR, { username: 'officer-a', role: 'OFFICER', departmentId: dept.a })).token.token;
    tokens.b = (await services.identity.createUser(SYSTEM_ACTOR, { username: 'officer-b', role: 'OFFICER', departmentId: dept.b })).token.token;
    tokens.auditor = (await services.identity.createUser(SYSTEM_ACTOR, { username: 'auditor', role: 'AUDITOR' })).token.token;
    const created = await call(
      'POST',
      '/api/v1/resources',
      tokens.a,
      resourceInput(dept.a, {
        items: [
          { code: 'uscc', name: '统一社会信用代码', dataType: 'STRING', length: 18, primaryKey: true },
          { code: 'seq', name: '序号', dataType: 'INTEGER', primaryKey: true },
          { code: 'org_name', name: '单位名称', dataType: 'STRING', length: 200, primaryKey: false },
        ],
      }),
    );
    expect(created.status).toBe(201);
    resourceA = created.body.id as string;
    const secret = await call(
      'POST',
      '/api/v1/resources',
      tokens.a,
      resourceInput(dept.a, { classified: true, shareType: 'NOT_SHARED', notSharedBasis: '保密法', openType: 'PROHIBITED' }),
    );
    expect(secret.status).toBe(201);
    secretA = secret.body.id as string;
    const rows = [1, 2, 3].map((seq) => ({ uscc: 'T1330600MB0000001', seq, org_name: `单位${seq}` }));
    const pushed = await app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${resourceA}/batches/b1?wait=true&format=json`,
      headers: { ...bearer(tokens.a), 'content-type': 'application/json' },
      payload: JSON.stringify(rows),
    });
    expect(pushed.statusCode).toBeLessThan(300);
    expect((pushed.json() as { job: { status: string } }).job.status).toBe('succeeded');
  });
  beforeEach(() => clock.set('2025-09-26T02:00:00Z'));
  afterAll(async () => {
    await services.jobs.stop();
    await app.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('problems', () => {
    it('a failing rule opens one problem per (rule, resource) with its sample; a passing one opens none; a later scan updates it', async () => {
      await sync('scan-1', resourceA, [result('rule-open-1', 3), result('rule-pass-1', 0)]);
      let listed = await problemsOf(`resourceId=${resourceA}`);
      expect(listed.map((p) => [p.status, p.failed, p.checked, p.sample])).toEqual([['open', 3, 10, ['key-0', 'key-1', 'key-2']]]);
      await sync('scan-2', resourceA, [result('rule-open-1', 2), result('rule-pass-1', 0)]);
      listed = await problemsOf(`resourceId=${resourceA}`);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ status: 'open', failed: 2, sample: ['key-0', 'key-1'] });
      const detail = await problem(listed[0]!.id);
      expect(detail.history).toEqual([{ at: expect.any(String), actor: null, from: null, to: 'open', note: '3 of 10 failing', scanId: 'scan-1' }]);
    });

    it("a scan's sync is audited with what it opened and closed; a rule listed twice in one scan opens one problem", async () => {
      await sync('scan-dup', resourceA, [result('rule-dup', 1), result('rule-dup', 2)]);
      const opened = (await problemsOf(`resourceId=${resourceA}`)).filter((p) => p.lastScanId === 'scan-dup');
      expect(opened.map((p) => [p.status, p.failed])).toEqual([['open', 2]]);
      await sync('scan-dup2', resourceA, [result('rule-dup', 0)]);
      const audited = await db.db
        .selectFrom('audit_events')
        .select(['actor_id', 'detail', 'outcome'])
        .where('action', '=', 'quality.problems.sync')
        .where('target_id', '=', resourceA)
        .orderBy('id')
        .execute();
      const details = audited.map((e) => [e.actor_id, e.outcome, fromJson<Record<string, unknown>>(e.detail, {})]);
      expect(details.slice(-2)).toEqual([
        [null, 'success', { scanId: 'scan-dup', opened: [opened[0]!.id], closed: [], returned: [] }],
        [null, 'success', { scanId: 'scan-dup2', opened: [], closed: [opened[0]!.id], returned: [] }],
      ]);
    });

    it('the deadline counts 5 working days across the National Day holiday and its make-up working day; overdue is computed at read time', async () => {
      await sync('scan-d', resourceA, [result('rule-deadline', 1)]);
      const mine = (await problemsOf(`resourceId=${resourceA}`)).find((x) => x.lastScanId === 'scan-d')!;
      // Sun 28 Sep is a make-up working day (调休) = 1; Mon 29, Tue 30 = 2, 3; 1–8 Oct are holidays; Thu 9, Fri 10 Oct = 4, 5.
      expect(mine).toMatchObject({ openedOn: '2025-09-26', deadline: '2025-10-10', overdue: false });
      clock.set('2025-10-10T15:59:00Z'); // 23:59 on 10 Oct in Shaoxing: the last day, not yet overdue
      expect((await problem(mine.id)).overdue).toBe(false);
      expect((await problemsOf('overdue=true')).map((x) => x.id)).not.toContain(mine.id);
      clock.set('2025-10-10T16:01:00Z'); // 00:01 on 11 Oct in Shaoxing
      expect((await problem(mine.id)).overdue).toBe(true);
      expect((await problemsOf('overdue=true')).map((x) => x.id)).toContain(mine.id);
      expect((await problemsOf('overdue=false')).map((x) => x.id)).not.toContain(mine.id);
      // Closed problems are never overdue: the rule passes again.
      await sync('scan-d2', resourceA, [result('rule-deadline', 0)]);
      expect((await problem(mine.id)).overdue).toBe(false);
    });

    it('the deadline is configurable: 1 working day from Friday 26 Sep 2025 is the make-up working day Sunday 28 Sep', async () => {
      const other = buildServices(db, clock, { dataDir, governance: { problemDeadlineDays: 1 } });
      await other.problems.syncFromResults('scan-c', resourceA, [{ ...result('rule-config', 1), resourceId: resourceA }]);
      const opened = (await problemsOf(`resourceId=${resourceA}&status=open`)).find((p) => p.lastScanId === 'scan-c');
      expect(opened?.deadline).toBe('2025-09-28');
      await other.jobs.stop();
    });

    it('KUAIJI_PROBLEM_DEADLINE_DAYS and KUAIJI_OBJECTION_SLA_DAYS reach the deadlines; bad values stop the configuration', async () => {
      const config = loadConfig({ KUAIJI_DATA_DIR: dataDir, KUAIJI_PROBLEM_DEADLINE_DAYS: '2', KUAIJI_OBJECTION_SLA_DAYS: '1,3,6' });
      const configured = buildServices(db, clock, { dataDir, governance: serviceOptions(config).governance });
      await configured.problems.syncFromResults('scan-env', resourceA, [{ ...result('rule-env', 1), resourceId: resourceA }]);
      // Friday 26 Sep 2025 + 2 working days: the make-up Sunday 28 and Monday 29 Sep.
      expect((await problemsOf(`resourceId=${resourceA}`)).find((p) => p.lastScanId === 'scan-env')?.deadline).toBe('2025-09-29');
      const objection = await configured.objections.submit(null, {
        resourceId: resourceA,
        key: { uscc: 'T1330600MB0000001', seq: 1 },
        description: '测试',
        contact: '13800000000',
      });
      expect(objection.forwardBy).toBe('2025-09-28');
      await configured.objections.transition(SYSTEM_ACTOR, objection.id, { to: 'explained', reason: '测试数据' });
      await configured.objections.transition(SYSTEM_ACTOR, objection.id, { to: 'closed' });
      await configured.jobs.stop();
      for (const env of [{ KUAIJI_PROBLEM_DEADLINE_DAYS: '0' }, { KUAIJI_OBJECTION_SLA_DAYS: '2,5' }, { KUAIJI_OBJECTION_SLA_DAYS: '2,5,4' }]) {
        expect(() => loadConfig({ KUAIJI_DATA_DIR: dataDir, ...env })).toThrow(/Invalid configuration/);
      }
      expect(loadConfig({ KUAIJI_DATA_DIR: dataDir })).toMatchObject({
        problemDeadlineDays: 5,
        objectionSla: { forwardDays: 2, verifyDays: 5, extendedVerifyDays: 10 },
      });
    });

    it('walks the workflow; a re-check that still fails sends it back to rectifying, one that passes closes it; a later failure opens a new problem', async () => {
      await sync('scan-w1', resourceA, [result('rule-flow', 4)]);
      const id = (await problemsOf(`resourceId=${resourceA}`)).find((p) => p.lastScanId === 'scan-w1')!.id;
      const early = await move(id, tokens.a, { to: 'submitted' });
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'PROBLEM_TRANSITION_INVALID', from: 'open', to: 'submitted', allowed: ['acknowledged', 'explained'] });
      for (const to of ['acknowledged', 'rectifying', 'submitted']) {
        const res = await move(id, tokens.a, { to, note: `now ${to}` });
        expect(res.status).toBe(200);
        expect(res.body.status).toBe(to);
      }
      await sync('scan-w2', resourceA, [result('rule-flow', 1)]);
      let p = await problem(id);
      expect(p.status).toBe('rectifying');
      expect(p.history.slice(-2).map((h) => [h.from, h.to, h.scanId])).toEqual([
        ['submitted', 'rechecked', 'scan-w2'],
        ['rechecked', 'rectifying', 'scan-w2'],
      ]);
      expect((await move(id, tokens.a, { to: 'submitted' })).status).toBe(200);
      await sync('scan-w3', resourceA, [result('rule-flow', 0)]);
      p = await problem(id);
      expect(p.status).toBe('closed');
      expect(p.closedAt).not.toBeNull();
      expect(p.history.map((h) => h.to)).toEqual([
        'open',
        'acknowledged',
        'rectifying',
        'submitted',
        'rechecked',
        'rectifying',
        'submitted',
        'rechecked',
        'closed',
      ]);
      expect(p.history.filter((h) => h.actor === 'officer-a')).toHaveLength(4);
      const after = await move(id, tokens.a, { to: 'rectifying' });
      expect(after.body).toMatchObject({ code: 'PROBLEM_TRANSITION_INVALID', from: 'closed' });
      // Only scans re-check and close.
      expect((await move(id, tokens.admin, { to: 'closed' })).status).toBe(400);
      await sync('scan-w4', resourceA, [result('rule-flow', 2)]);
      const again = (await problemsOf(`resourceId=${resourceA}`)).filter((x) => x.lastScanId === 'scan-w4');
      expect(again.map((x) => [x.id === id, x.status, x.failed])).toEqual([[false, 'open', 2]]);
      expect((await problem(id)).status).toBe('closed');
      // Every move by a user is in the audit trail.
      const audited = await db.db
        .selectFrom('audit_events')
        .select(['actor_name', 'outcome'])
        .where('action', '=', 'quality.problem.transition')
        .where('target_id', '=', id)
        .execute();
      expect(audited.map((e) => [e.actor_name, e.outcome])).toEqual(Array(4).fill(['officer-a', 'success']));
    });

    it('an explanation needs a reason; it stops new problems for the rule; only an administrator reopens it, with a new deadline', async () => {
      await sync('scan-e1', resourceA, [result('rule-explain', 5)]);
      const id = (await problemsOf(`resourceId=${resourceA}`)).find((p) => p.lastScanId === 'scan-e1')!.id;
      const bare = await move(id, tokens.a, { to: 'explained' });
      expect(bare.status).toBe(400);
      expect(bare.body.code).toBe('VALIDATION_FAILED');
      const explained = await move(id, tokens.a, { to: 'explained', reason: '历史数据按当时标准登记，无需整改' });
      expect(explained.body).toMatchObject({ status: 'explained', reason: '历史数据按当时标准登记，无需整改', overdue: false });
      await sync('scan-e2', resourceA, [result('rule-explain', 6)]);
      const forRule = (await problemsOf(`resourceId=${resourceA}`)).filter((p) => p.lastScanId === 'scan-e2');
      expect(forRule.map((p) => [p.id, p.status, p.failed])).toEqual([[id, 'explained', 6]]);
      const byOfficer = await move(id, tokens.a, { to: 'open' });
      expect(byOfficer.status).toBe(403);
      clock.set('2025-10-09T02:00:00Z');
      const reopened = await move(id, tokens.admin, { to: 'open', note: '说明不成立' });
      // Thu 9 Oct + 5: Fri 10, the make-up Saturday 11, Mon 13, Tue 14, Wed 15 Oct.
      expect(reopened.body).toMatchObject({ status: 'open', reason: null, deadline: '2025-10-15' });
    });

    it("another department's officer cannot act on a problem (403), nor see one on a classified resource (404); the list keeps to their department", async () => {
      await sync('scan-x', resourceA, [result('rule-x', 1)]);
      await sync('scan-x', secretA, [result('rule-secret', 1)]);
      const plain = (await problemsOf(`resourceId=${resourceA}`)).find((p) => p.lastScanId === 'scan-x')!;
      const hidden = (await problemsOf(`resourceId=${secretA}`))[0]!;
      expect((await call('GET', `/api/v1/quality/problems/${plain.id}`, tokens.b)).status).toBe(403);
      const acted = await move(plain.id, tokens.b, { to: 'acknowledged' });
      expect([acted.status, acted.body.code]).toEqual([403, 'FORBIDDEN']);
      for (const res of [await call('GET', `/api/v1/quality/problems/${hidden.id}`, tokens.b), await move(hidden.id, tokens.b, { to: 'acknowledged' })]) {
        expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
      }
      expect(await problemsOf('', tokens.b)).toEqual([]);
      expect((await problemsOf('limit=500', tokens.a)).map((p) => p.id)).toEqual(expect.arrayContaining([plain.id, hidden.id]));
      // An auditor reads every problem but acts on none.
      expect((await call('GET', `/api/v1/quality/problems/${hidden.id}`, tokens.auditor)).status).toBe(200);
      expect((await move(plain.id, tokens.auditor, { to: 'acknowledged' })).status).toBe(403);
      expect((await problem(plain.id)).status).toBe('open');
    });

    it('counts problems open, overdue, closed and explained by provider department, as the list has them', async () => {
      clock.set('2025-10-14T02:00:00Z');
      const all = await problemsOf('limit=500');
      const overdueIds = new Set((await problemsOf('limit=500&overdue=true')).map((p) => p.id));
      const figures = (await call('GET', '/api/v1/quality/problems/figures', tokens.admin)).body as unknown as {
        today: string;
        total: Record<string, number>;
        byDepartment: (Record<string, number> & { departmentId: string })[];
      };
      const count = (pred: (p: Problem) => boolean) => all.filter(pred).length;
      const expected = {
        open: count((p) => !['closed', 'explained'].includes(p.status)),
        overdue: count((p) => overdueIds.has(p.id)),
        closed: count((p) => p.status === 'closed'),
        explained: count((p) => p.status === 'explained'),
      };
      expect(figures.today).toBe('2025-10-14');
      expect(expected.overdue).toBeGreaterThan(0);
      expect(expected.closed).toBeGreaterThan(0);
      expect(figures.total).toEqual(expected);
      // Every problem so far is department A's: one row; department B's officer sees none of it.
      expect(figures.byDepartment).toEqual([{ departmentId: dept.a, ...expected }]);
      expect((await call('GET', '/api/v1/quality/problems/figures', tokens.a)).body.total).toEqual(expected);
      const ofB = (await call('GET', '/api/v1/quality/problems/figures', tokens.b)).body;
      expect([ofB.total, ofB.byDepartment]).toEqual([{ open: 0, overdue: 0, closed: 0, explained: 0 }, []]);
    });

    it('pages the list with keyset cursors, every problem once', async () => {
      const all = await problemsOf('limit=500');
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let n = 0; n < 100; n++) {
        const res = await call('GET', `/api/v1/quality/problems?limit=2${cursor ? `&cursor=${cursor}` : ''}`, tokens.admin);
        const page = res.body as unknown as { items: Problem[]; nextCursor: string | null };
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(all.map((p) => p.id));
      expect(new Set(seen).size).toBe(all.length);
      expect((await call('GET', '/api/v1/quality/problems?cursor=nonsense!', tokens.admin)).body.code).toBe('INVALID_CURSOR');
    });
  });

  describe('scans open and re-check problems', () => {
    const push = async (resourceId: string, batch: string, rows: object[]) => {
      const res = await app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${resourceId}/batches/${batch}?wait=true&format=json`,
        headers: { ...bearer(tokens.a), 'content-type': 'application/json' },
        payload: JSON.stringify(rows),
      });
      expect((res.json() as { job: { status: string } }).job.status).toBe('succeeded');
    };
    const scan = async (resourceId: string) => {
      const res = await call('POST', '/api/v1/quality/scans?wait=true', tokens.a, { resourceId });
      expect(res.body.status).toBe('succeeded');
      return res.body.id as string;
    };

    it('a scan opens a problem for a failing rule; after a corrected load the next scan re-checks and closes the submitted problem', async () => {
      const created = await call(
        'POST',
        '/api/v1/resources',
        tokens.a,
        resourceInput(dept.a, {
          items: [
            { code: 'uscc', name: '统一社会信用代码', dataType: 'STRING', length: 18, primaryKey: true },
            { code: 'org_name', name: '单位名称', dataType: 'STRING', length: 200, primaryKey: false },
          ],
        }),
      );
      const resourceId = created.body.id as string;
      await push(resourceId, 'b1', [
        { uscc: 'T2330600MB0000001', org_name: '甲公司' },
        { uscc: 'T2330600MB0000002', org_name: '乙' },
      ]);
      const rule = await call('POST', '/api/v1/quality/rules', tokens.a, { resourceId, kind: 'regex', itemCode: 'org_name', pattern: '^.{2,}$' });
      expect(rule.status).toBe(201);
      const firstScan = await scan(resourceId);
      const forRule = async () => (await problemsOf(`resourceId=${resourceId}`)).filter((p) => (p as Problem & { ruleId: string }).ruleId === rule.body.id);
      const [opened] = await forRule();
      expect(opened).toMatchObject({ status: 'open', checked: 2, failed: 1, lastScanId: firstScan, deadline: '2025-10-10' });
      expect(opened!.sample).toHaveLength(1);
      expect(opened!.sample[0]).toContain('T2330600MB0000002');
      for (const to of ['acknowledged', 'rectifying', 'submitted']) expect((await move(opened!.id, tokens.a, { to })).body.status).toBe(to);
      await push(resourceId, 'b2', [{ uscc: 'T2330600MB0000002', org_name: '乙公司' }]);
      const secondScan = await scan(resourceId);
      const p = await problem(opened!.id);
      expect(p).toMatchObject({ status: 'closed', failed: 0, checked: 2, lastScanId: secondScan });
      expect(p.history.slice(-2).map((h) => [h.from, h.to, h.scanId])).toEqual([
        ['submitted', 'rechecked', secondScan],
        ['rechecked', 'closed', secondScan],
      ]);
      expect(await forRule()).toHaveLength(1);
    });
  });

  describe('objections', () => {
    const records = async (token: string) =>
      ((await call('GET', `/api/v1/resources/${resourceA}/records?limit=10`, token)).body as unknown as { items: Record<string, unknown>[] }).items;
    const disputedSeqs = async (token = tokens.a) => (await records(token)).filter((r) => r._disputed === true).map((r) => r.seq);
    const moveObjection = (id: string, token: string, body: Record<string, unknown>) => call('POST', `/api/v1/objections/${id}/transitions`, token, body);
    let fromB: Objection;
    let fromPublic: Objection;

    it('anyone reports a record: a consumer officer, or the public with a contact; the key is checked against the key items', async () => {
      const noContact = await call('POST', '/api/v1/objections', null, {
        resourceId: resourceA,
        key: { uscc: 'T1330600MB0000001', seq: 2 },
        description: '名称有误',
      });
      expect([noContact.status, noContact.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const missing = await call('POST', '/api/v1/objections', tokens.b, {
        resourceId: resourceA,
        key: { uscc: 'T1330600MB0000001' },
        description: '名称有误',
      });
      expect(missing.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.key.seq' }] });
      const notKey = await call('POST', '/api/v1/objections', tokens.b, {
        resourceId: resourceA,
        key: { uscc: 'T1330600MB0000001', seq: 2, org_name: 'x' },
        description: '名称有误',
      });
      expect(notKey.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.key.org_name' }] });
      const notInt = await call('POST', '/api/v1/objections', tokens.b, {
        resourceId: resourceA,
        key: { uscc: 'T1330600MB0000001', seq: 'two' },
        description: '名称有误',
      });
      expect(notInt.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.key.seq' }] });
      const secret = await call('POST', '/api/v1/objections', null, { resourceId: secretA, key: { uscc: 'x' }, description: '有误', contact: '13800000000' });
      expect([secret.status, secret.body.code]).toEqual([404, 'NOT_FOUND']);

      // '007'-style integer text names the same record as 7 would: seq 2 as '002'.
      const b = await call('POST', '/api/v1/objections', tokens.b, {
        resourceId: resourceA,
        key: { uscc: 'T1330600MB0000001', seq: '002' },
        description: '单位名称与营业执照不符',
      });
      expect(b.status).toBe(201);
      fromB = b.body as unknown as Objection;
      // Friday 26 Sep 2025: forwarded within 2 working days = Sun 28 Sep (make-up) and Mon 29 Sep.
      expect(fromB).toMatchObject({
        status: 'submitted',
        disputed: true,
        key: { uscc: 'T1330600MB0000001', seq: 2 },
        forwardBy: '2025-09-29',
        verifyBy: null,
        submitter: 'officer-b',
      });
      const pub = await call('POST', '/api/v1/objections', null, {
        resourceId: resourceA,
        key: { uscc: 'T1330600MB0000001', seq: 3 },
        description: '地址错误',
        contact: 'someone@example.org',
      });
      expect(pub.status).toBe(201);
      fromPublic = pub.body as unknown as Objection;
      expect(fromPublic).toMatchObject({ submitter: null, contact: 'someone@example.org' });
    });

    it('marks the records disputed in record reads, for every reader', async () => {
      expect(await disputedSeqs(tokens.a)).toEqual([2, 3]);
      expect(await disputedSeqs(tokens.admin)).toEqual([2, 3]);
      const [first] = await records(tokens.a);
      expect(first).toEqual({ uscc: 'T1330600MB0000001', seq: 1, org_name: '单位1' });
      const exported = await app.inject({ method: 'GET', url: `/api/v1/resources/${resourceA}/records.ndjson`, headers: bearer(tokens.a) });
      const lines = exported.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((r) => [r.seq, r._disputed ?? false])).toEqual([
        [1, false],
        [2, true],
        [3, true],
      ]);
    });

    it('is routed to the provider: scoped lists, and only the provider department or an administrator moves it', async () => {
      const listOf = async (token: string) =>
        ((await call('GET', '/api/v1/objections?status=submitted', token)).body as unknown as { items: Objection[] }).items.map((o) => o.id);
      expect((await listOf(tokens.a)).sort()).toEqual([fromB.id, fromPublic.id].sort());
      expect(await listOf(tokens.b)).toEqual([fromB.id]);
      expect((await listOf(tokens.admin)).sort()).toEqual([fromB.id, fromPublic.id].sort());
      expect((await call('GET', `/api/v1/objections/${fromPublic.id}`, tokens.b)).status).toBe(403);
      expect((await call('GET', `/api/v1/objections/${fromB.id}`, tokens.b)).status).toBe(200);
      expect((await moveObjection(fromB.id, tokens.b, { to: 'accepted' })).status).toBe(403);
      const early = await moveObjection(fromB.id, tokens.a, { to: 'corrected' });
      expect(early.body).toMatchObject({ code: 'OBJECTION_TRANSITION_INVALID', from: 'submitted', allowed: ['accepted', 'explained'] });
    });

    it('accepted within the SLA, extended once, corrected, closed: the flag is cleared and the history kept', async () => {
      clock.set('2025-09-29T02:00:00Z'); // Monday 29 Sep
      const accepted = await moveObjection(fromB.id, tokens.a, { to: 'accepted' });
      // 5 working days from Mon 29 Sep: 30 Sep, then 9 and 10 Oct, then the make-up Saturday 11 Oct, Mon 13 Oct.
      expect(accepted.body).toMatchObject({ status: 'accepted', acceptedOn: '2025-09-29', verifyBy: '2025-10-13', extended: false, overdue: false });
      const extended = await call('POST', `/api/v1/objections/${fromB.id}/extension`, tokens.a, { note: '需核对纸质档案' });
      expect(extended.body).toMatchObject({ extended: true, verifyBy: '2025-10-20' });
      const twice = await call('POST', `/api/v1/objections/${fromB.id}/extension`, tokens.a, {});
      expect(twice.body.code).toBe('OBJECTION_TRANSITION_INVALID');
      expect((await moveObjection(fromB.id, tokens.a, { to: 'corrected', note: '已更正' })).body.status).toBe('corrected');
      expect(await disputedSeqs()).toEqual([2, 3]);
      const closed = await moveObjection(fromB.id, tokens.a, { to: 'closed' });
      expect(closed.body).toMatchObject({ status: 'closed', disputed: false });
      expect(await disputedSeqs()).toEqual([3]);
      const detail = (await call('GET', `/api/v1/objections/${fromB.id}`, tokens.b)).body as unknown as {
        history: { from: string | null; to: string; actor: string | null }[];
      };
      expect(detail.history.map((h) => [h.from, h.to, h.actor])).toEqual([
        [null, 'submitted', 'officer-b'],
        ['submitted', 'accepted', 'officer-a'],
        ['accepted', 'accepted', 'officer-a'],
        ['accepted', 'corrected', 'officer-a'],
        ['corrected', 'closed', 'officer-a'],
      ]);
      expect((await moveObjection(fromB.id, tokens.a, { to: 'accepted' })).body.code).toBe('OBJECTION_TRANSITION_INVALID');
    });

    it('an explanation needs a reason; the public objection is explained by an administrator and closed', async () => {
      expect((await moveObjection(fromPublic.id, tokens.admin, { to: 'explained' })).body.code).toBe('VALIDATION_FAILED');
      expect((await moveObjection(fromPublic.id, tokens.admin, { to: 'explained', reason: '经核实数据无误' })).body).toMatchObject({
        status: 'explained',
        reason: '经核实数据无误',
        disputed: true,
      });
      expect(await disputedSeqs()).toEqual([3]);
      expect((await moveObjection(fromPublic.id, tokens.admin, { to: 'closed' })).body.status).toBe('closed');
      expect(await disputedSeqs()).toEqual([]);
      const audited = await db.db.selectFrom('audit_events').select('action').where('target_id', '=', fromPublic.id).where('outcome', '=', 'success').execute();
      expect(audited.map((a) => a.action)).toEqual(['objection.submit', 'objection.transition', 'objection.transition']);
    });
  });
});
