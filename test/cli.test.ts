import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startupBanner } from '../src/cli/startup-banner.js';
import { loadConfig } from '../src/config.js';
import { buildServices } from '../src/deps.js';
import { withSearchPath } from '../src/storage/postgres.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { DIALECTS, TEST_PG_URL } from './dialects.js';

const ROOT = path.resolve(import.meta.dirname, '..');
type Run = { code: number; stdout: string; stderr: string };

/** Runs the CLI from source in a child process, as an operator would, against a private data folder. */
function kuaiji(dataDir: string, ...args: string[]): Promise<Run> {
  return kuaijiWith({}, dataDir, ...args);
}

/** The same with extra environment (a PostgreSQL KUAIJI_DATABASE_URL). */
function kuaijiWith(extra: NodeJS.ProcessEnv, dataDir: string, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dataDir, KUAIJI_LOG_LEVEL: 'silent' };
  delete env.KUAIJI_DATABASE_URL;
  Object.assign(env, extra);
  delete env.KUAIJI_ADMIN_TOKEN;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// Each case starts Node with tsx (1–2 s), so the time limits are generous.
describe.concurrent('kuaiji CLI: help and usage errors (no database is opened)', { timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-cli-'));
  const run = (...args: string[]) => kuaiji(dir, ...args);
  afterAll(() => {
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists every command', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const name of ['serve', 'migrate', 'demo', 'user create', 'catalog import', 'catalog export']) expect(r.stdout).toContain(name);
  });

  it('prints per-command help', async () => {
    const r = await run('user', 'create', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kuaiji user create');
    expect(r.stdout).toMatch(/--role <role>\s+one of ADMIN, OFFICER, REVIEWER, AUDITOR/);
  });

  it('rejects an unknown command or option with exit code 2 and a hint', async () => {
    const unknown = await run('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const bogus = await run('migrate', '--bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain("Unknown option '--bogus'");
    expect(bogus.stderr).toContain('kuaiji migrate --help');
  });

  it('user create with a bad role fails with a clear message', async () => {
    const r = await run('user', 'create', '--username', 'bob', '--role', 'BOSS');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("--role must be one of ADMIN, OFFICER, REVIEWER, AUDITOR (got 'BOSS')");
    expect(r.stdout).not.toContain('kj_');
  });
});

describe('kuaiji CLI against a database', { timeout: 60_000 }, () => {
  let dir: string;
  const run = (...args: string[]) => kuaiji(dir, ...args);
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrate creates the database, then finds it up to date', async () => {
    const r = await run('migrate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('0001-catalog');
    expect(fs.existsSync(path.join(dir, 'kuaiji.sqlite'))).toBe(true);
    const again = await run('migrate');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('up to date');
  });

  it('user create prints a token that authenticates', async () => {
    const r = await run('user', 'create', '--username', 'alice', '--role', 'AUDITOR', '--display-name', '审计员');
    expect(r.code, r.stderr).toBe(0);
    const token = /(kj_\S+)/.exec(r.stdout)?.[1];
    expect(token).toBeDefined();
    const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    try {
      const actor = await buildServices(storage).identity.authenticate(token!);
      expect(actor).toMatchObject({ username: 'alice', role: 'AUDITOR' });
    } finally {
      await storage.close();
    }
    const dup = await run('user', 'create', '--username', 'alice', '--role', 'AUDITOR');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("A user named 'alice' already exists");
  });

  it('user create checks the username, the officer department and its existence', async () => {
    const badName = await run('user', 'create', '--username', 'Bad Name', '--role', 'ADMIN');
    expect(badName.code).not.toBe(0);
    expect(badName.stderr).toContain('--username');
    const noDept = await run('user', 'create', '--username', 'carol', '--role', 'OFFICER');
    expect(noDept.code).not.toBe(0);
    expect(noDept.stderr).toContain('--department is required for role OFFICER');
    const unknownDept = await run('user', 'create', '--username', 'carol', '--role', 'OFFICER', '--department', '不存在的局');
    expect(unknownDept.code).toBe(1);
    expect(unknownDept.stderr).toContain("[NOT_FOUND]: No department has the id or the exact name '不存在的局'");
  });

  it('demo loads the city once; an officer can then be named by department name', async () => {
    const r = await run('demo', '--scale', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Demo city 绍兴市 loaded: 7 regions, \d+ departments/);
    expect(r.stdout).toContain('scjg-officer');
    const again = await run('demo');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not loaded');
    const officer = await run('user', 'create', '--username', 'dave', '--role', 'officer', '--department', '柯桥区民政局');
    expect(officer.code, officer.stderr).toBe(0);
    expect(officer.stdout).toContain("User 'dave' (OFFICER, 柯桥区民政局) created");
  });

  it('catalog export writes the demo catalogue as a workbook; import checks its arguments', async () => {
    const file = path.join(dir, 'catalogue.xlsx');
    const r = await run('catalog', 'export', file, '--department', '绍兴市市场监督管理局');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Exported \d+ resources with \d+ data items/);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const missing = await run('catalog', 'import', path.join(dir, 'nope.xlsx'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('catalog import reads back what catalog export wrote: every resource unchanged, no version bumped', async () => {
    // One department's entries: the whole demo catalogue also meets an exceljs fault (a character split
    // between two inflated chunks is decoded as U+FFFD), which is not what this test is about.
    const file = path.join(dir, 'scjg.xlsx');
    const out = await run('catalog', 'export', file, '--department', '绍兴市市场监督管理局');
    expect(out.code, out.stderr).toBe(0);
    const resources = Number(/Exported (\d+) resources/.exec(out.stdout)![1]);
    const dry = await run('catalog', 'import', file, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`would create 0 and update 0 (${resources} unchanged)`);
    const versions = async () => {
      const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
      try {
        return await storage.db.selectFrom('resources').select(['code', 'version', 'updated_at']).orderBy('code').execute();
      } finally {
        await storage.close();
      }
    };
    const before = await versions();
    const real = await run('catalog', 'import', file);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain(`(0 created, 0 updated, ${resources} unchanged)`);
    expect(await versions()).toEqual(before);
  });

  it('collect load loads a CSV into a resource and reports its counts; the same file again changes nothing', async () => {
    const csv = path.join(dir, 'enterprises.csv');
    fs.writeFileSync(csv, '统一社会信用代码,企业名称,成立日期\n91330600TEST00001X,测试企业一,2020-01-02\n91330600TEST00002X,测试企业二,not-a-date\n');
    const first = await run('collect', 'load', '102001/00001', csv);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 read, 1 inserted, 0 updated, 0 unchanged, 0 deleted, 1 rejected/);
    const again = await run('collect', 'load', '102001/00001', csv);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already loaded');
    const bad = await run('collect', 'load', 'no/such', csv);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no/such');
    const usage = await run('collect', 'load', 'x', csv, '--mode', 'sideways');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--mode');
  });
});

describe.concurrent('kuaiji CLI: which database, and never a new empty one by accident', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-cli-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('commands that need an existing database refuse to create one, and say where they looked', async () => {
    const dir = fresh();
    const csv = path.join(dir, 'x.csv');
    fs.writeFileSync(csv, 'a\n1\n');
    const attempts = [
      ['catalog', 'export', path.join(dir, 'out.xlsx')],
      ['user', 'create', '--username', 'alice', '--role', 'AUDITOR'],
      ['user', 'token', '--username', 'admin'],
      ['collect', 'load', '102001/00001', csv],
    ];
    for (const args of attempts) {
      const r = await kuaiji(dir, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`there is no Kuaiji database at sqlite:${path.join(dir, 'kuaiji.sqlite')}`);
      expect(r.stderr).toContain('--create');
      expect(r.stdout).not.toContain('Exported');
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['x.csv']);
  });

  it('--create creates it; every command then names the database it opened on stderr', async () => {
    const dir = fresh();
    const where = `Database: sqlite:${path.join(dir, 'kuaiji.sqlite')}`;
    const created = await kuaiji(dir, 'catalog', 'export', path.join(dir, 'out.xlsx'), '--create');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain(`${where} (new)`);
    expect(created.stdout).toContain('Exported 0 resources');
    const user = await kuaiji(dir, 'user', 'create', '--username', 'alice', '--role', 'ADMIN');
    expect(user.code, user.stderr).toBe(0);
    expect(user.stderr).toContain(where);
    expect(user.stderr).not.toContain('(new)');
    const migrate = await kuaiji(dir, 'migrate');
    expect(migrate.stderr).toContain(where);
    const help = await kuaiji(dir, 'catalog', 'export', '--help');
    expect(help.stdout).toMatch(/--create\s+create a new, empty database/);
  });

  it('user token issues a new token for a user (the lost admin token), which authenticates', async () => {
    const dir = fresh();
    expect((await kuaiji(dir, 'migrate')).code).toBe(0);
    const made = await kuaiji(dir, 'user', 'create', '--username', 'admin2', '--role', 'ADMIN');
    const first = /(kj_\S+)/.exec(made.stdout)![1]!;
    const r = await kuaiji(dir, 'user', 'token', '--username', 'admin2');
    expect(r.code, r.stderr).toBe(0);
    const token = /(kj_\S+)/.exec(r.stdout)?.[1];
    expect(token).toBeDefined();
    expect(token).not.toBe(first);
    const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    try {
      expect(await buildServices(storage).identity.authenticate(token!)).toMatchObject({ username: 'admin2', role: 'ADMIN' });
    } finally {
      await storage.close();
    }
    const unknown = await kuaiji(dir, 'user', 'token', '--username', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No user is named 'nobody'");
  });

  it('serve starts with plain-text lines: URL, data folder, database and the admin token', async () => {
    const dir = fresh();
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dir, KUAIJI_LOG_LEVEL: 'silent', PORT: String(port) };
    delete env.KUAIJI_DATABASE_URL;
    delete env.KUAIJI_ADMIN_TOKEN;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await expect.poll(() => out, { timeout: 45_000, interval: 200 }).toContain('If it is lost');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    const lines = out.split('\n');
    expect(lines.slice(0, 8).join('\n')).toContain(`URL:        http://127.0.0.1:${port}`);
    expect(out).toContain(`Data:       ${dir}`);
    expect(out).toContain(`Database:   SQLite, sqlite:${path.join(dir, 'kuaiji.sqlite')}`);
    expect(out).toMatch(/first administrator 'admin' created\. Its token, shown only this once:\n\s+kj_\S+/);
    expect(out).toContain('npx kuaiji user token --username admin');
    // Plain text, not JSON log lines.
    expect(lines.slice(0, 6).some((l) => l.startsWith('{'))).toBe(false);
  });
});

describe.skipIf(!(await DIALECTS[1].available()))('kuaiji CLI on PostgreSQL: a database without Kuaiji tables is new', { timeout: 180_000 }, () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-cli-'));
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  beforeAll(() => admin(`create schema ${schema}`));
  afterAll(async () => {
    await admin(`drop schema if exists ${schema} cascade`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses without --create, names the server without its password, and works once migrated', async () => {
    const url = withSearchPath(TEST_PG_URL, schema);
    const env = { KUAIJI_DATABASE_URL: url };
    const refused = await kuaijiWith(env, dir, 'catalog', 'export', path.join(dir, 'out.xlsx'));
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('there is no Kuaiji database at postgres://');
    expect(fs.existsSync(path.join(dir, 'out.xlsx'))).toBe(false);
    const migrated = await kuaijiWith(env, dir, 'migrate');
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toMatch(/Database: postgres:\/\/.*\(new: creating its tables\)/);
    const exported = await kuaijiWith(env, dir, 'catalog', 'export', path.join(dir, 'out.xlsx'));
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/Database: postgres:\/\/postgres@127\.0\.0\.1:5432\/test/);
    expect(exported.stderr).not.toContain('(new');
    expect(exported.stdout).toContain('Exported 0 resources');
  });
});

describe('startupBanner', () => {
  it('hides a PostgreSQL password and says how to get a new admin token when the first one is gone', () => {
    const config = loadConfig({
      KUAIJI_DATA_DIR: '/srv/kuaiji',
      KUAIJI_DATABASE_URL: 'postgres://kj:secret@db.example:5432/kuaiji',
      HOST: '0.0.0.0',
      PORT: '9000',
    });
    const text = startupBanner({ config, firstAdminToken: null, firstAdminCreated: false });
    expect(text).toContain('URL:        http://localhost:9000 (listening on 0.0.0.0)');
    expect(text).toContain('Console: http://localhost:9000/console/ (log in with the admin token)');
    expect(text).toContain('Database:   PostgreSQL, postgres://kj:***@db.example:5432/kuaiji');
    expect(text).not.toContain('secret');
    expect(text).toContain("'admin' token: printed once, at the first start");
    expect(text).toContain('If it is lost: npx kuaiji user token --username admin');
  });
});
