import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { toJson } from '../../src/storage/dialect.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

type Crosswalk = { sources: number; linked: number; tiers: Record<string, number>; matchRate: number | null };
type Figures = {
  scope: string;
  themes: (Crosswalk & {
    code: string;
    name: string;
    nameEn: string;
    masters: number;
    conflictsOpen: number;
    reviewPending: number;
    members: (Crosswalk & { resourceId: string; resourceCode: string; resourceName: string })[];
  })[];
  totals: Crosswalk & { themes: number; masters: number; conflictsOpen: number; reviewPending: number };
};

const AT = '2026-03-01T08:00:00.000Z';
const tiers = (t: Partial<Record<'KEY' | 'LEGACY' | 'BRIDGE' | 'ATTRIBUTES' | 'UNMATCHED', number>>) => ({
  KEY: 0,
  LEGACY: 0,
  BRIDGE: 0,
  ATTRIBUTES: 0,
  UNMATCHED: 0,
  ...t,
});

/**
 * The figures read migration 0018's tables only, so the crosswalk is written here row by row
 * (the mechanism that writes it has its own tests): every figure below is counted by hand.
 */
describeEachDialect('themes figures (GET /api/v1/themes/stats)', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let rA: string;
  let rB: string;
  let rC: string;

  const figures = async (token?: string): Promise<Figures> => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/themes/stats', headers: token ? bearer(token) : {} });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    rA = (await t.services.resources.create(SYSTEM_ACTOR, resourceInput(t.deptA.id, { name: '人口基本信息' }))).id;
    rB = (await t.services.resources.create(SYSTEM_ACTOR, resourceInput(t.deptA.id, { name: '社会保险参保信息' }))).id;
    rC = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        resourceInput(t.deptB.id, { name: '涉密法人信息', classified: true, openType: 'PROHIBITED', openCondition: undefined, openDomain: undefined }),
      )
    ).id;

    const theme = async (code: string, name: string, members: string[]) => {
      const id = randomUUID();
      await db.db
        .insertInto('themes')
        .values({
          id,
          code,
          name,
          name_en: code,
          key_kind: 'CITIZEN_ID',
          definition: toJson({ members: members.map((resourceId) => ({ resourceId, keyItem: 'citizen_id', attributes: {}, priority: 1 })) }),
          version: 1,
          created_at: AT,
          updated_at: AT,
        })
        .execute();
      return id;
    };
    // Inserted out of order: the figures list the six themes in the seed's order.
    const ts = await theme('spatial', '空间地理库', []);
    const tl = await theme('legal_entity', '法人综合库', [rC]);
    const tp = await theme('population', '人口综合库', [rA, rB]);
    void ts;

    const master = async (themeId: string) => {
      const id = randomUUID();
      await db.db
        .insertInto('theme_masters')
        .values({ id, theme_id: themeId, master_key: id, attributes: '{}', provenance: '{}', source_count: 1, created_at: AT, updated_at: AT })
        .execute();
      return id;
    };
    let seq = 0;
    const source = (themeId: string, resourceId: string, tier: string, masterId: string | null, review: string | null = null) =>
      db.db
        .insertInto('theme_sources')
        .values({
          theme_id: themeId,
          resource_id: resourceId,
          source_key: `k${++seq}`,
          raw_key: null,
          normalised_key: null,
          master_id: masterId,
          tier,
          attributes: '{}',
          received_at: AT,
          review_status: review,
          updated_at: AT,
        })
        .execute();
    const conflict = (themeId: string, masterId: string, attribute: string, status: string) =>
      db.db
        .insertInto('theme_conflicts')
        .values({ id: randomUUID(), theme_id: themeId, master_id: masterId, attribute, candidates: '[]', status, opened_at: AT })
        .execute();

    const [m1, m2, m3, m4] = [await master(tp), await master(tp), await master(tp), await master(tp)];
    // 人口基本信息: three by key, one by a 15-digit ID upgraded.
    await source(tp, rA, 'KEY', m1!);
    await source(tp, rA, 'KEY', m2!);
    await source(tp, rA, 'KEY', m3!);
    await source(tp, rA, 'LEGACY', m4!);
    // 社会保险参保信息: two by key, one by name + birth date + sex + region, three without a match:
    // one pending, one linked by a reviewer, one dismissed.
    await source(tp, rB, 'KEY', m1!);
    await source(tp, rB, 'KEY', m2!);
    await source(tp, rB, 'ATTRIBUTES', m3!);
    await source(tp, rB, 'UNMATCHED', null, 'PENDING');
    await source(tp, rB, 'UNMATCHED', m4!, 'LINKED');
    await source(tp, rB, 'UNMATCHED', null, 'DISMISSED');
    await conflict(tp, m1!, 'name', 'OPEN');
    await conflict(tp, m2!, 'birth_date', 'OPEN');
    await conflict(tp, m3!, 'name', 'RESOLVED');

    const [n1, n2] = [await master(tl), await master(tl)];
    await source(tl, rC, 'KEY', n1!);
    await source(tl, rC, 'BRIDGE', n2!);
    await source(tl, rC, 'UNMATCHED', null, 'PENDING');
    await conflict(tl, n2!, 'name', 'OPEN');
  });

  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('counts masters, the crosswalk by tier, the match rate, open conflicts and pending reviews per theme and in total', async () => {
    const f = await figures(t.adminToken);
    expect(f.scope).toBe('all');
    expect(f.themes.map((x) => x.code)).toEqual(['population', 'legal_entity', 'spatial']);
    const [population, legal, spatial] = f.themes;
    expect(population).toMatchObject({
      name: '人口综合库',
      masters: 4,
      sources: 10,
      linked: 8,
      tiers: tiers({ KEY: 5, LEGACY: 1, ATTRIBUTES: 1, UNMATCHED: 3 }),
      matchRate: 0.8,
      conflictsOpen: 2,
      reviewPending: 1,
    });
    expect(population!.members).toEqual([
      {
        resourceId: rA,
        resourceCode: expect.any(String),
        resourceName: '人口基本信息',
        sources: 4,
        linked: 4,
        tiers: tiers({ KEY: 3, LEGACY: 1 }),
        matchRate: 1,
      },
      {
        resourceId: rB,
        resourceCode: expect.any(String),
        resourceName: '社会保险参保信息',
        sources: 6,
        linked: 4,
        tiers: tiers({ KEY: 2, ATTRIBUTES: 1, UNMATCHED: 3 }),
        matchRate: 0.6667,
      },
    ]);
    expect(legal).toMatchObject({
      masters: 2,
      sources: 3,
      linked: 2,
      tiers: tiers({ KEY: 1, BRIDGE: 1, UNMATCHED: 1 }),
      matchRate: 0.6667,
      conflictsOpen: 1,
      reviewPending: 1,
    });
    expect(legal!.members.map((m) => m.resourceId)).toEqual([rC]);
    expect(spatial).toEqual({
      code: 'spatial',
      name: '空间地理库',
      nameEn: 'spatial',
      masters: 0,
      sources: 0,
      linked: 0,
      tiers: tiers({}),
      matchRate: null,
      conflictsOpen: 0,
      reviewPending: 0,
      members: [],
    });
    expect(f.totals).toEqual({
      themes: 3,
      masters: 6,
      sources: 13,
      linked: 10,
      tiers: tiers({ KEY: 6, LEGACY: 1, BRIDGE: 1, ATTRIBUTES: 1, UNMATCHED: 4 }),
      matchRate: 0.7692,
      conflictsOpen: 3,
      reviewPending: 2,
    });
  });

  it('gives everyone the same counts but names a classified member only to those who may see it', async () => {
    const admin = await figures(t.adminToken);
    const anonymous = await figures();
    const deptA = await figures(t.deptA.token);
    const deptB = await figures(t.deptB.token);
    expect(anonymous.scope).toBe('public');
    expect(deptB.scope).toBe('department');
    for (const f of [anonymous, deptA, deptB]) {
      expect(f.totals).toEqual(admin.totals);
      expect(f.themes.map(({ members: _m, ...rest }) => rest)).toEqual(admin.themes.map(({ members: _m, ...rest }) => rest));
    }
    const legalMembers = (f: Figures) => f.themes.find((x) => x.code === 'legal_entity')!.members.map((m) => m.resourceId);
    expect(legalMembers(anonymous)).toEqual([]);
    expect(legalMembers(deptA)).toEqual([]);
    expect(legalMembers(deptB)).toEqual([rC]);
    expect(anonymous.themes[0]!.members.map((m) => m.resourceId)).toEqual([rA, rB]);
  });
});
