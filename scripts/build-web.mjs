#!/usr/bin/env node
// Builds the web UI (web/: the public portal and the console) into dist/web/ with esbuild, and copies
// the API reference page's assets (swagger-ui-dist) beside it, so the server answers every page
// from our own files and the browser fetches nothing from outside (ADR 0018).
//   node scripts/build-web.mjs [outDir]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { writeWebApiTypes } from './write-web-api.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles web/src/main.tsx and copies the HTML pages and the API reference assets into `outDir`. */
export async function buildWeb(outDir = path.join(ROOT, 'dist', 'web')) {
  const assets = path.join(outDir, 'assets');
  fs.mkdirSync(assets, { recursive: true });
  writeWebApiTypes();
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'web', 'src', 'main.tsx')],
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile: path.join(assets, 'app.js'),
    logLevel: 'warning',
    legalComments: 'linked',
  });
  for (const page of ['index.html', 'api-docs.html', 'api-docs.js']) fs.copyFileSync(path.join(ROOT, 'web', 'public', page), path.join(outDir, page));
  const swagger = path.join(ROOT, 'node_modules', 'swagger-ui-dist');
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) fs.copyFileSync(path.join(swagger, file), path.join(assets, file));
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const out = await buildWeb(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stderr.write(`Built the web UI into ${path.relative(process.cwd(), out) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}
