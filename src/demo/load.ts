import type { Services } from '../deps.js';
import { AppError } from '../errors.js';
import { DATA_TYPES } from '../modules/catalog/codes.js';
import { ResourceInput } from '../modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR, type Actor, type Role } from '../shared/actor.js';
import { checkUscc } from '../shared/validation/uscc.js';
import { DEMO_CITY, DEMO_PASSWORD } from './city.js';
import type { DemoRecordServices } from './records.js';
import type { DemoResource } from './types.js';
import { demoOpens, publishDemoDatasets } from './publication.js';

export type DemoCityServices = Pick<Services, 'regions' | 'departments' | 'systems' | 'resources' | 'identity' | 'openDatasets'>;
/** The whole demo: the catalogue, then its synthetic records through collection (records.ts). */
export type DemoServices = DemoCityServices & DemoRecordServices;
export type DemoProgress = { done: number; total: number; step: string };
export type DemoUserCreated = { username: string; role: Role; department: string | null; token: string; password: string };
export type DemoFigures = { regions: number; departments: number; systems: number; resources: number; items: number; openDatasets: number };
export type DemoLoadResult = { loaded: false; reason: string } | { loaded: true; figures: DemoFigures; users: DemoUserCreated[] };

type City = typeof DEMO_CITY;

/** The API input of a demo resource, once its provider and system keys are known ids. */
function toInput(r: DemoResource, departmentId: string, systemId: string | null): ResourceInput {
  const { provider: _p, system: _s, items, ...rest } = r;
  return ResourceInput.parse({
    ...rest,
    providerDepartmentId: departmentId,
    systemId,
    // Keep the national template's legacy type letter beside the normalised type.
    items: items.map((i) => ({ ...i, legacyType: i.legacyType ?? DATA_TYPES[i.dataType].letter })),
  });
}

/**
 * Checks the whole demo data set before anything is written, so a mistake in it fails the load
 * up front instead of leaving half a city behind (the loader then refuses to run again).
 */
export function checkDemoCity(services: Pick<Services, 'resources'>, city: City = DEMO_CITY): string[] {
  const problems: string[] = [];
  const departments = new Map(city.departments.map((d) => [d.key, d]));
  const systems = new Set(city.systems.map((s) => s.key));
  const unique = (what: string, values: string[]) => {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) problems.push(`duplicate ${what} '${v}'`);
      seen.add(v);
    }
  };
  unique(
    'department key',
    city.departments.map((d) => d.key),
  );
  unique(
    'department USCC',
    city.departments.map((d) => d.uscc),
  );
  unique(
    'system key',
    city.systems.map((s) => s.key),
  );
  unique(
    'resource code',
    city.resources.map((r) => r.code),
  );
  for (const d of city.departments) {
    const check = checkUscc(d.uscc);
    if (!check.valid) problems.push(`department ${d.name}: USCC ${d.uscc} ${check.reason}`);
  }
  for (const s of city.systems) if (!departments.has(s.department)) problems.push(`system ${s.name}: unknown department '${s.department}'`);
  for (const u of city.users) if (u.department && !departments.has(u.department)) problems.push(`user ${u.username}: unknown department '${u.department}'`);
  for (const r of city.resources) {
    const dep = departments.get(r.provider);
    if (!dep) problems.push(`${r.code}: unknown provider '${r.provider}'`);
    if (r.system && !systems.has(r.system)) problems.push(`${r.code}: unknown system '${r.system}'`);
    try {
      const { violations } = services.resources.resolveAndCheck(toInput(r, r.provider, r.system ?? null), dep?.regionCode ?? '330600');
      for (const v of violations) problems.push(`${r.code} ${v.path}: ${v.message}`);
    } catch (err) {
      problems.push(`${r.code}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/**
 * Loads the demo city (绍兴市) through the catalogue services, so every rule a user's write must
 * pass applies here too. Idempotent: does nothing when the catalogue already has departments, which
 * lets `kuaiji serve --demo` call it at every start. Returns the demo users' tokens (shown once).
 */
export async function loadDemoCity(
  services: DemoCityServices,
  options: { onProgress?: (p: DemoProgress) => void; actor?: Actor } = {},
): Promise<DemoLoadResult> {
  const actor = options.actor ?? SYSTEM_ACTOR;
  const city = DEMO_CITY;
  if ((await services.departments.list({ limit: 1 })).items.length > 0) {
    return { loaded: false, reason: 'the catalogue already has departments' };
  }
  const problems = checkDemoCity(services, city);
  if (problems.length) throw new Error(`The demo city data is inconsistent:\n  ${problems.join('\n  ')}`);

  const existingRegions = new Set((await services.regions.list({ limit: 500 })).items.map((r) => r.code));
  const newRegions = city.regions.filter((code) => !existingRegions.has(code));
  const opened = city.resources.filter((r) =>
    demoOpens({ ...r, id: '', classified: r.classified ?? false, openDomain: r.openDomain ?? null, tags: r.tags ?? [] }),
  ).length;
  const total = newRegions.length + city.departments.length + city.systems.length + city.resources.length + city.users.length + opened;
  let done = 0;
  const step = (name: string) => options.onProgress?.({ done: ++done, total, step: name });

  for (const code of newRegions) {
    await services.regions.create(actor, { code });
    step(`region ${code}`);
  }

  const departmentIds = new Map<string, string>();
  for (const { key, ...input } of city.departments) {
    departmentIds.set(key, (await services.departments.create(actor, input)).id);
    step(input.name);
  }
  const idOf = (key: string) => departmentIds.get(key)!;

  const systemIds = new Map<string, string>();
  for (const { key, department, ...input } of city.systems) {
    const created = await services.systems.create(actor, {
      ...input,
      departmentId: idOf(department),
      vendor: input.vendor ?? null,
      launchedOn: input.launchedOn ?? null,
    });
    systemIds.set(key, created.id);
    step(input.name);
  }

  let items = 0;
  const created = [];
  for (const r of city.resources) {
    created.push(await services.resources.create(actor, toInput(r, idOf(r.provider), r.system ? systemIds.get(r.system)! : null)));
    items += r.items.length;
    step(`${r.code} ${r.name}`);
  }

  const users: DemoUserCreated[] = [];
  for (const u of city.users) {
    try {
      const { user, token } = await services.identity.createUser(actor, {
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        departmentId: u.department ? idOf(u.department) : null,
      });
      await services.identity.setPassword(actor, user.id, { password: DEMO_PASSWORD });
      users.push({
        password: DEMO_PASSWORD,
        username: u.username,
        role: u.role,
        department: u.department ? city.departments.find((d) => d.key === u.department)!.name : null,
        token: token.token,
      });
    } catch (err) {
      // An operator may already have created an account of that name: keep theirs.
      if (!(err instanceof AppError && err.code === 'DUPLICATE')) throw err;
    }
    step(`user ${u.username}`);
  }

  // The open data portal: what the catalogue allows to open is published at first start.
  const openDatasets = await publishDemoDatasets(services, actor, created, step);

  return {
    loaded: true,
    figures: { regions: newRegions.length, departments: departmentIds.size, systems: systemIds.size, resources: city.resources.length, items, openDatasets },
    users,
  };
}
