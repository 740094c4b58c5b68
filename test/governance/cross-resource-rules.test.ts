import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/** Synthetic ID numbers (region 330602, January 1990): valid check digits, never a real person's. */
function citizenId(day: number) {
  const first17 = `3306021990010${day}${String(900 + day * 2 + 1)}`;
  return first17 + citizenIdCheckChar(first17);
}
function idEndingInX(day: number) {
  for (let seq = 901; seq < 999; seq += 2) {
    const first17 = `3306021990010${day}${seq}`;
    if (citizenIdCheckChar(first17) === 'X') return `${first17}X`;
  }
  throw new Error('no X');
}
const id = { 1: citizenId(1), 2: citizenId(2), 3: idEndingInX(3), 4: citizenId(4), 5: citizenId(5), 6: citizenId(6) };
const id3Lower = `${id[3].slice(0, 17)}x`;

/** The population base: the other resource. */
function population(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '人口基础库',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false },
      { code: 'income', name: '年收入', dataType: 'INTEGER', primaryKey: false },
    ],
    ...over,
  });
}
const POP_HEADER = 'person_id,full_name,income';
const POP = [
  `${id[1]},张一,100`,
  `${id[2]},李二,200`,
  `${id[3]},王三,300`, // upper-case X here, lower-case x in the insured
  `${id[4]},赵四,400`, // deleted by the second (snapshot) load
  `${id[5]},,500`, // no name
];

/** Social insurance: this resource, checked against the population base. */
function insured(departmentId: string): ResourceInput {
  return resourceInput(departmentId, {
    name: '参保人员',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false },
      { code: 'income', name: '缴费基数', dataType: 'DECIMAL', length: 12, precision: 2, primaryKey: false },
      { code: 'guardian_id', name: '监护人身份号码', dataType: 'STRING', length: 18, primaryKey: false },
      { code: 'joined', name: '参保日期', dataType: 'DATE', primaryKey: false },
    ],
  });
}
const INS_HEADER = 'person_id,full_name,income,guardian_id,joined';
const INS = [
  `${id[1]},张一,100.00,${id[2]},2020-01-01`, // name and income agree; the guardian exists
  `${id[2]},李三,250,,2020-01-01`, // name and income differ; no guardian
  `${id3Lower},王三,300,${id3Lower},2020-01-01`, // the key and the guardian match case-folded
  `${id[4]},赵四,400,${id[4]},2020-01-01`, // the base's record is deleted: nothing to compare, the guardian does not exist
  `${id[5]},孙五,500,${id[6]},2020-01-01`, // the base has no name; the guardian is not in the base
  `${id[6]},周六,600,,2020-01-01`, // not in the base
];

type Result = { ruleId: string; kind: string; dimension: string; checked: number; passed: number; failed: number; sample: string[] };

