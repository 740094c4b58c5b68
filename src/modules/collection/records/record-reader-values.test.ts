import { describe, expect, it } from 'vitest';
import { bindValue, cursorValue, presentValue, wallClock } from './record-reader-values.js';

const spec = (dataType: Parameters<typeof bindValue>[0]['dataType'], precision: number | null = null) => ({ dataType, length: null, precision });

describe('record value forms', () => {
  it('INTEGER: a number while safe, the exact text beyond', () => {
    expect(presentValue('INTEGER', '42')).toBe(42);
    expect(presentValue('INTEGER', '-9007199254740991')).toBe(-9007199254740991);
    expect(presentValue('INTEGER', '9007199254740992')).toBe('9007199254740992');
    expect(presentValue('INTEGER', '9007199254740993')).toBe('9007199254740993');
  });

  it('DATETIME: one wall-clock form from either dialect', () => {
    expect(wallClock('2024-02-29 23:59:59.123450')).toBe('2024-02-29T23:59:59.12345');
    expect(wallClock('2024-02-29T08:00:00')).toBe('2024-02-29T08:00:00');
    expect(wallClock('2024-02-29T08:00:00.000+08:00')).toBe('2024-02-29T08:00:00');
  });

  it('BOOLEAN and BINARY from SQLite and PostgreSQL shapes alike', () => {
    expect([presentValue('BOOLEAN', 1), presentValue('BOOLEAN', 0), presentValue('BOOLEAN', true), presentValue('BOOLEAN', false)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(presentValue('BINARY', Buffer.from([0, 255]))).toBe('AP8=');
  });

  it('compared values are checked against the type and bound, never pasted', () => {
    expect(bindValue(spec('INTEGER'), '9223372036854775807')).toEqual({ ok: true, value: 9223372036854775807n });
    expect(bindValue(spec('INTEGER'), '9223372036854775808').ok).toBe(false);
    expect(bindValue(spec('INTEGER'), '1 or 1=1').ok).toBe(false);
    expect(bindValue(spec('DECIMAL', 2), '12.5')).toEqual({ ok: true, value: '12.50' });
    expect(bindValue(spec('DECIMAL', 2), '12.505').ok).toBe(false);
    expect(bindValue(spec('DATE'), '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(bindValue(spec('DATE'), '2023-02-29').ok).toBe(false);
    expect(bindValue(spec('DATETIME'), '2024-02-29T08:00:00.5')).toEqual({ ok: true, value: '2024-02-29T08:00:00.5' });
    expect(bindValue(spec('DATETIME'), '2024-02-29 08:00:00')).toEqual({ ok: true, value: '2024-02-29T08:00:00' });
    expect(bindValue(spec('DATETIME'), '2024-02-29').ok).toBe(false);
    expect(bindValue(spec('BOOLEAN'), 'true')).toEqual({ ok: true, value: true });
    expect(bindValue(spec('DOUBLE'), 'Infinity').ok).toBe(false);
    expect(bindValue(spec('STRING'), 'a\u0000b').ok).toBe(false);
  });

  it('cursor values are exact and JSON-safe', () => {
    expect(cursorValue('9007199254740993')).toBe('9007199254740993');
    expect(cursorValue(7)).toBe('7');
    expect(cursorValue(0.5)).toBe(0.5);
    expect(cursorValue(true)).toBe('true');
  });
});
