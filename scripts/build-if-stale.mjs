#!/usr/bin/env node
// `npm start` runs this first: it compiles src/ into dist/ only when a source changed since the
// last successful build (dist/.build-stamp), so a restart does not wait for the compiler.
// The build itself is incremental (dist/.tsbuildinfo). `npm run build` always compiles.
//   node scripts/build-if-stale.mjs [--force]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb } from './build-web.mjs';
import { writeWebApiTypes } from './write-web-api.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
// What the build reads: the sources (a deleted or renamed file changes its folder's time) and configuration.
const INPUTS = ['src', 'web', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

/** The newest modification time under `p` (files and folders), 0 when it does not exist. */
export function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  let newest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

/** Why dist/ must be rebuilt, or null when it is newer than every input. */
export function staleReason(root = ROOT) {
  const stamp = path.join(root, 'dist', '.build-stamp');
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js')) || !fs.existsSync(path.join(root, 'dist', 'web', 'index.html')) || !fs.existsSync(stamp))
    return 'no build yet';
  const built = fs.statSync(stamp).mtimeMs;
  for (const input of INPUTS) {
    if (newestMtime(path.join(root, input)) > built) return `${input} changed since the last build`;
  }
  return null;
}

async function main() {
  const force = process.argv.includes('--force');
  const reason = force ? 'forced' : staleReason();
  if (!reason) return 0;
  const started = Date.now();
  // Generated before the stamp's time, so it does not count as a change at the next start.
  writeWebApiTypes();
  // The stamp records when the inputs were read: a source saved during the build triggers the next one.
  const readAt = new Date();
  process.stderr.write(`Building dist/ (${reason})…\n`);
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) return r.status ?? 1;
  // The web UI (web/ → dist/web/): the portal and the console the server answers at / and /console/.
  await buildWeb();
  fs.writeFileSync(STAMP, `${readAt.toISOString()}\n`);
  fs.utimesSync(STAMP, readAt, readAt);
  process.stderr.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main();