describeEachDialect('cross-resource rules: consistency 一致性 and relatedness 关联性', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let popId: string;
  let insId: string;
  let uncollectedId: string;
  let hiddenId: string;
  const rules = { name: '', income: '', guardian: '' };

  const load = async (resourceId: string, csv: string, query = '') => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=x.csv${query}`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.json().job.status, res.body).toBe('succeeded');
  };
  const createRule = (payload: object, token = t.deptA.token) =>
    t.app.inject({ method: 'POST', url: '/api/v1/quality/rules', headers: bearer(token), payload: { resourceId: insId, ...payload } });
  const scan = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/quality/scans?wait=true', headers: bearer(t.deptA.token), payload: { resourceId: insId } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status, res.json().error).toBe('succeeded');
    return res.json();
  };
  const results = async (scanId: string): Promise<Map<string, Result>> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/quality/scans/${scanId}/results`, headers: bearer(t.deptA.token) });
    expect(res.statusCode, res.body).toBe(200);
    return new Map(res.json().items.map((r: Result) => [r.ruleId, r]));
  };
  const counts = (r: Result | undefined) => [r!.checked, r!.passed, r!.failed];

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    popId = (await t.services.resources.create(SYSTEM_ACTOR, population(t.deptA.id))).id;
    insId = (await t.services.resources.create(SYSTEM_ACTOR, insured(t.deptA.id))).id;
    uncollectedId = (await t.services.resources.create(SYSTEM_ACTOR, population(t.deptA.id))).id;
    hiddenId = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        population(t.deptB.id, { classified: true, openType: 'PROHIBITED', openCondition: undefined, openDomain: undefined }),
      )
    ).id;
    await load(popId, `${POP_HEADER}\n${POP.join('\n')}\n`);
    await load(insId, `${INS_HEADER}\n${INS.join('\n')}\n`);
    await load(hiddenId, `${POP_HEADER}\n${POP.join('\n')}\n`);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.services.scans.idle();
    await t.app.close();
    await db.drop();
  });

  it('creates consistency and relatedness rules with their default dimensions and key correspondence', async () => {
    const name = await createRule({ kind: 'consistency', itemCode: 'full_name', otherResourceId: popId, otherItemCode: 'full_name' });
    expect(name.statusCode, name.body).toBe(201);
    expect(name.json()).toMatchObject({
      kind: 'consistency',
      dimension: 'consistency',
      itemCode: 'full_name',
      derived: false,
      params: { otherResourceId: popId, otherItemCode: 'full_name', keys: [{ item: 'person_id', otherItem: 'person_id' }] },
    });
    rules.name = name.json().id;
    // DECIMAL against INTEGER: numbers compare by value.
    const income = await createRule({
      kind: 'consistency',
      itemCode: 'income',
      otherResourceId: popId,
      otherItemCode: 'income',
      keys: [{ item: 'person_id', otherItem: 'person_id' }],
      severity: 'high',
    });
    expect(income.statusCode, income.body).toBe(201);
    rules.income = income.json().id;
    const guardian = await createRule({ kind: 'relatedness', itemCode: 'guardian_id', otherResourceId: popId, otherItemCode: 'person_id' });
    expect(guardian.statusCode, guardian.body).toBe(201);
    expect(guardian.json()).toMatchObject({ dimension: 'relatedness', params: { otherResourceId: popId, otherItemCode: 'person_id' } });
    rules.guardian = guardian.json().id;
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/quality/rules?resourceId=${insId}`, headers: bearer(t.deptA.token) });
    expect(
      listed
        .json()
        .items.filter((r: { derived: boolean }) => !r.derived)
        .map((r: { kind: string }) => r.kind)
        .sort(),
    ).toEqual(['consistency', 'consistency', 'relatedness']);
  });

  it('refuses parameters that cannot be matched, naming the field', async () => {
    const refused = async (payload: object, path: string) => {
      const res = await createRule(payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().errors[0].path).toBe(path);
    };
    const base = { kind: 'consistency', itemCode: 'full_name', otherResourceId: popId, otherItemCode: 'full_name' };
    await refused({ ...base, otherItemCode: 'no_such_item' }, 'body.otherItemCode');
    await refused({ ...base, otherItemCode: 'income' }, 'body.otherItemCode'); // text against a number
    await refused({ ...base, itemCode: 'no_such_item' }, 'body.itemCode');
    await refused({ ...base, keys: [{ item: 'nope', otherItem: 'person_id' }] }, 'body.keys.0.item');
    await refused({ ...base, keys: [{ item: 'person_id', otherItem: 'nope' }] }, 'body.keys.0.otherItem');
    await refused({ ...base, keys: [{ item: 'joined', otherItem: 'person_id' }] }, 'body.keys.0.otherItem'); // a date against text
    await refused({ ...base, keys: [] }, 'body.keys');
    // The default key: this resource's primary-key items by the same codes in the other resource.
    const other = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        resourceInput(t.deptA.id, { items: [{ code: 'pid', name: '身份号码', dataType: 'STRING', length: 18, primaryKey: true }] }),
      )
    ).id;
    await refused({ ...base, otherResourceId: other, otherItemCode: 'pid' }, 'body.keys');
    await refused({ kind: 'relatedness', itemCode: 'guardian_id', otherResourceId: popId, otherItemCode: 'income' }, 'body.otherItemCode');
    await refused({ kind: 'relatedness', itemCode: 'guardian_id', otherResourceId: popId }, 'body.otherItemCode');
  });

  it('refuses a rule pointing to a resource the caller cannot see or that does not exist (404)', async () => {
    for (const otherResourceId of [hiddenId, 'no-such-resource']) {
      const res = await createRule({ kind: 'relatedness', itemCode: 'guardian_id', otherResourceId, otherItemCode: 'person_id' });
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    // Changing an existing rule to point there is refused the same way, and the rule is unchanged.
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/quality/rules/${rules.guardian}`,
      headers: bearer(t.deptA.token),
      payload: { otherResourceId: hiddenId },
    });
    expect(patch.statusCode).toBe(404);
    // Fields of other kinds are refused rather than ignored.
    const foreign = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/quality/rules/${rules.guardian}`,
      headers: bearer(t.deptA.token),
      payload: { pattern: 'x' },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].path).toBe('body.pattern');
  });

  it('patches change the other item and the keys, checked like a new rule', async () => {
    const patch = (ruleId: string, payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/quality/rules/${ruleId}`, headers: bearer(t.deptA.token), payload });
    const bad = await patch(rules.guardian, { otherItemCode: 'income' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.otherItemCode');
    const renamed = await patch(rules.name, { otherItemCode: 'person_id', keys: [{ item: 'person_id', otherItem: 'person_id' }], name: '姓名一致' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '姓名一致', params: { otherResourceId: popId, otherItemCode: 'person_id' } });
    const back = await patch(rules.name, { otherItemCode: 'full_name' });
    expect(back.json().params).toEqual({ otherResourceId: popId, otherItemCode: 'full_name', keys: [{ item: 'person_id', otherItem: 'person_id' }] });
    expect((await patch(rules.guardian, { severity: 'low' })).json()).toMatchObject({ severity: 'low', params: { otherItemCode: 'person_id' } });
  });

  it('scans give exact B and A; deleted records of the other resource do not count', async () => {
    const before = await results((await scan()).id);
    // Before the deletion the insured person 4 is compared (same name, same income) and their guardian exists.
    expect(counts(before.get(rules.name))).toEqual([4, 3, 1]);
    expect(counts(before.get(rules.income))).toEqual([5, 4, 1]);
    expect(counts(before.get(rules.guardian))).toEqual([4, 3, 1]);

    await load(popId, `${POP_HEADER}\n${[POP[0], POP[1], POP[2], POP[4]].join('\n')}\n`, '&mode=snapshot');
    const s = await scan();
    expect(s.error).toBeNull();
    const after = await results(s.id);
    const name = after.get(rules.name)!;
    expect(name).toMatchObject({ kind: 'consistency', dimension: 'consistency' });
    // Checked: 1, 2 and 3 (3 matched case-folded); 4's base record is deleted, 5's has no name, 6 is not in the base. Failed: 2 (李三 ≠ 李二).
    expect(counts(name)).toEqual([3, 2, 1]);
    expect(name.sample).toEqual([id[2]]);
    // Checked: 1 (100.00 = 100), 2 (250 ≠ 200), 3, 5.
    expect(counts(after.get(rules.income))).toEqual([4, 3, 1]);
    expect(after.get(rules.income)!.sample).toEqual([id[2]]);
    // Guardians given by 1, 3, 4, 5; 4 (deleted from the base) and 6 (never there) do not exist.
    const guardian = after.get(rules.guardian)!;
    expect(guardian).toMatchObject({ kind: 'relatedness', dimension: 'relatedness' });
    expect(counts(guardian)).toEqual([4, 2, 2]);
    expect(guardian.sample).toEqual([id[4], id[5]].sort());

    // The in-code recount evaluates them with the same SQL and agrees.
    const recount = await t.services.scans.start(SYSTEM_ACTOR, { resourceId: insId }, { wait: true, pushDown: false });
    const again = await results(recount.id);
    for (const ruleId of Object.values(rules)) expect(again.get(ruleId)).toEqual(after.get(ruleId));

    // A failing cross-resource rule opens a problem like any other.
    const problems = await t.app.inject({ method: 'GET', url: `/api/v1/quality/problems?resourceId=${insId}`, headers: bearer(t.deptA.token) });
    expect(problems.statusCode, problems.body).toBe(200);
    const ruleIds = problems.json().items.map((p: { ruleId: string }) => p.ruleId);
    expect(ruleIds).toEqual(expect.arrayContaining([rules.name, rules.income, rules.guardian]));
  });

  it('a rule whose other resource was never collected checks nothing, and the scan says why', async () => {
    const rule = await createRule({ kind: 'relatedness', itemCode: 'guardian_id', otherResourceId: uncollectedId, otherItemCode: 'person_id' });
    expect(rule.statusCode, rule.body).toBe(201);
    const s = await scan();
    expect(counts((await results(s.id)).get(rule.json().id))).toEqual([0, 0, 0]);
    expect(s.error).toBe(`rule ${rule.json().id} (relatedness) checked nothing: resource ${uncollectedId} has no collected records yet`);
    // Once collected it is compared: 1's guardian (2) and 3's (3) are there.
    await load(uncollectedId, `${POP_HEADER}\n${[POP[1], POP[2]].join('\n')}\n`);
    const next = await scan();
    expect(next.error).toBeNull();
    expect(counts((await results(next.id)).get(rule.json().id))).toEqual([4, 2, 2]);
  });

  it("compares nothing with another department's classified resource, even when an administrator wrote the rule", async () => {
    const rule = await createRule({ kind: 'relatedness', itemCode: 'guardian_id', otherResourceId: hiddenId, otherItemCode: 'person_id' }, t.adminToken);
    expect(rule.statusCode, rule.body).toBe(201);
    const s = await scan();
    expect(counts((await results(s.id)).get(rule.json().id))).toEqual([0, 0, 0]);
    expect(s.error).toContain(`rule ${rule.json().id} (relatedness) checked nothing: resource ${hiddenId} is classified`);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/quality/rules/${rule.json().id}`, headers: bearer(t.adminToken) });
  });
});
