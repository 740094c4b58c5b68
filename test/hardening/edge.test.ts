import net from 'node:net';
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { AppError } from '../../src/errors.js';
import { plainJobError } from '../../src/modules/collection/jobs/job-error.js';
import { readDelimited } from '../../src/modules/collection/parsing/index.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

type Res = { statusCode: number; headers: Record<string, unknown>; json(): any };

const expectProblem = (res: Res, status: number, code: string) => {
  expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code });
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = res.json();
  expect(typeof body.requestId).toBe('string');
  return body;
};

/** A deterministic byte sequence covering every byte value (NUL, invalid UTF-8 …). */
function noise(n: number, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describeEachDialect('the HTTP edge refuses what storage cannot take', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: resourceInput(t.deptA.id) });
    resourceId = r.json().id;
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('NUL in a path id, a query parameter, a cursor or a JSON body → 400 INVALID_CHARACTER naming the field (was 500 on PostgreSQL)', async () => {
    const cases: { req: InjectOptions; path: string }[] = [
      { req: { method: 'GET', url: '/api/v1/resources/%00' }, path: 'params.id' },
      { req: { method: 'GET', url: '/api/v1/resources?q=a%00b' }, path: 'query.q' },
      { req: { method: 'GET', url: '/api/v1/resources?cursor=%00' }, path: 'query.cursor' },
      { req: { method: 'GET', url: '/api/v1/collection/jobs?cursor=x%00', headers: bearer(t.adminToken) }, path: 'query.cursor' },
      { req: { method: 'GET', url: `/api/v1/resources/${resourceId}/records?cursor=%00`, headers: bearer(t.adminToken) }, path: 'query.cursor' },
      {
        req: { method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: resourceInput(t.deptA.id, { name: 'a\u0000b' }) },
        path: 'body.name',
      },
      {
        req: { method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: resourceInput(t.deptA.id, { tags: ['ok', 'x\u0000'] }) },
        path: 'body.tags.1',
      },
      {
        req: {
          method: 'PUT',
          url: `/api/v1/resources/${resourceId}/column-mappings`,
          headers: bearer(t.adminToken),
          payload: { mappings: { 'h\u0000': 'uscc' } },
        },
        path: 'body.mappings.h\\u0000',
      },
    ];
    for (const c of cases) {
      const body = expectProblem(await t.app.inject(c.req), 400, 'INVALID_CHARACTER');
      expect(body.errors[0].path).toBe(c.path);
    }
    // At any depth (the scan has no depth bound a NUL could hide under).
    const depth = 1_000;
    const deep = `{"deep":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: { ...bearer(t.adminToken), 'content-type': 'application/json' },
      payload: deep,
    });
    const body = expectProblem(res, 400, 'INVALID_CHARACTER');
    expect(body.errors[0].path).toBe(`body.deep${'.0'.repeat(depth)}`);
    // Nothing was stored by the refused writes.
    const names = (await t.app.inject({ method: 'GET', url: '/api/v1/resources?limit=500' })).json().items.map((r: { name: string }) => r.name);
    expect(names.some((n: string) => n.includes('\u0000'))).toBe(false);
  });

  it('crafted cursors on every list answer 400, never 500', async () => {
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url');
    const crafted = [
      'zzz',
      '!!',
      '-1',
      'NaN',
      '1e400',
      '9'.repeat(40),
      'A'.repeat(5000),
      b64('not json'),
      b64({ k: 1 }),
      b64({ k: ['a', 'b', 'c', 'd'] }),
      b64({ k: { a: 1 } }),
      b64({ k: '\u0000' }),
      b64({ k: 'x'.repeat(3000) }),
      b64({ k: [1e308, -1e308] }),
      b64({ k: [null, null] }),
      b64({ k: [{}, []] }),
      b64([1, 2]),
      b64({ k: '\ud800' }),
      b64({ k: ['2024-13-45', 'x'] }),
      b64({ k: [true, false] }),
    ];
    const job = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/resources/${resourceId}/uploads?format=csv&wait=true`,
        headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
        payload: 'uscc,org_name,reg_date\nT00000000000000005,a,2024-01-01\nbad-row\n',
      })
    ).json().job;
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
    };
    const lists = Object.entries(doc.paths)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([path]) => path.replace('/resources/{id}', `/resources/${resourceId}`).replace('/jobs/{id}', `/jobs/${job.id}`))
      .filter((path) => !path.includes('{'));
    expect(lists).toEqual(
      expect.arrayContaining([
        '/api/v1/resources',
        '/api/v1/collection/jobs',
        `/api/v1/resources/${resourceId}/records`,
        `/api/v1/collection/jobs/${job.id}/rejects`,
      ]),
    );
    // Some crafted keys are well-formed positions (any string is a code to start after): those may
    // answer 200. None may answer 5xx, and what is not a cursor at all is a 400.
    const notACursor = new Set(['zzz', '!!', b64('not json'), b64({ k: { a: 1 } }), b64([1, 2]), 'A'.repeat(5000)]);
    const failures: string[] = [];
    for (const path of lists) {
      for (const cursor of crafted) {
        const res = await t.app.inject({ method: 'GET', url: `${path}?cursor=${encodeURIComponent(cursor)}`, headers: bearer(t.adminToken) });
        if (res.statusCode >= 500 || (notACursor.has(cursor) && res.statusCode !== 400)) failures.push(`${path} ${cursor.slice(0, 40)} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a NUL-free request with the same shape still works', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/resources?q=%E6%B5%8B%E8%AF%95' })).statusCode).toBe(200);
  });

  it('an uploaded file holding NUL is not refused at the edge (its rows are judged by the load)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv&wait=true`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: 'uscc,org_name,reg_date\nT00000000000000001,a\u0000b,2024-01-01\nT00000000000000002,ok,2024-01-02\n',
    });
    expect(res.statusCode).toBe(200);
  });

  it('a random-bytes CSV fails its job with plain words: no stack, no server path (was a stack trace on PostgreSQL)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv&wait=true`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: noise(5000),
    });
    expect(res.statusCode).toBe(200);
    const job = res.json().job;
    expect(job.status).toBe('failed');
    expect(job.error).toBeTruthy();
    expect(job.error).not.toMatch(/\n\s+at |node_modules|file:\/\/|\/work\/|\.ts:\d+/);
    expect(job.error).not.toContain('\u0000');
  });

  it('an unknown encoding is a 400 up front, and no job is created', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/collection/jobs?limit=500', headers: bearer(t.adminToken) })).json().items.length;
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv&encoding=klingon`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: 'uscc,org_name\nT1,a\n',
    });
    expect(expectProblem(upload, 400, 'VALIDATION_FAILED').errors[0].path).toBe('query.encoding');
    const push = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${resourceId}/batches/b-enc?format=csv&encoding=klingon`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: 'uscc,org_name\nT1,a\n',
    });
    expect(expectProblem(push, 400, 'VALIDATION_FAILED').errors[0].path).toBe('query.encoding');
    const charset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv; charset=klingon' },
      payload: 'uscc,org_name\nT1,a\n',
    });
    expect(expectProblem(charset, 400, 'VALIDATION_FAILED').errors[0].path).toBe('headers.content-type');
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/collection/jobs?limit=500', headers: bearer(t.adminToken) })).json().items.length;
    expect(after).toBe(before);
    const gbk = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv&encoding=GBK&wait=true`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: 'uscc,org_name,reg_date\nT00000000000000009,a,2024-01-01\n',
    });
    expect(gbk.json().job.status).toBe('succeeded');
  });

  it('a header line longer than the record limit says so, not "the file is empty"', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv&wait=true`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: Buffer.alloc(9 * 1024 * 1024, 'a'),
    });
    const job = res.json().job;
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/header line is longer than \d+ characters/);
    expect(job.error).not.toMatch(/empty/);
  });

  it('the last active administrator cannot be disabled, by themself or anyone; with a second one they can', async () => {
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.adminToken) })).json();
    const self = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${me.id}`, headers: bearer(t.adminToken), payload: { disabled: true } });
    expectProblem(self, 409, 'LAST_ADMIN');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.adminToken) })).statusCode).toBe(200);

    const second = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.adminToken), payload: { username: 'admin-2', role: 'ADMIN' } });
    expect(second.statusCode).toBe(201);
    const { user, token } = second.json();
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${me.id}`, headers: bearer(token.token), payload: { disabled: true } })).statusCode).toBe(
      200,
    );
    // Now admin-2 is the last one.
    expectProblem(
      await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(token.token), payload: { disabled: true } }),
      409,
      'LAST_ADMIN',
    );
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${me.id}`, headers: bearer(token.token), payload: { disabled: false } })).statusCode,
    ).toBe(200);
  });
});

describe('framework and Node errors are problem+json too', () => {
  let db: TestDb;
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    const { DIALECTS } = await import('../dialects.js');
    db = await DIALECTS[0].fresh();
    t = await buildTestApp(db);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  /** Sends raw bytes and returns the raw answer (the connection is closed by the server). */
  function raw(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
      let out = '';
      socket.on('data', (d) => (out += d.toString('utf8')));
      socket.on('close', () => resolve(out));
      socket.on('error', (e) => (out ? resolve(out) : reject(e)));
    });
  }
  const parse = (answer: string) => {
    const [head, body = ''] = answer.split('\r\n\r\n');
    return { status: Number(head!.split(' ')[1]), head: head!.toLowerCase(), body: JSON.parse(body) as Record<string, unknown> };
  };

  it('a broken percent-encoding → 400 MALFORMED_URL', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/resources/%zz' }), 400, 'MALFORMED_URL');
  });

  it('headers larger than Node accepts → 431 HEADERS_TOO_LARGE as problem+json', async () => {
    const answer = parse(await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.head).toContain('content-type: application/problem+json');
    expect(answer.body).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
    expect(typeof answer.body.requestId).toBe('string');
  });

  it('an unparseable request → 400 MALFORMED_REQUEST as problem+json', async () => {
    const answer = parse(await raw('THIS IS NOT HTTP\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.head).toContain('content-type: application/problem+json');
    expect(answer.body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });
});

describe('job errors are plain words', () => {
  it('keeps our codes, drops stacks and server paths', () => {
    expect(plainJobError(new AppError('COLLECTION_UNREADABLE', 'not a CSV'))).toBe('COLLECTION_UNREADABLE: not a CSV');
    const err = new Error("ENOENT: no such file or directory, open '/var/lib/kuaiji/incoming/01ab.csv'");
    expect(plainJobError(err)).toBe("the load failed: ENOENT: no such file or directory, open '…'");
    const stack =
      'error: invalid byte sequence for encoding "UTF8": 0x00\n    at /work/main/node_modules/pg/lib/client.js:694:17\n    at file:///work/main/src/x.ts:1:2';
    expect(plainJobError(stack)).toBe('the load failed: error: invalid byte sequence for encoding "UTF8": 0x00');
    expect(plainJobError(new AppError('COLLECTION_UNMAPPED_COLUMNS', 'headers found: a\u0000b'))).not.toContain('\u0000');
  });

  it('a header line over the limit is an unreadable file with that reason', async () => {
    const readAll = async (text: string) => {
      const stream = await readDelimited(Buffer.from(text), { maxRecordLength: 64 });
      for await (const batch of stream.batches) void batch;
    };
    // Without a line break (the probe's 50 MB header), with one, and quoted.
    for (const text of ['x'.repeat(500), `${'x'.repeat(100)}\n1\n`, `"${'x'.repeat(100)}"\n1\n`]) {
      await expect(readAll(text)).rejects.toThrow(/the header line is longer than 64 characters/);
    }
    await expect(readAll(`${'x'.repeat(60)}\n1\n`)).resolves.toBeUndefined();
  });
});

describe('request logging', () => {
  async function linesFor(level: string) {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const { DIALECTS } = await import('../dialects.js');
    const db = await DIALECTS[0].fresh();
    const t = await buildTestApp(db);
    const app = await buildApp(t.services, { logger: pino({ level }, sink) });
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/api/v1/nothing' });
    await app.close();
    await t.app.close();
    await db.drop();
    return lines;
  }

  it('writes nothing per request at info level, one line per request at debug, each with its request id', async () => {
    expect(await linesFor('info')).toEqual([]);
    const debug = (await linesFor('debug')).filter((l) => l.msg === 'request');
    expect(debug).toHaveLength(2);
    expect(debug.map((l) => l.statusCode)).toEqual([200, 404]);
    for (const l of debug) expect(typeof l.reqId).toBe('string');
  });
});
