import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The web UI (ADR 0018): the public portal at `/`, the console at `/console/` (one single-page app,
 * web/ built into dist/web/ by scripts/build-web.mjs) and the API reference at `/api-docs/`.
 * Only the files the build writes are answered, from our own folder; the Content-Security-Policy
 * keeps the pages from fetching anything from another origin.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// React and ECharts set inline styles; swagger-ui too. Nothing else is allowed off our origin.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

// An asset's name: letters, digits, dots, dashes (no slash, so never outside the folder).
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** dist/web of the package this file belongs to (src/http under tsx, dist/src/http once compiled). */
export function defaultWebDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'web');
}

function sendFile(reply: FastifyReply, file: string, cache: string) {
  const type = TYPES[path.extname(file)];
  if (!type || !fs.existsSync(file)) return null;
  return reply
    .header('content-type', type)
    .header('cache-control', cache)
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .send(fs.createReadStream(file));
}

export function installWeb(app: FastifyInstance, webDir: string = defaultWebDir()): void {
  const page = (name: string) => async (_req: unknown, reply: FastifyReply) => {
    const sent = sendFile(reply, path.join(webDir, name), 'no-cache');
    if (sent) return sent;
    return reply
      .code(503)
      .header('content-type', 'text/plain; charset=utf-8')
      .send('The web UI is not built yet: run `npm run build` (npm start builds it too). The API answers under /api/v1/.\n');
  };
  const spa = page('index.html');
  app.get('/', spa);
  app.get('/console', async (_req, reply) => reply.redirect('/console/'));
  app.get('/console/', spa);
  app.get('/api-docs', async (_req, reply) => reply.redirect('/api-docs/'));
  app.get('/api-docs/', page('api-docs.html'));
  app.get('/api-docs/api-docs.js', page('api-docs.js'));
  app.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
    const { name } = req.params;
    const sent = ASSET_NAME.test(name) ? sendFile(reply, path.join(webDir, 'assets', name), 'no-cache') : null;
    if (sent) return sent;
    return reply.callNotFound();
  });
}
