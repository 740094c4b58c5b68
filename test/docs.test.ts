import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, INVARIANT_CODES } from '../src/errors.js';
import { openApiDocument } from './openapi-document.js';

const read = (p: string) => fs.readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');

describe('generated and hand-kept documents stay in sync with the code', () => {
  it('docs/errors.md documents exactly the error codes of src/errors.ts with their statuses', () => {
    const doc = read('docs/errors.md');
    const documented = new Map([...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
    const inCode = new Map(Object.entries(ERROR_CODES).map(([k, v]) => [k, v.status]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(inCode));
  });

  it('docs/errors.md documents exactly the catalogue rule codes', () => {
    const doc = read('docs/errors.md');
    const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \| rule \|/gm)].map((m) => m[1]!));
    expect([...documented].sort()).toEqual(Object.keys(INVARIANT_CODES).sort());
  });

  it('docs/openapi.json is what the code generates (run `npm run openapi` after changing routes)', async () => {
    const committed = JSON.parse(read('docs/openapi.json'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(await openApiDocument())));
  });

  it('docs/ARCHITECTURE.md names every folder under src/', () => {
    const doc = read('docs/ARCHITECTURE.md');
    const folders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(new URL(`../${dir}`, import.meta.url), { withFileTypes: true })) {
        if (e.isDirectory()) {
          folders.push(`${dir}/${e.name}`);
          walk(`${dir}/${e.name}`);
        }
      }
    };
    walk('src');
    const missing = folders.filter((f) => !doc.includes(`${f.replace(/^src\//, 'src/')}/`));
    expect(missing).toEqual([]);
  });
});
