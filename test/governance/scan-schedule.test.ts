import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServices, type Services } from '../../src/deps.js';
import { createScanScheduler, lastSlot, parseScanSchedule, type ScheduledScans } from '../../src/modules/governance/scans/scan-schedule.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import type { Clock } from '../../src/shared/clock.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { seedRegions } from '../factories.js';

/** A clock the test moves by hand. */
function handClock(iso: string) {
  let now = new Date(iso);
  const clock: Clock = { now: () => now };
  return { clock, set: (next: string) => (now = new Date(next)) };
}

describe('scan schedule', () => {
  it('reads HH:MM or off, and KUAIJI_SCAN_SCHEDULE defaults to 02:00', () => {
    expect(parseScanSchedule('02:00')).toBe(120);
    expect(parseScanSchedule('23:59')).toBe(23 * 60 + 59);
    expect(parseScanSchedule('off')).toBeNull();
    for (const bad of ['24:00', '2:00', '02:60', 'daily']) expect(() => parseScanSchedule(bad), bad).toThrow(RangeError);
    expect(loadConfig({}).scanSchedule).toBe('02:00');
    expect(loadConfig({ KUAIJI_SCAN_SCHEDULE: 'off' }).scanSchedule).toBe('off');
    expect(() => loadConfig({ KUAIJI_SCAN_SCHEDULE: '25:00' })).toThrow(/KUAIJI_SCAN_SCHEDULE/);
  });

  it('places the daily time in China Standard Time, whatever the server’s zone', () => {
    // 02:00 in Shaoxing is 18:00 UTC the day before.
    expect(lastSlot(new Date('2026-12-01T18:30:00Z'), 120).toISOString()).toBe('2026-12-01T18:00:00.000Z');
    expect(lastSlot(new Date('2026-12-01T17:59:00Z'), 120).toISOString()).toBe('2026-11-30T18:00:00.000Z');
  });

  it('starts once when the time passes, not again that day, not at start-up for a time already past, never beside a running scan of everything', async () => {
    const { clock, set } = handClock('2026-12-01T17:00:00Z'); // 01:00 on 2 December in Shaoxing
    const started: string[] = [];
    let inProgress = false;
    const scans: ScheduledScans = {
      scanOfAllInProgress: async () => inProgress,
      startScanOfAll: async () => {
        started.push(clock.now().toISOString());
        return { id: `scan-${started.length}` };
      },
    };
    const scheduler = createScanScheduler({ scans, clock, minuteOfDay: 120 });
    expect(await scheduler.tick()).toEqual({ due: false, started: null });
    set('2026-12-01T18:00:30Z');
    expect(await scheduler.tick()).toEqual({ due: true, started: 'scan-1' });
    set('2026-12-01T23:00:00Z');
    expect((await scheduler.tick()).due).toBe(false);
    // The next night a scan of everything is still running: none is started beside it.
    inProgress = true;
    set('2026-12-02T18:01:00Z');
    expect(await scheduler.tick()).toEqual({ due: true, started: null, skipped: 'in-progress' });
    inProgress = false;
    set('2026-12-03T18:01:00Z');
    expect(await scheduler.tick()).toEqual({ due: true, started: 'scan-2' });
    expect(started).toEqual(['2026-12-01T18:00:30.000Z', '2026-12-03T18:01:00.000Z']);
    // A scheduler created after today's time has passed waits for tomorrow's.
    const late = createScanScheduler({ scans, clock, minuteOfDay: 120 });
    expect((await late.tick()).due).toBe(false);
    await scheduler.stop();
  });
});

describeEachDialect('scheduled scans of everything', (fresh) => {
  let db: TestDb;
  let services: Services;
  let dataDir: string;
  const hand = handClock('2026-12-01T17:00:00Z');

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-schedule-'));
    services = buildServices(db, hand.clock, { dataDir, governance: { scanSchedule: '02:00' } });
    await seedRegions(services);
  });
  afterAll(async () => {
    await services.scans.idle();
    await services.jobs.stop();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts a real scan of everything at the time, and skips while one is queued or running', async () => {
    const scheduler = createScanScheduler({
      clock: hand.clock,
      minuteOfDay: 120,
      scans: { scanOfAllInProgress: () => services.scans.scanOfAllInProgress(), startScanOfAll: () => services.scans.start(SYSTEM_ACTOR, {}) },
    });
    hand.set('2026-12-01T18:00:30Z');
    const first = await scheduler.tick();
    expect(first.started).not.toBeNull();
    expect(await services.scans.waitFor(first.started!)).toMatchObject({ resourceId: null, status: 'succeeded', requestedBy: 'system' });
    expect(await services.scans.scanOfAllInProgress()).toBe(false);

    // A scan of everything another process left running (as its row says) holds the next night's off.
    await db.db
      .insertInto('quality_scans')
      .values({
        id: '00000000-0000-7000-8000-000000000001',
        resource_id: null,
        status: 'running',
        resources_total: 0,
        resources_done: 0,
        rows_checked: 0,
        error: null,
        requested_by: 'system',
        created_at: hand.clock.now().toISOString(),
        started_at: null,
        finished_at: null,
      })
      .execute();
    expect(await services.scans.scanOfAllInProgress()).toBe(true);
    hand.set('2026-12-02T18:00:30Z');
    expect(await scheduler.tick()).toEqual({ due: true, started: null, skipped: 'in-progress' });
    await db.db.updateTable('quality_scans').set({ status: 'interrupted' }).where('resource_id', 'is', null).where('status', '=', 'running').execute();
    hand.set('2026-12-03T18:00:30Z');
    const third = await scheduler.tick();
    expect(third.started).not.toBeNull();
    await services.scans.waitFor(third.started!);
  });

  it('runs from the governance module’s start and stops with it', async () => {
    const governance = services.modules.find((m) => m.name === 'governance')!;
    await governance.start?.({ logger: pino({ level: 'silent' }) });
    await governance.stop?.();
  });
});
