import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../src/reference/csv.js';
import {
  buildLicenceId,
  checkLicenceId,
  licenceCheckChar,
  mod3736CheckChar,
  normaliseLicenceId,
  parseLicenceId,
} from '../../src/shared/validation/licence-id.js';

const rows = fs
  .readFileSync(new URL('./licence-id-vectors.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map(parseCsvLine)
  .map(([kind, input, valid, normalized, errorFields, note]) => ({
    kind: kind!,
    input: input!,
    valid: valid === 'true',
    normalized: normalized!,
    errorFields: errorFields ? errorFields.split(';') : [],
    note: note!,
  }));

describe('e-licence identifier vectors (test/themes/licence-id-vectors.csv)', () => {
  it('has 3 MOD 37,36 vectors, 7 valid and 13 invalid identifiers', () => {
    expect(rows.filter((r) => r.kind === 'mod37_36')).toHaveLength(3);
    expect(rows.filter((r) => r.kind === 'licence_id' && r.valid)).toHaveLength(7);
    expect(rows.filter((r) => r.kind === 'licence_id' && !r.valid)).toHaveLength(13);
  });

  for (const r of rows) {
    it(`${r.kind} ${r.input.trim().slice(0, 48)}… → ${r.valid ? 'valid' : r.errorFields.join(',')} (${r.note})`, () => {
      if (r.kind === 'mod37_36') {
        expect(mod3736CheckChar(r.input)).toBe(r.normalized);
        return;
      }
      const res = parseLicenceId(r.input);
      expect(res.valid).toBe(r.valid);
      expect(res.errors.map((e) => e.field)).toEqual(r.errorFields);
      if (r.valid) {
        expect(res.normalized).toBe(r.normalized);
        expect(checkLicenceId(r.input)).toEqual({ valid: true, normalized: r.normalized });
      } else {
        expect(checkLicenceId(r.input).valid).toBe(false);
      }
    });
  }
});

describe('licence identifier helpers', () => {
  const parts = { typeCode: '11100000000013338W032', issuerUscc: '11330100MB0000019K', serial: 'KJ2026000001', version: '001' };

  it('splits a valid identifier into its parts', () => {
    expect(parseLicenceId('1.2.156.3005.2.11100000000013338W032.11330100MB0000019K.KJ2026000001.001.P')).toEqual({
      valid: true,
      normalized: '1.2.156.3005.2.11100000000013338W032.11330100MB0000019K.KJ2026000001.001.P',
      parts: { oid: '1.2.156.3005.2', ...parts, check: 'P' },
      errors: [],
    });
  });

  it('computes the check character over the parts without root and dots', () => {
    expect(licenceCheckChar(parts)).toBe('P');
    expect(licenceCheckChar({ ...parts, serial: 'kj2026000001' })).toBe('P');
    expect(licenceCheckChar({ ...parts, serial: 'KJ-1' })).toBeNull();
  });

  it('builds identifiers that verify, and refuses invalid parts', () => {
    expect(buildLicenceId(parts)).toBe('1.2.156.3005.2.11100000000013338W032.11330100MB0000019K.KJ2026000001.001.P');
    for (let n = 1; n <= 50; n++) {
      const id = buildLicenceId({ ...parts, serial: `S${String(n).padStart(6, '0')}`, version: String(1 + (n % 3)).padStart(3, '0') });
      expect(parseLicenceId(id).valid).toBe(true);
    }
    expect(() => buildLicenceId({ ...parts, issuerUscc: '11330100MB0000019J' })).toThrow(/issuer is not a valid USCC/);
    expect(() => buildLicenceId({ ...parts, version: '1' })).toThrow(/version/);
  });

  it('catches every single-character substitution of a valid identifier', () => {
    const id = buildLicenceId(parts);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let tried = 0;
    for (let i = '1.2.156.3005.2.'.length; i < id.length; i++) {
      if (id[i] === '.') continue;
      for (const c of alphabet) {
        if (c === id[i]) continue;
        tried++;
        expect(parseLicenceId(id.slice(0, i) + c + id.slice(i + 1)).valid, `${i}:${c}`).toBe(false);
      }
    }
    expect(tried).toBe((21 + 18 + 12 + 3 + 1) * 35);
  });

  it('normalises full-width, ideographic stops, spaces and case', () => {
    expect(normaliseLicenceId(' １.2。156 ab ')).toBe('1.2.156AB');
  });
});
