import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseCitizenId, normaliseKey, normaliseSubject, normaliseUscc, orgCodeOf } from '../../src/modules/themes/keys/normalise-key.js';
import { parseCsvLine } from '../../src/reference/csv.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { buildLicenceId } from '../../src/shared/validation/licence-id.js';
import { buildUscc } from '../../src/shared/validation/uscc.js';

const today = new Date('2026-11-28');
const rows = fs
  .readFileSync(new URL('../../reference/validation-test-vectors.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map(parseCsvLine)
  .map(([kind, input, expected, normalized]) => ({ kind: kind!, input: input!, valid: expected === 'true', normalized: normalized! }));

/** A synthetic 18-digit ID in Shaoxing Yuecheng with its check character computed. */
const id18 = (first17: string) => first17 + citizenIdCheckChar(first17);

describe('theme keys: the validation test vectors', () => {
  for (const r of rows.filter((x) => x.kind === 'resident_id')) {
    it(`citizen ID ${r.input}`, () => {
      const res = normaliseCitizenId(r.input, today);
      expect(res.ok).toBe(r.valid);
      if (res.ok && 'key' in res) {
        expect(res.key).toBe(r.normalized);
        expect(res.tier).toBe(r.input.length === 15 ? 'LEGACY' : 'KEY');
      }
    });
  }
  for (const r of rows.filter((x) => x.kind === 'uscc')) {
    it(`USCC ${r.input}`, () => {
      const res = normaliseUscc(r.input);
      expect(res.ok).toBe(r.valid);
      if (res.ok) expect(res).toEqual({ ok: true, key: r.normalized, tier: 'KEY' });
    });
  }
  for (const r of rows.filter((x) => x.kind === 'org_code')) {
    it(`organisation code ${r.input} bridges`, () => {
      const res = normaliseUscc(r.input);
      expect(res.ok).toBe(r.valid);
      if (res.ok) expect(res).toEqual({ ok: true, orgCode: r.normalized, tier: 'BRIDGE' });
    });
  }
});

describe('theme keys: normalising', () => {
  it('trims, reads full-width as half-width and upper-cases x', () => {
    const id = id18('33060219900307001');
    const typed = ` ${id.replace(/./g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}\u3000`;
    expect(normaliseCitizenId(typed, today)).toEqual({ ok: true, key: id, tier: 'KEY' });
    expect(normaliseCitizenId('44011320141005001x', today)).toEqual({ ok: true, key: '44011320141005001X', tier: 'KEY' });
  });

  it('upgrades a 15-digit ID to 18 digits as LEGACY', () => {
    const first17 = '33060219650412003';
    expect(normaliseCitizenId('330602650412003', today)).toEqual({ ok: true, key: first17 + citizenIdCheckChar(first17), tier: 'LEGACY' });
  });

  it('strips separators of a USCC and bridges its organisation code', () => {
    const uscc = buildUscc('91330602', 'MA2B3C4D');
    const spaced = `${uscc.slice(0, 2)}-${uscc.slice(2, 8)} ${uscc.slice(8).toLowerCase()}`;
    expect(normaliseUscc(spaced)).toEqual({ ok: true, key: uscc, tier: 'KEY' });
    const org = orgCodeOf(uscc);
    expect(org).toHaveLength(9);
    expect(normaliseUscc(`${org.slice(0, 8)}-${org[8]}`)).toEqual({ ok: true, orgCode: org, tier: 'BRIDGE' });
    expect(normaliseUscc(`${org.slice(0, 8)}-${org[8] === '1' ? '2' : '1'}`).ok).toBe(false);
  });

  it('tells a subject apart by form', () => {
    const id = id18('33060219900307001');
    const uscc = buildUscc('91330602', 'MA2B3C4D');
    expect(normaliseSubject(id, today)).toEqual({ ok: true, key: id, tier: 'KEY' });
    expect(normaliseSubject(uscc, today)).toEqual({ ok: true, key: uscc, tier: 'KEY' });
    // An all-digit USCC that is no valid citizen ID is read as a USCC.
    const digits = buildUscc('11330602', '00001234');
    expect(/^\d+$/.test(digits.slice(0, 17))).toBe(true);
    expect(normaliseSubject(digits, today)).toEqual({ ok: true, key: digits, tier: 'KEY' });
    expect(normaliseSubject('', today)).toEqual({ ok: false, reason: 'the key is empty' });
  });

  it('plain codes are trimmed and half-width; licence ids normalised and verified', () => {
    expect(normaliseKey('GRID_CODE', ' ３３０６０２－Ａ１ ')).toEqual({ ok: true, key: '330602-A1', tier: 'KEY' });
    expect(normaliseKey('FEATURE_ID', 42)).toEqual({ ok: true, key: '42', tier: 'KEY' });
    expect(normaliseKey('FEATURE_ID', null).ok).toBe(false);
    const licence = buildLicenceId({
      typeCode: `${buildUscc('11330000', 'LKC00001')}001`,
      issuerUscc: buildUscc('11330602', 'AQR00001'),
      serial: 'SX2026000001',
      version: '001',
    });
    expect(normaliseKey('LICENCE_ID', ` ${licence.toLowerCase()}\u3000`)).toEqual({ ok: true, key: licence, tier: 'KEY' });
    expect(normaliseKey('LICENCE_ID', `${licence.slice(0, -1)}${licence.endsWith('0') ? '1' : '0'}`).ok).toBe(false);
    expect(normaliseKey('LICENCE_ID', '1.2.156.3005.2.abc').ok).toBe(false);
  });
});
