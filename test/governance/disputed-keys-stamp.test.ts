import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { buildServices } from '../../src/deps.js';
import { recordKeyText } from '../../src/modules/collection/index.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, resourceInput, seedRegions } from '../factories.js';

describeEachDialect('disputed records: open objection keys kept per change stamp (ADR 0037)', (fresh) => {
  let storage: TestDb | null = null;
  let dataDir: string | null = null;
  afterEach(async () => {
    await storage?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    storage = null;
  });

  async function setUp() {
    storage = await fresh();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-disputed-'));
    const services = buildServices(storage, systemClock, { dataDir });
    await seedRegions(services);
    const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput());
    const resource = await services.resources.create(SYSTEM_ACTOR, resourceInput(dept.id));
    const { db } = storage;
    const keyA = recordKeyText({ code: 'A' });
    const keyB = recordKeyText({ code: 'B' });
    const object = async (key: string, status: string) => {
      const id = newId();
      const at = new Date().toISOString();
      await db
        .insertInto('objections')
        .values({
          id,
          resource_id: resource.id,
          department_id: dept.id,
          record_key: JSON.stringify({ code: key }),
          key_text: key,
          description: '有误',
          status,
          submitter_id: null,
          submitter_name: null,
          submitter_department_id: null,
          contact: 'someone@example.org',
          submitted_on: '2026-12-01',
          forward_by: '2026-12-03',
          accepted_on: null,
          verify_by: null,
          extended: false,
          reason: null,
          created_at: at,
          updated_at: at,
          closed_at: null,
        })
        .execute();
      return id;
    };
    const close = (id: string) => db.updateTable('objections').set({ status: 'closed' }).where('id', '=', id).execute();
    const stamp = () => storage!.dialect.changeStamp(db);
    const disputed = async (s: string | null) => [...(await services.objections.disputedKeys(resource.id, [keyA, keyB], s))].sort();
    return { keyA, keyB, object, close, stamp, disputed };
  }

  it('a new objection and its closing show on the next check under the stamp read then, as without one', async () => {
    const t = await setUp();
    expect(await t.disputed(await t.stamp())).toEqual([]);
    const id = await t.object(t.keyA, 'submitted');
    expect(await t.disputed(await t.stamp())).toEqual([t.keyA]);
    expect(await t.disputed(null)).toEqual([t.keyA]);
    await t.object(t.keyB, 'closed');
    expect(await t.disputed(await t.stamp())).toEqual([t.keyA]);
    await t.close(id);
    expect(await t.disputed(await t.stamp())).toEqual([]);
    expect(await t.disputed(null)).toEqual([]);
  });

  it('answers a stamp seen before from what was read under it, and reads again under a new one', async () => {
    const t = await setUp();
    expect(await t.disputed('stamp-1')).toEqual([]);
    await t.object(t.keyB, 'accepted');
    // Nothing committed since 'stamp-1' as far as the caller knows: the kept answer stands.
    expect(await t.disputed('stamp-1')).toEqual([]);
    expect(await t.disputed('stamp-2')).toEqual([t.keyB]);
    expect(await t.disputed(null)).toEqual([t.keyB]);
  });
});
