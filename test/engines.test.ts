import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// semver is npm's own range logic (installed with better-sqlite3's prebuild-install).
const semver = createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean };
const ROOT = path.resolve(import.meta.dirname, '..');

describe('package-lock.json', () => {
  it('holds no package whose engines exclude the running Node (npm install would print EBADENGINE)', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const refused = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && !Array.isArray(p.engines) && p.engines?.node && !semver.satisfies(process.version, p.engines.node))
      .map(([name, p]) => `${name}@${p.version} requires node ${(p.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });
});
