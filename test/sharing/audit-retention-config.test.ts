import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServices, serviceOptions } from '../../src/deps.js';
import type { SharingModule } from '../../src/modules/sharing/index.js';
import { fixedClock } from '../../src/shared/clock.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { callCount, gatewayCall } from './audit-calls.js';

describeEachDialect("the call audit's retention as a serving process runs it (KUAIJI_AUDIT_RETENTION_DAYS)", (fresh) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await fresh();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('reads the setting (180 days by default, a positive whole number otherwise)', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(180);
    expect(loadConfig({ KUAIJI_AUDIT_RETENTION_DAYS: '400' }).auditRetentionDays).toBe(400);
    expect(() => loadConfig({ KUAIJI_AUDIT_RETENTION_DAYS: '0' })).toThrow(/KUAIJI_AUDIT_RETENTION_DAYS/);
    expect(() => loadConfig({ KUAIJI_AUDIT_RETENTION_DAYS: '1.5' })).toThrow(/KUAIJI_AUDIT_RETENTION_DAYS/);
  });

  it("the module's start() removes the calls past the configured days; stop() flushes what the gateway queued", async () => {
    const now = '2026-12-01T00:00:00.000Z';
    const config = loadConfig({ KUAIJI_AUDIT_RETENTION_DAYS: '30' });
    const services = buildServices(db, fixedClock(now), { ...serviceOptions(config), dataDir: undefined });
    const sharing = services.modules.find((m) => m.name === 'sharing') as SharingModule;
    const day = 86_400_000;
    for (let i = 1; i <= 40; i++) sharing.callRecorder.record(gatewayCall(i, { at: new Date(Date.parse(now) - (i <= 25 ? 45 : 10) * day).toISOString() }));
    await sharing.callRecorder.flush();
    expect(await callCount(db.db)).toBe(40);

    await sharing.start({ logger: pino({ level: 'silent' }) });
    const until = Date.now() + 10_000;
    while ((await callCount(db.db)) > 15 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await callCount(db.db)).toBe(15);
    sharing.callRecorder.record(gatewayCall(41, { at: now }));
    await sharing.stop();
    expect(await callCount(db.db)).toBe(16);
    expect(await services.sharingCalls.verify({ userId: 'admin', username: 'admin', role: 'ADMIN', departmentId: null })).toMatchObject({
      ok: true,
      checked: 16,
      anchor: { seq: 26 },
      head: { seq: 41 },
    });
  });
});
