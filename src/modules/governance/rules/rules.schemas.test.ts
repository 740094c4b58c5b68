import { describe, expect, it } from 'vitest';
import { comparisonOf, CUSTOM_KINDS, RULE_KINDS } from './registry.js';
import { RuleCreate, RulePatch } from './rules.schemas.js';

const base = { resourceId: 'r1', itemCode: 'full_name', otherResourceId: 'r2', otherItemCode: 'full_name' };
const paths = (input: unknown, schema: typeof RuleCreate | typeof RulePatch = RuleCreate) => {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('cross-resource rule schemas', () => {
  it('accept consistency with or without keys and relatedness; severity and switch take their defaults', () => {
    expect(RuleCreate.parse({ ...base, kind: 'consistency' })).toEqual({ ...base, kind: 'consistency', severity: 'medium', enabled: true });
    const keys = [{ item: 'person_id', otherItem: 'pid' }];
    expect(RuleCreate.parse({ ...base, kind: 'consistency', keys })).toMatchObject({ keys });
    expect(RuleCreate.parse({ ...base, kind: 'relatedness' })).toMatchObject({ kind: 'relatedness', otherItemCode: 'full_name' });
  });

  it('name the field that fails', () => {
    const { otherResourceId: _o, ...noOther } = base;
    void _o;
    expect(paths({ ...noOther, kind: 'relatedness' })).toEqual(['otherResourceId']);
    expect(paths({ ...base, kind: 'consistency', otherItemCode: '' })).toEqual(['otherItemCode']);
    expect(paths({ ...base, kind: 'consistency', itemCode: undefined })).toEqual(['itemCode']);
    expect(paths({ ...base, kind: 'consistency', keys: [] })).toEqual(['keys']);
    expect(paths({ ...base, kind: 'consistency', keys: [{ item: 'a' }] })).toEqual(['keys.0.otherItem']);
    expect(paths({ ...base, kind: 'consistency', keys: [{ item: 'a', otherItem: 'b', extra: 1 }] })).toEqual(['keys.0']);
    // Keys belong to consistency only; an unknown kind is refused by the discriminator.
    expect(paths({ ...base, kind: 'relatedness', keys: [{ item: 'a', otherItem: 'b' }] })).toEqual(['']);
    expect(paths({ ...base, kind: 'lookup' })).toEqual(['kind']);
  });

  it('patches may change the other resource, its item and the keys', () => {
    expect(RulePatch.parse({ otherResourceId: 'r3', otherItemCode: 'x', keys: [{ item: 'a', otherItem: 'b' }] })).toEqual({
      otherResourceId: 'r3',
      otherItemCode: 'x',
      keys: [{ item: 'a', otherItem: 'b' }],
    });
    expect(paths({ keys: [] }, RulePatch)).toEqual(['keys']);
  });

  it('are custom kinds with their own dimensions', () => {
    expect(CUSTOM_KINDS).toEqual(expect.arrayContaining(['consistency', 'relatedness']));
    expect(RULE_KINDS.consistency).toMatchObject({ dimension: 'consistency', derived: false, path: 'sql' });
    expect(RULE_KINDS.relatedness).toMatchObject({ dimension: 'relatedness', derived: false, path: 'sql' });
  });

  it('compare text with text, numbers with numbers, dates with dates; never date-times or binaries', () => {
    expect(['STRING', 'TEXT'].map(comparisonOf)).toEqual(['text', 'text']);
    expect(['INTEGER', 'DECIMAL', 'DOUBLE'].map(comparisonOf)).toEqual(['number', 'number', 'number']);
    expect(['DATE', 'BOOLEAN', 'DATETIME', 'BINARY'].map(comparisonOf)).toEqual(['date', 'boolean', null, null]);
  });
});
