import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { DIMENSION_KEYS } from '../../src/modules/governance/rules/registry.js';
import { PROBLEM_STATES } from '../../src/modules/governance/problems/problem-states.js';
import { ROLES } from '../../src/shared/actor.js';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };

const WEB_SRC = path.resolve(import.meta.dirname, '../../web/src');
const HAN = /\p{Script=Han}/u;

function sources(dir = WEB_SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && e.name !== 'openapi.ts' ? [p] : [];
  });
}

describe('the web UI message catalogues', () => {
  const zh = zhCN as Record<string, string>;
  const english = en as Record<string, string>;

  it('zh-CN and en hold the same keys, none empty', () => {
    expect(Object.keys(english).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, text] of [...Object.entries(zh), ...Object.entries(english)]) expect(text.trim(), key).not.toBe('');
  });

  it('every problem+json code has a Chinese message (and an English one)', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(zh[`errors.${code}`], code).toMatch(HAN);
      expect(english[`errors.${code}`], code).toBeTruthy();
    }
  });

  it('has a message for every key the components build from an API value', () => {
    const built = [
      ...DIMENSION_KEYS.map((d) => `dimension.${d}`),
      ...PROBLEM_STATES.map((s) => `problem.state.${s}`),
      ...ROLES.map((r) => `role.${r}`),
      ...['queued', 'running', 'succeeded', 'failed', 'interrupted', 'cancelled'].map((s) => `jobs.state.${s}`),
    ];
    for (const key of built) expect(zh[key], key).toBeTruthy();
  });

  it('every literal key the components pass to t() exists, and no component hard-codes Chinese text', () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(5);
    let keys = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) {
        keys++;
        expect(zh[m[1]!], `${path.relative(WEB_SRC, file)}: ${m[1]}`).toBeDefined();
      }
      for (const m of text.matchAll(/key: '([^']+)'/g)) expect(zh[m[1]!], `${path.relative(WEB_SRC, file)}: ${m[1]}`).toBeDefined();
      // Comments may name a Chinese term; code may not show one.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
      const han = code.split('\n').findIndex((line) => HAN.test(line));
      expect(han, `${path.relative(WEB_SRC, file)} line ${han + 1} holds Chinese text: move it to the catalogues`).toBe(-1);
    }
    expect(keys).toBeGreaterThan(50);
  });
});
