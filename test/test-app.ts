import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../src/shared/clock.js';
import { buildApp } from '../src/app.js';
import { buildServices, type ServiceOptions, type Services } from '../src/deps.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import type { TestDb } from './dialects.js';
import { departmentInput, seedRegions } from './factories.js';

export type TestApp = {
  app: FastifyInstance;
  services: Services;
  adminToken: string;
  /** Two departments, each with an officer token: for cross-department tests. */
  deptA: { id: string; token: string };
  deptB: { id: string; token: string };
  auditorToken: string;
};

// Data folders this process made and has not removed yet: removed at exit if a test never closed its app.
const madeDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function madeDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-data-'));
  madeDirs.add(dir);
  return dir;
}

function removeDataDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  madeDirs.delete(dir);
}

export async function buildTestApp(
  db: TestDb,
  options: { dataDir?: string; sources?: ServiceOptions['sources']; clock?: Clock; gateway?: ServiceOptions['gateway'] } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? madeDataDir();
  const services = buildServices(db, options.clock ?? systemClock, {
    dataDir,
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.gateway ? { gateway: options.gateway } : {}),
  });
  const admin = await services.identity.ensureFirstAdmin('admin', undefined);
  await seedRegions(services);
  const a = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市市场监督管理局' }));
  const b = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市卫生健康委员会', regionCode: '330600' }));
  const officerA = await services.identity.createUser(SYSTEM_ACTOR, { username: 'officer-a', role: 'OFFICER', departmentId: a.id });
  const officerB = await services.identity.createUser(SYSTEM_ACTOR, { username: 'officer-b', role: 'OFFICER', departmentId: b.id });
  const auditor = await services.identity.createUser(SYSTEM_ACTOR, { username: 'auditor', role: 'AUDITOR' });
  const app = await buildApp(services, { logger: false });
  // A data folder made here goes with the app (tests close it in afterAll); one passed in is the caller's.
  if (!options.dataDir) app.addHook('onClose', async () => removeDataDir(dataDir));
  return {
    app,
    services,
    adminToken: admin!.token,
    deptA: { id: a.id, token: officerA.token.token },
    deptB: { id: b.id, token: officerB.token.token },
    auditorToken: auditor.token.token,
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Uploads CSV text to a resource through the API as the admin and waits for its job: the job as
 * the API answers it. `query` adds upload options (`mode=upsert`, `encoding=gbk` …).
 */
export async function uploadCsv(t: TestApp, resourceId: string, csv: string | Buffer, query = ''): Promise<UploadedJob> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=upload.csv${query ? `&${query}` : ''}`,
    headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
    payload: csv,
  });
  const job = (res.json() as { job?: UploadedJob }).job;
  if (!job) throw new Error(`the upload answered ${res.statusCode}: ${res.body}`);
  return job;
}

export type UploadedJob = {
  id: string;
  status: string;
  error: string | null;
  rows: { read: number; inserted: number; updated: number; rejected: number };
} & Record<string, unknown>;
