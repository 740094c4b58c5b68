import { describe, expect, it } from 'vitest';
import { copyValue, CopyTextEncoder } from '../../src/storage/records/postgres-copy-text.js';

describe('COPY text for PostgreSQL staging', () => {
  it('escapes what COPY text must, and only that', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue(true)).toBe('t');
    expect(copyValue(false)).toBe('f');
    expect(copyValue(12n)).toBe('12');
    expect(copyValue(1.5)).toBe('1.5');
    expect(copyValue(Buffer.from([0, 255]))).toBe('\\\\x00ff');
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue('张三 𠀀')).toBe('张三 𠀀');
  });

  it('encodes a batch line by line as UTF-8, growing past its first guess', () => {
    const encoder = new CopyTextEncoder();
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      rowNumber: i + 2,
      values: [`浙江省${'路'.repeat(i % 50)}`, i % 7 ? null : 'tab\there', i, i % 2 === 0],
      hash: `h${i}`,
    }));
    const line = (r: (typeof rows)[number]) => [String(r.rowNumber), ...r.values.map(copyValue), r.hash].join('\t') + '\n';
    const expected = rows.map(line).join('');
    const first = encoder.encode(rows);
    expect(first.toString('utf8')).toBe(expected);
    expect(first.length).toBe(Buffer.byteLength(expected));
    // The next batch starts from the last one's size; a smaller batch and an empty one come out exact too.
    expect(encoder.encode(rows.slice(0, 2)).toString('utf8')).toBe(rows.slice(0, 2).map(line).join(''));
    expect(encoder.encode([]).length).toBe(0);
    // A single line longer than any guess.
    const long = { rowNumber: 1, values: ['长'.repeat(200_000)], hash: 'x' };
    expect(encoder.encode([long]).toString('utf8')).toBe(line(long));
  });
});
