import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { verifyCallChain } from '../src/modules/sharing/audit/verify-chain.js';
import { openStorage } from '../src/storage/database.js';
import { describeEachDialect, type TestDb } from './dialects.js';
import { gatewayFixture, PEOPLE, PLATFORM_KEY, type GatewayFixture } from './sharing/gateway-fixtures.js';
import { redisUrlOrSkip } from './sharing/redis.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('KUAIJI_SERVE_PROCESSES', () => {
  it('is 1 unless set, and more than one needs KUAIJI_REDIS_URL (counters each process keeps alone would allow every quota again)', () => {
    expect(loadConfig({}).serveProcesses).toBe(1);
    expect(() => loadConfig({ KUAIJI_SERVE_PROCESSES: '2' })).toThrow(/KUAIJI_SERVE_PROCESSES: 2 processes need KUAIJI_REDIS_URL/);
    expect(loadConfig({ KUAIJI_SERVE_PROCESSES: '2', KUAIJI_REDIS_URL: 'redis://127.0.0.1:6379/0' }).serveProcesses).toBe(2);
    expect(() => loadConfig({ KUAIJI_SERVE_PROCESSES: '0' })).toThrow(/KUAIJI_SERVE_PROCESSES/);
  });
});

const redisUrl = await redisUrlOrSkip();

