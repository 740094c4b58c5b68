import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A plain .mjs script (npm start runs it without tsx); imported by a computed specifier.
const script = '../scripts/build-if-stale.mjs';
const { staleReason } = (await import(script)) as { staleReason(root: string): string | null };

describe('scripts/build-if-stale.mjs (npm start compiles only when a source changed)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-build-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const age = (rel: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(path.join(root, rel), t, t);
  };

  it('builds when there is no build, skips when dist is newer than every input, rebuilds after a change or a deletion', () => {
    write('src/a.ts', 'export const a = 1;\n');
    write('src/sub/b.ts', 'export const b = 1;\n');
    write('tsconfig.json', '{}');
    write('package.json', '{}');
    expect(staleReason(root)).toBe('no build yet');
    write('dist/src/cli/main.js');
    write('dist/.build-stamp');
    expect(staleReason(root)).toBe('no build yet'); // the web UI is part of the build
    write('dist/web/index.html');
    for (const f of ['src/a.ts', 'src/sub/b.ts', 'src/sub', 'src', 'tsconfig.json', 'package.json']) age(f, 60);
    expect(staleReason(root)).toBeNull();

    write('src/sub/b.ts', 'export const b = 2;\n');
    expect(staleReason(root)).toBe('src changed since the last build');
    age('src/sub/b.ts', 60);
    age('src/sub', 60);
    expect(staleReason(root)).toBeNull();

    fs.rmSync(path.join(root, 'src/sub/b.ts'));
    expect(staleReason(root)).toBe('src changed since the last build');
    age('src/sub', 60);
    write('tsconfig.json', '{ "compilerOptions": {} }');
    expect(staleReason(root)).toBe('tsconfig.json changed since the last build');
  });
});
