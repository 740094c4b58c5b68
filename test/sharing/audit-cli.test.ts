import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallRecorder } from '../../src/modules/sharing/audit/call-recorder.js';
import { systemClock } from '../../src/shared/clock.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { gatewayCall } from './audit-calls.js';

describe('kuaiji audit verify (CLI)', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-audit-cli-'));
  const file = path.join(dir, 'kuaiji.sqlite');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const kuaiji = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dir, KUAIJI_LOG_LEVEL: 'silent' };
      delete env.KUAIJI_DATABASE_URL;
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { cwd: path.resolve(import.meta.dirname, '../..'), env, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    const storage = openSqlite(file);
    await migrateToLatest(storage);
    const recorder = createCallRecorder({ db: storage.db, clock: systemClock });
    for (let i = 1; i <= 25; i++) recorder.record(gatewayCall(i));
    await recorder.stop();
    await storage.close();
  });

  it('exits 0 when the chain holds and 1 naming the first broken link after an edit', async () => {
    const ok = await kuaiji('audit', 'verify');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^The call audit chain holds: 25 calls checked \(calls 1\.\.25\), head [0-9a-f]{64}\.\n$/);

    const storage = openSqlite(file);
    await storage.db.updateTable('sharing_calls').set({ purpose: '另作他用' }).where('seq', '=', 9).execute();
    await storage.close();
    const broken = await kuaiji('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('The call audit chain is BROKEN at call 9 (hash)');
    expect(broken.stdout).toContain('8 calls before it verified (calls 1..25).');
  });
});
