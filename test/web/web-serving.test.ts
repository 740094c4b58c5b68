import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { buildServices } from '../../src/deps.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';

// The server answers the web UI from its own folder (ADR 0018); a folder stands in for dist/web here.
describe('web UI serving', () => {
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-web-'));
  const storage = openSqlite(':memory:');
  let app: FastifyInstance;
  let bare: FastifyInstance;

  beforeAll(async () => {
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>spa</title>');
    fs.writeFileSync(path.join(webDir, 'api-docs.html'), '<!doctype html><title>docs</title>');
    fs.writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(webDir, 'secret.json'), '{}');
    await migrateToLatest(storage);
    const services = buildServices(storage);
    app = await buildApp(services, { logger: false, webDir });
    bare = await buildApp(services, { logger: false, webDir: path.join(webDir, 'missing') });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await storage.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('answers the single-page app at / and /console/ with a same-origin Content-Security-Policy', async () => {
    for (const url of ['/', '/console/']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<title>spa</title>');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
    expect((await app.inject({ url: '/console' })).headers.location).toBe('/console/');
    expect((await app.inject({ url: '/api-docs/' })).body).toContain('<title>docs</title>');
  });

  it('answers built assets only: no other file of the folder, no path outside it', async () => {
    const js = await app.inject({ url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const url of ['/assets/missing.js', '/assets/..%2Fsecret.json', '/assets/%2E%2E%2Findex.html', '/secret.json', '/assets/']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code, url).toBe('ROUTE_NOT_FOUND');
    }
  });

  it('says how to build the UI when it is not built, and the API still answers', async () => {
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    expect((await bare.inject({ url: '/api/v1/catalog/codes' })).statusCode).toBe(200);
  });
});
