import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRecordReader, type ReadAccess, type RecordEntry } from '../../src/modules/collection/records/record-reader.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { buildTestApp, uploadCsv, type TestApp } from '../test-app.js';

/**
 * Key lookups that read the change stamp in their own statement (ADR 0037; SQLite): once the
 * registry is known they take one statement, and any commit — a load in a worker thread, on
 * another connection — sends the next lookup back the ordinary way. PostgreSQL has no stamp:
 * the same answers the ordinary way.
 */
describeEachDialect('record reader: key lookups with the change stamp in the statement', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let entry: RecordEntry;
  let access: ReadAccess;

  const upload = async (csv: string) => expect(await uploadCsv(t, entry.id, csv, 'mode=upsert')).toMatchObject({ status: 'succeeded' });
  // A reader of its own (no registry read yet) that reads the stamp in its key lookups.
  const stampedReader = () =>
    createRecordReader({
      db: db.db,
      auditor: t.services.auditor,
      changeStamp: db.dialect.changeStamp,
      changeStampExpression: db.dialect.changeStampExpression,
    });

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const resource = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, {
        items: [
          { code: 'code', name: '编码', dataType: 'STRING', length: 10, primaryKey: true },
          { code: 'full_name', name: '名称', dataType: 'STRING', length: 20, primaryKey: false },
          { code: 'amount', name: '数量', dataType: 'INTEGER', primaryKey: false },
        ],
      }),
    );
    entry = { id: resource.id, providerDepartmentId: resource.providerDepartmentId, classified: resource.classified, items: resource.items ?? [] };
    access = { actor: null, scope: { departmentId: resource.providerDepartmentId }, masked: false, audit: false };
    await upload('code,full_name,amount\nA1,甲,1\nA2,乙,2\nA3,丙,3\n');
  });

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('answers found, missing and batch keys the same on every call, before and after the registry is known', async () => {
    const reader = stampedReader();
    for (let round = 0; round < 3; round++) {
      expect(await reader.get(entry, access, { code: 'A1' })).toEqual({ code: 'A1', full_name: '甲', amount: 1 });
      expect(await reader.get(entry, access, { code: 'ZZ' })).toBeNull();
      expect(await reader.get(entry, access, { code: 'A2' }, { items: ['amount'] })).toEqual({ amount: 2 });
      expect(await reader.getMany(entry, access, [{ code: 'A3' }, { code: 'nope' }, { code: 'A1' }])).toEqual([
        { code: 'A3', full_name: '丙', amount: 3 },
        null,
        { code: 'A1', full_name: '甲', amount: 1 },
      ]);
      await expect(reader.get(entry, access, { code: 'A1', amount: 1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('keeps each item list apart, never keeps a refusal, and follows a re-read catalogue entry', async () => {
    const reader = stampedReader();
    for (let round = 0; round < 3; round++) {
      expect(await reader.get(entry, access, { code: 'A2' }, { items: ['amount'] })).toEqual({ amount: 2 });
      expect(await reader.get(entry, access, { code: 'A2' }, { items: ['full_name', 'code'] })).toEqual({ full_name: '乙', code: 'A2' });
      expect(await reader.get(entry, access, { code: 'A2' })).toEqual({ code: 'A2', full_name: '乙', amount: 2 });
      await expect(reader.get(entry, access, { code: 'A2' }, { items: ['nope'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    // The same resource without its amount item (a new entry object, as a catalogue re-read gives).
    const narrowed: RecordEntry = { ...entry, items: entry.items.filter((i) => i.code !== 'amount') };
    expect(await reader.get(narrowed, access, { code: 'A2' })).toEqual({ code: 'A2', full_name: '乙' });
    await expect(reader.get(narrowed, access, { code: 'A2' }, { items: ['amount'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await reader.get(entry, access, { code: 'A2' }, { items: ['amount'] })).toEqual({ amount: 2 });
  });

  it('sees a load committed by a worker thread on the very next lookup', async () => {
    const reader = stampedReader();
    expect(await reader.get(entry, access, { code: 'A1' })).toMatchObject({ amount: 1 });
    expect(await reader.get(entry, access, { code: 'A1' })).toMatchObject({ amount: 1 });
    await upload('code,full_name,amount\nA1,甲改,10\nA4,丁,4\n');
    expect(await reader.get(entry, access, { code: 'A1' })).toEqual({ code: 'A1', full_name: '甲改', amount: 10 });
    expect(await reader.get(entry, access, { code: 'A4' })).toEqual({ code: 'A4', full_name: '丁', amount: 4 });
    expect(await reader.get(entry, access, { code: 'A4' })).toEqual({ code: 'A4', full_name: '丁', amount: 4 });
  });
});
