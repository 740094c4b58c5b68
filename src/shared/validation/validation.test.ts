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
