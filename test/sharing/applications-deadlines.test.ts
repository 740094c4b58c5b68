import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEscalationTimer } from '../../src/modules/sharing/applications/escalation-timer.js';
import { loadConfig } from '../../src/config.js';
import { buildServices, serviceOptions } from '../../src/deps.js';
import type { Actor } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { apply, decide, PLATFORM_KEY, registerConsumer, sharingFixture, type SharingFixture } from './consumers-fixtures.js';

type Application = {
  id: string;
  status: string;
  complianceDue: string | null;
  reviewDue: string | null;
  overdue: boolean;
  escalated: boolean;
  history: { from: string | null; to: string; actor: string | null; note: string | null }[];
};

describeEachDialect('sharing: application deadlines in working days, and escalation when overdue', (fresh) => {
  let db: TestDb;
  let t: SharingFixture;
  let consumerId: string;
  beforeAll(async () => {
    db = await fresh();
    t = await sharingFixture(db);
    consumerId = (await registerConsumer(t, t.deptA.token, t.systemA)).consumer.id;
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const conditional = async () =>
    (
      await apply(t, t.deptA.token, {
        consumerId,
        resourceId: t.resource.id,
        items: [t.resource.conditional],
        purpose: '核验联系方式',
        validUntil: '2027-12-31',
      })
    ).json() as Application;
  const read = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/sharing/applications/${id}`, headers: bearer(t.adminToken) })).json() as Application;
  const sweep = () => t.services.sharingApplications.escalateOverdue();

  it('the compliance check is due 2 working days after submission: weekends and public holidays do not count', async () => {
    const made: Application[] = [];
    t.clock.set('2026-03-06T02:00:00Z'); // Friday
    made.push(await conditional());
    t.clock.set('2026-04-30T02:00:00Z'); // Thursday before 劳动节 (1–5 May 2026)
    made.push(await conditional());
    t.clock.set('2026-02-14T02:00:00Z'); // a make-up working Saturday (调休) before 春节 (15–23 February)
    made.push(await conditional());
    expect(made.map((a) => a.complianceDue)).toEqual(['2026-03-10', '2026-05-07', '2026-02-25']);
    // Withdrawn, so the sweeps below count only their own application.
    for (const a of made) {
      await t.app.inject({ method: 'POST', url: `/api/v1/sharing/applications/${a.id}/withdraw`, headers: bearer(t.deptA.token), payload: {} });
    }
  });

  it('an overdue compliance check escalates once to the administrator; the review then gets its own 5 working days and escalates too', async () => {
    t.clock.set('2026-03-02T02:00:00Z'); // Monday
    const app = await conditional();
    expect(app.complianceDue).toBe('2026-03-04');
    t.clock.set('2026-03-04T15:59:00Z'); // 23:59 on the due day in Shanghai: still in time
    expect(await sweep()).toBe(0);
    expect((await read(app.id)).overdue).toBe(false);

    t.clock.set('2026-03-04T16:00:00Z'); // Thursday 00:00 in Shanghai
    const before = await read(app.id);
    expect(before).toMatchObject({ overdue: true, escalated: false });
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    const escalated = await read(app.id);
    expect(escalated).toMatchObject({ status: 'COMPLIANCE_CHECK', escalated: true });
    expect(escalated.history.at(-1)).toMatchObject({
      from: 'COMPLIANCE_CHECK',
      to: 'COMPLIANCE_CHECK',
      actor: 'system',
      note: expect.stringContaining('2026-03-04'),
    });
    const inbox = (await t.app.inject({ method: 'GET', url: '/api/v1/sharing/applications?role=admin&escalated=true', headers: bearer(t.adminToken) })).json();
    expect(inbox.items.map((a: Application) => a.id)).toContain(app.id);
    const audit = await db.db.selectFrom('audit_events').select('target_id').where('action', '=', 'sharing.application.escalate').execute();
    expect(audit.map((a) => a.target_id)).toContain(app.id);

    // The check passes on Thursday 5 March: the review is due 5 working days later, not escalated.
    t.clock.set('2026-03-05T02:00:00Z');
    const reviewing = (await decide(t, t.adminToken, app.id, { decision: 'approve' })).json() as Application;
    expect(reviewing).toMatchObject({ status: 'PROVIDER_REVIEW', reviewDue: '2026-03-12', escalated: false, overdue: false });
    expect((await decide(t, t.adminToken, app.id, { decision: 'approve' })).statusCode).toBe(403);

    t.clock.set('2026-03-12T10:00:00Z');
    expect(await sweep()).toBe(0);
    t.clock.set('2026-03-13T01:00:00Z');
    expect(await sweep()).toBe(1);
    expect(await read(app.id)).toMatchObject({ status: 'PROVIDER_REVIEW', escalated: true });
    // Escalated: the platform administrator may now decide the review (督办).
    const granted = (await decide(t, t.adminToken, app.id, { decision: 'approve', note: '超期督办，平台代为审核' })).json() as Application;
    expect(granted).toMatchObject({ status: 'GRANTED', escalated: false });
  });

  it('deadlines are configurable (KUAIJI_SHARING_COMPLIANCE_DAYS, KUAIJI_SHARING_REVIEW_DAYS)', async () => {
    const config = loadConfig({ KUAIJI_SHARING_COMPLIANCE_DAYS: '3', KUAIJI_SHARING_REVIEW_DAYS: '10', KUAIJI_SECRET_KEY: PLATFORM_KEY });
    expect([config.sharingComplianceDays, config.sharingReviewDays]).toEqual([3, 10]);
    expect(() => loadConfig({ KUAIJI_SHARING_REVIEW_DAYS: '0' })).toThrow(/KUAIJI_SHARING_REVIEW_DAYS/);
    const s = buildServices(db, t.clock, { ...serviceOptions(config), dataDir: undefined });
    t.clock.set('2026-03-02T02:00:00Z');
    const officerA: Actor = { userId: 'u-a', username: 'officer-a', role: 'OFFICER', departmentId: t.deptA.id };
    const admin: Actor = { userId: 'u-admin', username: 'admin', role: 'ADMIN', departmentId: null };
    const app = await s.sharingApplications.submit(officerA, {
      consumerId,
      resourceId: t.resource.id,
      items: ['phone'],
      purpose: '核验',
      validUntil: '2026-12-31',
    });
    expect(app.complianceDue).toBe('2026-03-05');
    const reviewing = await s.sharingApplications.decide(admin, app.id, { decision: 'approve' });
    expect(reviewing.reviewDue).toBe('2026-03-16');
  });
});

describe('the escalation timer of a serving process', () => {
  it('sweeps at start and then every interval, logs what it escalated, survives a failing sweep, and stops', async () => {
    vi.useFakeTimers();
    try {
      const results: (number | Error)[] = [2, new Error('database is locked'), 0];
      const sweep = vi.fn(async () => {
        const r = results.shift() ?? 0;
        if (r instanceof Error) throw r;
        return r;
      });
      const logger = { info: vi.fn(), warn: vi.fn() };
      const stop = startEscalationTimer(sweep, logger as never, 1000);
      await vi.advanceTimersByTimeAsync(0);
      expect(sweep).toHaveBeenCalledTimes(1);
      expect(logger.info).toHaveBeenCalledWith({ applications: 2 }, expect.stringContaining('escalated'));
      await vi.advanceTimersByTimeAsync(1000);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(sweep).toHaveBeenCalledTimes(3);
      stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(sweep).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
