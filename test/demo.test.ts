import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDemoCity, loadDemoCity, type DemoLoadResult } from '../src/demo/load.js';
import { DEMO_CITY, DEMO_PASSWORD } from '../src/demo/city.js';
import { buildServices, type Services } from '../src/deps.js';
import type { Resource } from '../src/modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { checkUscc } from '../src/shared/validation/uscc.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { describeEachDialect, type TestDb } from './dialects.js';

describe('demo city data', () => {
  it('passes every catalogue rule before anything is written', async () => {
    const storage = openSqlite(':memory:');
    expect(checkDemoCity(buildServices(storage))).toEqual([]);
    await storage.close();
  });

  it('gives every department a distinct, valid USCC', () => {
    const codes = DEMO_CITY.departments.map((d) => d.uscc);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(checkUscc(c)).toMatchObject({ valid: true });
  });
});

describeEachDialect('demo city', (fresh) => {
  let db: TestDb;
  let services: Services;
  let first: DemoLoadResult;
  let resources: Resource[];
  const progress: number[] = [];

  beforeAll(async () => {
    db = await fresh();
    services = buildServices(db);
    first = await loadDemoCity(services, { onProgress: (p) => progress.push(p.done) });
    resources = await services.resources.listAllWithItems(SYSTEM_ACTOR);
  });
  afterAll(() => db.drop());

  it('creates 绍兴市 and its six districts/counties', async () => {
    const regions = (await services.regions.list({ limit: 100 })).items;
    expect(regions.map((r) => r.code).sort()).toEqual(['330600', '330602', '330603', '330604', '330624', '330681', '330683']);
    expect(regions.filter((r) => r.parentCode === '330600')).toHaveLength(6);
  });

  it('creates at least 30 departments, some of them district bureaus', async () => {
    const departments = (await services.departments.list({ limit: 500 })).items;
    expect(departments.length).toBeGreaterThanOrEqual(30);
    expect(departments.map((d) => d.name)).toEqual(
      expect.arrayContaining(['绍兴市公安局', '绍兴市市场监督管理局', '越城区市场监督管理局', '柯桥区民政局', '诸暨市自然资源和规划局']),
    );
    expect(departments.filter((d) => d.regionCode !== '330600').length).toBeGreaterThanOrEqual(3);
  });

  it('creates at least 15 information systems covering the four levels, some connected', async () => {
    const systems = (await services.systems.list({ limit: 500 })).items;
    expect(systems.length).toBeGreaterThanOrEqual(15);
    expect(new Set(systems.map((s) => s.level))).toEqual(new Set(['NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY']));
    expect(systems.some((s) => s.connected)).toBe(true);
    expect(systems.some((s) => !s.connected)).toBe(true);
  });

  it('catalogues at least 40 resources of 8–30 data items each', () => {
    expect(resources.length).toBeGreaterThanOrEqual(40);
    for (const r of resources) {
      expect(r.items!.length, r.code).toBeGreaterThanOrEqual(8);
      expect(r.items!.length, r.code).toBeLessThanOrEqual(30);
      expect(r.code.startsWith(String(r.category)), r.code).toBe(true);
    }
  });

  it('covers every category, share type, open type and sensitivity level', () => {
    const set = <T>(f: (r: Resource) => T) => new Set(resources.map(f));
    expect(set((r) => r.category)).toEqual(new Set([1, 2, 3]));
    expect(set((r) => r.shareType)).toEqual(new Set(['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED']));
    expect(set((r) => r.openType)).toEqual(new Set(['UNCONDITIONAL', 'RESTRICTED', 'PROHIBITED']));
    expect(set((r) => r.sensitivity)).toEqual(new Set(['L1', 'L2', 'L3', 'L4']));
    expect(set((r) => r.updateFrequency).size).toBeGreaterThanOrEqual(5);
    expect(set((r) => r.openDomain).size).toBeGreaterThanOrEqual(8);
  });

  it('has district-level and classified entries, and base resources for all five bases', () => {
    expect(resources.filter((r) => r.regionCode !== '330600').length).toBeGreaterThanOrEqual(3);
    const classified = resources.filter((r) => r.classified);
    expect(classified.length).toBeGreaterThanOrEqual(1);
    for (const r of classified) expect(r.openType).toBe('PROHIBITED');
    const baseClasses = new Set(resources.filter((r) => r.category === 1).map((r) => r.classificationCode.slice(0, 3)));
    expect(baseClasses).toEqual(new Set(['101', '102', '103', '104', '105']));
  });

  it('hides classified entries from anonymous readers', async () => {
    const anonymous = await services.resources.listAllWithItems(null);
    expect(anonymous.length).toBe(resources.length - resources.filter((r) => r.classified).length);
  });

  it('creates a market-regulation officer and a reviewer whose tokens work', async () => {
    expect(first.loaded).toBe(true);
    if (!first.loaded) return;
    expect(first.users.map((u) => u.role)).toEqual(['OFFICER', 'REVIEWER']);
    const officer = await services.identity.authenticate(first.users[0]!.token);
    const dep = await services.departments.get(officer.departmentId!);
    expect(dep.name).toBe('绍兴市市场监督管理局');
    expect((await services.identity.authenticate(first.users[1]!.token)).role).toBe('REVIEWER');
    // Both also sign in to the console with the demo password.
    for (const u of first.users) {
      expect(u.password).toBe(DEMO_PASSWORD);
      expect((await services.identity.login(u.username, DEMO_PASSWORD)).user.username).toBe(u.username);
    }
  });

  it('reports progress up to the total', () => {
    expect(progress[0]).toBe(1);
    expect(progress.at(-1)).toBe(progress.length);
  });

  it('does nothing the second time', async () => {
    const again = await loadDemoCity(services);
    expect(again).toEqual({ loaded: false, reason: expect.stringContaining('already has departments') });
    expect((await services.resources.listAllWithItems(SYSTEM_ACTOR)).length).toBe(resources.length);
    expect((await services.departments.list({ limit: 500 })).items.length).toBe(first.loaded ? first.figures.departments : -1);
  });
});
