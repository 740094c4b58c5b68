import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/deps.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { departmentInput, resourceInput, seedRegions } from '../factories.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
type Run = { code: number; stdout: string; stderr: string };

function kuaiji(dataDir: string, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dataDir, KUAIJI_LOG_LEVEL: 'silent' };
  delete env.KUAIJI_DATABASE_URL;
  delete env.KUAIJI_SECRET_KEY;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Opens the CLI's database in this process (the CLI has exited). */
async function withDb<T>(dir: string, work: (s: ReturnType<typeof buildServices>) => Promise<T>): Promise<T> {
  const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
  try {
    return await work(buildServices(storage, undefined, { dataDir: dir }));
  } finally {
    await storage.close();
  }
}

// The CLI is the same services as the API (their tests run on both dialects): this checks the commands themselves, on SQLite.
describe('kuaiji sharing consumer / applications', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-sharing-cli-'));
  let systemId = '';
  let resourceId = '';
  beforeAll(async () => {
    const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    try {
      await migrateToLatest(storage);
      const s = buildServices(storage, undefined, { dataDir: dir });
      await seedRegions(s);
      const a = await s.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市市场监督管理局' }));
      systemId = (await s.systems.create(SYSTEM_ACTOR, { name: '市场监管综合业务系统', departmentId: a.id, level: 'CITY', status: 'IN_USE', connected: false }))
        .id;
      resourceId = (await s.resources.create(SYSTEM_ACTOR, resourceInput(a.id))).id;
    } finally {
      await storage.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('registers, rotates and revokes a consumer; lists applications', async () => {
    const reg = await kuaiji(dir, 'sharing', 'consumer', 'register', '--system', systemId);
    expect(reg.code, reg.stderr).toBe(0);
    const appKey = /App key: (kja_\w+)/.exec(reg.stdout)![1]!;
    const secret = /store it safely: (kjs_[\w-]+)/.exec(reg.stdout)![1]!;
    const consumerId = /Registered consumer ([\w-]+)/.exec(reg.stdout)![1]!;
    await withDb(dir, async (s) => {
      const row = await s.storage.db.selectFrom('sharing_credentials').selectAll().where('app_key', '=', appKey).executeTakeFirstOrThrow();
      expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
      // The key file the CLI generated in the data folder is the server's: the token endpoint accepts the secret.
      const sharing = s.modules.find((m) => m.name === 'sharing') as unknown as {
        consumerAuth: { issueToken(i: { appKey: string; secret: string }): Promise<unknown> };
      };
      await expect(sharing.consumerAuth.issueToken({ appKey, secret })).resolves.toMatchObject({ token_type: 'Bearer' });
      await s.sharingApplications.submit(SYSTEM_ACTOR, { consumerId, resourceId, items: ['org_name'], purpose: '核验', validUntil: '2099-12-31' });
    });

    const rotated = await kuaiji(dir, 'sharing', 'consumer', 'rotate-key', consumerId);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/App key: kja_/);
    expect(rotated.stdout).not.toContain(appKey);

    const list = await kuaiji(dir, 'sharing', 'applications', 'list', '--status', 'COMPLIANCE_CHECK');
    expect(list.code, list.stderr).toBe(0);
    const [line] = list.stdout.trim().split('\n');
    expect(line!.split('\t').slice(1, 5)).toEqual(['COMPLIANCE_CHECK', 'CONDITIONAL', consumerId, `resource:${resourceId}`]);
    expect(list.stderr).toContain('1 application listed');

    const revoked = await kuaiji(dir, 'sharing', 'consumer', 'revoke', consumerId, '--reason', '系统下线');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked consumer ${consumerId}`);
    const again = await kuaiji(dir, 'sharing', 'consumer', 'revoke', consumerId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('SHARING_CONSUMER_REVOKED');

    const bad = await kuaiji(dir, 'sharing', 'consumer', 'register');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--system is required');
  });
});
