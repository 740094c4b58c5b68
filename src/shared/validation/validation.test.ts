import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCitizenId } from './citizen-id.js';
import { isValidPostalCode, normalizeMobile } from './contact.js';
import { isValidOrgCode, normalizeOrgCode } from './org-code.js';
import { checkUscc } from './uscc.js';
import { isHistoricalRegionCode } from '../../reference/regions.js';
import { parseCsvLine } from '../../reference/csv.js';

const rows = fs
  .readFileSync(new URL('../../../reference/validation-test-vectors.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map(parseCsvLine)
  .map(([kind, input, expected, normalized, reason]) => ({ kind: kind!, input: input!, valid: expected === 'true', normalized: normalized!, reason: reason! }));

describe('validation test vectors (reference/validation-test-vectors.csv)', () => {
  it('has vectors of every kind', () => {
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['resident_id', 'uscc', 'org_code', 'mobile', 'postal_code']));
  });

  for (const r of rows) {
    it(`${r.kind} ${r.input} → ${r.valid ? 'valid' : 'invalid'} (${r.reason.slice(0, 60)})`, () => {
      switch (r.kind) {
        case 'resident_id': {
          const res = checkCitizenId(r.input, isHistoricalRegionCode, new Date('2026-11-28'));
          expect(res.valid).toBe(r.valid);
          if (res.valid) expect(res.normalized).toBe(r.normalized);
          break;
        }
        case 'uscc': {
          const res = checkUscc(r.input);
          expect(res.valid).toBe(r.valid);
          if (res.valid) expect(res.normalized).toBe(r.normalized);
          break;
        }
        case 'org_code':
          expect(isValidOrgCode(r.input)).toBe(r.valid);
          if (r.valid) expect(normalizeOrgCode(r.input)).toBe(r.normalized);
          break;
        case 'mobile': {
          // The vectors follow a strict pattern; the loose rule may disagree where the reason says so.
          const loose = normalizeMobile(r.input) !== null;
          expect(loose).toBe(/loose rule/.test(r.reason) ? true : r.valid);
          break;
        }
        case 'postal_code':
          expect(isValidPostalCode(r.input)).toBe(r.valid);
          break;
      }
    });
  }
});

describe('full-width input (typed with a Chinese input method)', () => {
  it('is read as half-width by every validator, and only the full-width ASCII block is mapped', async () => {
    const { toHalfWidth } = await import('./half-width.js');
    expect(toHalfWidth('１１０１０５　ｘ－Ｘ')).toBe('110105 x-X');
    expect(toHalfWidth('①２')).toBe('①2');
    expect(checkCitizenId('１１０１０５１９４９１２３１００２ｘ', isHistoricalRegionCode, new Date('2026-11-28'))).toMatchObject({
      valid: true,
      normalized: '11010519491231002X',
    });
    expect(checkUscc('９１１１００００６０００３７３４１Ｌ')).toEqual({ valid: true, normalized: '91110000600037341L' });
    expect(isValidOrgCode('Ｄ２１４３５６９－Ｘ')).toBe(true);
    expect(normalizeMobile('＋８６ １３８００１３８０００')).toBe('13800138000');
    expect(isValidPostalCode('０１００００')).toBe(true);
  });
});