/** The child processes of `pid` (Linux: the serving processes a primary forked). */
function childrenOf(pid: number): number[] {
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** One gateway call on a connection of its own (cluster hands each new connection to one of the processes). */
function callOnNewConnection(port: number, url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: url, agent: false, headers: { authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent('企业开办业务核验') } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

// Without Redis (and without CI=true, where it must run) the suite is reported skipped.
const eachDialect = redisUrl ? describeEachDialect : (title: string) => describe.skip(title, () => undefined);

eachDialect('kuaiji serve with two serving processes on one port: Redis-shared quotas, one audit chain, a lost process replaced', (fresh) => {
  let db: TestDb;
  let t: GatewayFixture;
  let server: ChildProcess | null = null;
  let port = 0;
  let output = '';
  let dataDir = '';
  const quotaPerDay = 6;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    // Today, not the fixture's March: the server runs on the real clock.
    const now = new Date();
    const validUntil = new Date(now.getTime() + 300 * 86_400_000).toISOString().slice(0, 10);
    t = await gatewayFixture(db, { now: now.toISOString(), validUntil, limits: { quotaPerDay } });
    await t.services.jobs.stop();
    await t.app.close();
    port = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-serve-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUAIJI_DATA_DIR: dataDir,
      KUAIJI_DATABASE_URL: db.url!,
      KUAIJI_SECRET_KEY: PLATFORM_KEY,
      KUAIJI_SERVE_PROCESSES: '2',
      KUAIJI_REDIS_URL: redisUrl!,
      KUAIJI_LOG_LEVEL: 'warn',
      PORT: String(port),
    };
    delete env.KUAIJI_ADMIN_TOKEN;
    server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { cwd: ROOT, env });
    server.stdout!.on('data', (b: Buffer) => (output += b.toString()));
    server.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    const deadline = Date.now() + 90_000;
    while ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status !== 200) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not answer (exit code ${server.exitCode}): ${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 150_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      for (const pid of childrenOf(server.pid!)) process.kill(pid, 'SIGKILL');
    }
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers from two processes; the quota of the day holds across both; SIGKILL of one is replaced; SIGTERM stops all, every call in one verified chain', async () => {
    const workers = childrenOf(server!.pid!);
    expect(workers, output).toHaveLength(2);

    const tokenRes = await fetch(`http://127.0.0.1:${port}/api/v1/sharing/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: t.consumer.appKey, secret: t.consumer.secret }),
    });
    expect(tokenRes.status).toBe(200);
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;

    // 16 calls on 16 connections, handed round the two processes: each alone would allow 6.
    const url = `/gateway/people/v1?person_id=${PEOPLE[0]!.person_id}`;
    const answers = [];
    for (let i = 0; i < 16; i++) answers.push(await callOnNewConnection(port, url, token));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(quotaPerDay);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(16 - quotaPerDay);
    expect(JSON.parse(refused[0]!.body)).toMatchObject({ code: 'GATEWAY_QUOTA_EXCEEDED', window: 'day', limit: quotaPerDay });

    // Both processes write their calls into the chain as they serve (not only when they stop): once
    // all 16 are committed, one process is killed outright and is replaced under the same port.
    const committed = async () => {
      const peek = openStorage(db.url!, {});
      try {
        return (await peek.db.selectFrom('sharing_calls').select(['seq']).where('interface_code', '=', 'people').execute()).length;
      } finally {
        await peek.close();
      }
    };
    const deadline = Date.now() + 30_000;
    while ((await committed()) < 16 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await committed()).toBe(16);
    process.kill(workers[1]!, 'SIGKILL');
    await expect.poll(() => childrenOf(server!.pid!).filter((pid) => !workers.includes(pid)).length, { timeout: 30_000, interval: 200 }).toBe(1);
    await expect.poll(() => output, { timeout: 10_000 }).toContain('a serving process ended: starting another in its place');
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status ?? 0, { timeout: 30_000, interval: 200 })
      .toBe(200);
    for (let i = 0; i < 4; i++) expect((await callOnNewConnection(port, url, token)).status).toBe(429);

    const survivors = childrenOf(server!.pid!);
    server!.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => server!.once('exit', (c) => resolve(c)));
    expect(code, output).toBe(0);
    for (const pid of survivors) expect(fs.existsSync(`/proc/${pid}/stat`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')).toBe(false);

    // Every call of both processes (and of the one killed after its flush) is in one chain.
    const after = openStorage(db.url!, {});
    try {
      const verdict = await verifyCallChain(after.db);
      expect(verdict).toMatchObject({ ok: true });
      const rows = await after.db.selectFrom('sharing_calls').select(['status']).where('interface_code', '=', 'people').execute();
      expect(rows).toHaveLength(20);
      expect(rows.filter((r) => Number(r.status) === 200)).toHaveLength(quotaPerDay);
    } finally {
      await after.close();
    }
  }, 150_000);
});

describe('kuaiji serve on a port another program holds', () => {
  /** `kuaiji serve` on a fresh SQLite data folder, with a port already taken; its exit code and output, and the workers it forked. */
  async function serveOnTakenPort(processes: number) {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-serve-taken-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUAIJI_DATA_DIR: dataDir,
      KUAIJI_SERVE_PROCESSES: String(processes),
      KUAIJI_REDIS_URL: redisUrl ?? 'redis://127.0.0.1:6379/0',
      KUAIJI_LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
    };
    delete env.KUAIJI_DATABASE_URL;
    delete env.KUAIJI_ADMIN_TOKEN;
    let output = '';
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { cwd: ROOT, env });
    server.stdout.on('data', (b: Buffer) => (output += b.toString()));
    server.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const workers = new Set<number>();
    const watch = setInterval(() => childrenOf(server.pid!).forEach((pid) => workers.add(pid)), 50);
    try {
      const code = await new Promise<number | null>((resolve) => server.once('exit', (c) => resolve(c)));
      return { code, output, workers: [...workers] };
    } finally {
      clearInterval(watch);
      if (server.exitCode === null) server.kill('SIGKILL');
      blocker.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const alive = (pid: number) => fs.existsSync(`/proc/${pid}/stat`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');

  // No database server and no Redis call is needed: the processes fail at listen, before any call.
  it('one process: exits 1 naming the address in use', async () => {
    const { code, output } = await serveOnTakenPort(1);
    expect(code, output).toBe(1);
    expect(output).toMatch(/EADDRINUSE/);
  }, 120_000);

  it('two processes: a serving process that ends before it ever listened ends the primary with exit code 1, no worker left', async () => {
    const { code, output, workers } = await serveOnTakenPort(2);
    expect(code, output).toBe(1);
    expect(output).toMatch(/EADDRINUSE/);
    expect(output).toContain('a serving process ended before it was listening: stopping the others');
    for (const pid of workers) expect(alive(pid)).toBe(false);
  }, 120_000);
});
