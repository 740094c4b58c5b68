import { describe, expect, it } from 'vitest';
import { parseSubjectId, subjectText } from '../../src/modules/themes/one-id/subject-id.js';
import { E1, E1_ORG, P1, P1_LEGACY, P2 } from './one-id-fixtures.js';

const today = new Date('2026-03-02T00:00:00Z');
const wide = (s: string) => [...s].map((c) => (/[0-9A-Za-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
const reason = (raw: string) => {
  try {
    parseSubjectId(raw, today);
  } catch (e) {
    return (e as { extensions: { errors: { path: string; message: string }[] } }).extensions.errors[0]!;
  }
  throw new Error(`${raw} was accepted`);
};

describe('one-ID: reading the id', () => {
  it('normalises citizen IDs: 18 digits, legacy 15, full-width, lower-case x, blanks', () => {
    expect(parseSubjectId(P1, today)).toEqual({ kind: 'CITIZEN_ID', id: P1, legacy: false });
    expect(parseSubjectId(P1_LEGACY, today)).toEqual({ kind: 'CITIZEN_ID', id: P1, legacy: true });
    expect(parseSubjectId(` ${wide(P2.toLowerCase())}\u3000`, today)).toEqual({ kind: 'CITIZEN_ID', id: P2, legacy: false });
  });

  it('reads a USCC in any case and an organisation code with or without its hyphen', () => {
    expect(parseSubjectId(E1.toLowerCase(), today)).toEqual({ kind: 'USCC', id: E1 });
    const org = E1_ORG.replace('-', '');
    expect(parseSubjectId(E1_ORG, today)).toEqual({ kind: 'ORG_CODE', orgCode: org });
    expect(parseSubjectId(org.toLowerCase(), today)).toEqual({ kind: 'ORG_CODE', orgCode: org });
    expect(subjectText({ kind: 'ORG_CODE', orgCode: org })).toBe(E1_ORG);
  });

  it('names params.id and why an id is none', () => {
    const wrongCheck = P1.slice(0, 17) + (P1[17] === '0' ? '1' : '0');
    expect(reason(wrongCheck)).toMatchObject({ path: 'params.id', message: expect.stringMatching(/check character should be '.', not '.'/) });
    expect(reason(P1.slice(0, 16)).message).toBe('a citizen ID has 18 characters (or 15 digits, the legacy form), not 16');
    expect(reason(`${P1.slice(0, 6)}19991340${P1.slice(14)}`).message).toMatch(/birth date 19991340 is not a date/);
    expect(reason('ABC').message).toBe('a USCC has 18 characters and an organisation code 9 (8 and a check character), not 3');
    expect(reason(`${E1.slice(0, 17)}I`).message).toMatch(/'I' is not allowed/);
    expect(reason('   ').message).toBe('the id is empty');
  });
});
