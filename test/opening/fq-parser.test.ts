import { describe, expect, it } from 'vitest';
import { FQ_MAX_LENGTH, FqSyntaxError, parseFq, type FqNode } from '../../src/modules/opening/ckan/fq-parser.js';
import { parseSolrDate } from '../../src/modules/opening/ckan/solr-date.js';

const term = (field: string | null, value: string, glob: string | null = null): FqNode => ({ kind: 'term', field, value, glob });

describe('fq parser', () => {
  it('reads field:value, negation and the implicit AND of juxtaposed clauses (CKAN runs Solr with q.op=AND)', () => {
    expect(parseFq('tags:economy')).toEqual(term('tags', 'economy'));
    expect(parseFq('-tags:economy')).toEqual({ kind: 'not', child: term('tags', 'economy') });
    expect(parseFq('+organization:abc -res_format:CSV')).toEqual({
      kind: 'and',
      children: [term('organization', 'abc'), { kind: 'not', child: term('res_format', 'CSV') }],
    });
  });

  it('binds AND tighter than OR and honours parentheses, nested', () => {
    expect(parseFq('tags:a OR tags:b AND tags:c')).toEqual({
      kind: 'or',
      children: [term('tags', 'a'), { kind: 'and', children: [term('tags', 'b'), term('tags', 'c')] }],
    });
    expect(parseFq('((tags:a OR (tags:b)) AND NOT (groups:x || groups:y)) && name:n')).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'and',
          children: [
            { kind: 'or', children: [term('tags', 'a'), term('tags', 'b')] },
            { kind: 'not', child: { kind: 'or', children: [term('groups', 'x'), term('groups', 'y')] } },
          ],
        },
        term('name', 'n'),
      ],
    });
  });

  it('applies a field to a parenthesised group: tags:(a OR "b c")', () => {
    expect(parseFq('tags:(a OR "b c")')).toEqual({ kind: 'or', children: [term('tags', 'a'), term('tags', 'b c')] });
  });

  it('reads quoted values with escaped quotes and backslashes, and Chinese values bare or quoted', () => {
    expect(parseFq('title:"a \\"quoted\\" b\\\\c"')).toEqual(term('title', 'a "quoted" b\\c'));
    expect(parseFq('tags:交通 groups:"生态 环境"')).toEqual({ kind: 'and', children: [term('tags', '交通'), term('groups', '生态 环境')] });
    expect(parseFq('tags:交通\u3000tags:医疗')).toEqual({ kind: 'and', children: [term('tags', '交通'), term('tags', '医疗')] });
    expect(parseFq('name:a\\:b\\ c')).toEqual(term('name', 'a:b c'));
  });

  it('keeps wildcards as a glob, escaped ones literal; *:* is everything', () => {
    expect(parseFq('name:road*')).toEqual(term('name', 'road*', 'road*'));
    expect(parseFq('name:r?ad\\*')).toEqual(term('name', 'r?ad*', 'r?ad\\*'));
    expect(parseFq('name:a\\*b')).toEqual(term('name', 'a*b'));
    expect(parseFq('*:*')).toEqual({ kind: 'all' });
    expect(parseFq('  ')).toEqual({ kind: 'all' });
  });

  it('reads ranges with inclusive and exclusive ends, * bounds and dates with colons', () => {
    expect(parseFq('metadata_modified:[2024-01-01T00:00:00Z TO NOW]')).toEqual({
      kind: 'range',
      field: 'metadata_modified',
      lower: '2024-01-01T00:00:00Z',
      upper: 'NOW',
      includeLower: true,
      includeUpper: true,
    });
    expect(parseFq('num_resources:{2 TO *]')).toEqual({
      kind: 'range',
      field: 'num_resources',
      lower: '2',
      upper: null,
      includeLower: false,
      includeUpper: true,
    });
    expect(parseFq('name:[* TO "m n"}')).toEqual({ kind: 'range', field: 'name', lower: null, upper: 'm n', includeLower: true, includeUpper: false });
    expect(parseFq('metadata_modified:2024-01-01T00:00:00Z')).toEqual(term('metadata_modified', '2024-01-01T00:00:00Z'));
  });

  it('reads bare words as default-field terms', () => {
    expect(parseFq('水质 OR water')).toEqual({ kind: 'or', children: [term(null, '水质'), term(null, 'water')] });
    expect(parseFq('and or')).toEqual({ kind: 'and', children: [term(null, 'and'), term(null, 'or')] });
  });

  const bad: [string, RegExp][] = [
    ['(tags:a', /parenthesis.*never closed/],
    ['tags:a)', /Unbalanced parenthesis/],
    ['((tags:a OR tags:b)', /never closed/],
    ['tags:[a TO b', /bracket/],
    ['tags:[a b]', /TO/],
    ['tags:a TO b]', /bracket/],
    ['tags:"abc', /quote/],
    ['tags:', /no value/],
    ['tags: x', /no value/],
    ['AND tags:a', /clause/],
    ['tags:a AND', /AND needs/],
    ['tags:a OR', /OR needs/],
    ['NOT', /NOT needs/],
    ['-', /NOT needs/],
    ['()', /clause/],
    ['tags:a\\', /backslash/],
    ['1:a', /not a field name/],
  ];
  it.each(bad)('refuses %j with a message, never an exception of another kind', (input, message) => {
    let thrown: unknown;
    try {
      parseFq(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FqSyntaxError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('refuses nesting deeper than it allows and over-long input, without overflowing the stack', () => {
    expect(() => parseFq(`${'('.repeat(5000)}a${')'.repeat(5000)}`)).toThrow(FqSyntaxError);
    expect(() => parseFq('a '.repeat(FQ_MAX_LENGTH))).toThrow(/longer than/);
    expect(parseFq(`${'('.repeat(30)}tags:a${')'.repeat(30)}`)).toEqual(term('tags', 'a'));
  });
});

describe('Solr dates', () => {
  const now = new Date('2026-03-15T10:20:30.400Z');
  it('reads ISO instants, bare dates, NOW and date math', () => {
    expect(parseSolrDate('2024-01-01T00:00:00Z', now)).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(parseSolrDate('2024-01-01T08:00:00+08:00', now)).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(parseSolrDate('2024-02-29', now)).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseSolrDate('NOW', now)).toBe(now.getTime());
    expect(parseSolrDate('NOW-1DAY', now)).toBe(Date.parse('2026-03-14T10:20:30.400Z'));
    expect(parseSolrDate('NOW/DAY', now)).toBe(Date.parse('2026-03-15T00:00:00Z'));
    expect(parseSolrDate('NOW-6MONTHS/MONTH', now)).toBe(Date.parse('2025-09-01T00:00:00Z'));
    expect(parseSolrDate('2024-01-31T00:00:00Z+1YEAR', now)).toBe(Date.parse('2025-01-31T00:00:00Z'));
  });
  it('refuses what is not a date', () => {
    for (const s of ['yesterday', '2023-02-29', '2024-13-01', '2024-01-01T25:00:00Z', 'NOW-1FORTNIGHT', 'NOW+', '2024-01-01Zjunk']) {
      expect(parseSolrDate(s, now), s).toBeNull();
    }
  });
});
