import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { newId } from '../../src/shared/ids.js';
import { peopleResource } from '../collection/collection-fixtures.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { buildTestApp, type TestApp } from '../test-app.js';

/** A start marks interrupted only the scans and profiles no live process holds (a CLI `quality scan` next to the server keeps running). */
describeEachDialect('quality scans and profiles: recovery respects leases', (fresh) => {
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

  async function scan(lease: { owner: string | null; lease_until: string | null }) {
    const id = newId();
    const at = new Date().toISOString();
    await db.db
      .insertInto('quality_scans')
      .values({
        id,
        resource_id: null,
        status: 'running',
        resources_total: 1,
        resources_done: 0,
        rows_checked: 0,
        error: null,
        requested_by: 'admin',
        created_at: at,
        started_at: at,
        finished_at: null,
        heartbeat_at: at,
        ...lease,
      })
      .execute();
    return id;
  }
  const statusOf = async (id: string) => (await db.db.selectFrom('quality_scans').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('leaves a scan with a live lease of a live process, and marks interrupted one whose lease expired or that has none', async () => {
    const started = '2026-03-02T07:00:00.000Z';
    // A live process on this host (this test's parent) holding a lease an hour long.
    const live = await scan({ owner: `${process.ppid}@${os.hostname()}/${started}`, lease_until: new Date(Date.now() + 3_600_000).toISOString() });
    const expired = await scan({ owner: `${process.ppid}@${os.hostname()}/${started}`, lease_until: new Date(Date.now() - 1_000).toISOString() });
    const legacy = await scan({ owner: null, lease_until: null });

    expect(await t.services.scans.recover()).toBe(2);
    expect(await statusOf(live)).toBe('running');
    expect(await statusOf(expired)).toBe('interrupted');
    expect(await statusOf(legacy)).toBe('interrupted');
  });

  it('the same for profiles', async () => {
    const resourceId = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
    const profile = async (lease_until: string | null) => {
      const id = newId();
      const at = new Date().toISOString();
      await db.db
        .insertInto('quality_profiles')
        .values({
          id,
          resource_id: resourceId,
          status: 'running',
          rows: null,
          rows_read: 0,
          items: null,
          error: null,
          requested_by: 'admin',
          created_at: at,
          started_at: at,
          finished_at: null,
          owner: `${process.ppid}@${os.hostname()}/2026-03-02T07:00:00.000Z`,
          lease_until,
          heartbeat_at: at,
        })
        .execute();
      return id;
    };
    const live = await profile(new Date(Date.now() + 3_600_000).toISOString());
    const expired = await profile(new Date(Date.now() - 1_000).toISOString());
    expect(await t.services.qualityProfiles.recover()).toBe(1);
    const statuses = await db.db.selectFrom('quality_profiles').select(['id', 'status']).where('id', 'in', [live, expired]).execute();
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({ [live]: 'running', [expired]: 'interrupted' });
  });
});
