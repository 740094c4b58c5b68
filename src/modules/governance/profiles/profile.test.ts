import { describe, expect, it } from 'vitest';
import {
  addValue,
  codePoints,
  compareDecimal,
  compareText,
  lengthHistogram,
  MAX_PATTERNS,
  newStreamedItem,
  orderTopValues,
  shapeOf,
  streamedFigures,
} from './profile.js';

describe('profile figures', () => {
  it('shapes: ASCII digits 9, Latin letters A/a, CJK 汉, everything else kept (full-width digits too)', () => {
    expect(shapeOf('2024-02-29')).toBe('9999-99-99');
    expect(shapeOf('浙A·12345b')).toBe('汉A·99999a');
    expect(shapeOf('１２3')).toBe('１２9');
    expect(shapeOf('𠀀〇x')).toBe('汉汉a');
    expect(shapeOf('9'.repeat(70))).toBe(`${'9'.repeat(64)}…`);
  });

  it('text compares by code point (an astral ideograph after U+FF11), lengths count characters', () => {
    expect(compareText('𠀀', '１')).toBeGreaterThan(0);
    expect(compareText('a', 'ab')).toBeLessThan(0);
    expect(compareText('Tom', '张')).toBeLessThan(0);
    expect(codePoints('𠀀汉a')).toBe(3);
  });

  it('decimals compare exactly, beyond what a double holds', () => {
    expect(compareDecimal('-12.50', '3')).toBeLessThan(0);
    expect(compareDecimal('100.00', '9.05')).toBeGreaterThan(0);
    expect(compareDecimal('12.50', '12.5')).toBe(0);
    expect(compareDecimal('-3.25', '-3.5')).toBeGreaterThan(0);
    expect(compareDecimal('123456789012345678.123457', '123456789012345678.123456')).toBeGreaterThan(0);
    expect(compareDecimal('-0.00', '0')).toBe(0);
  });

  it('lengths: one bucket per length up to 10, equal-width ranges beyond', () => {
    expect(
      lengthHistogram(
        new Map([
          [19, 3],
          [21, 1],
        ]),
      ),
    ).toEqual([
      { from: 19, to: 19, count: 3 },
      { from: 20, to: 20, count: 0 },
      { from: 21, to: 21, count: 1 },
    ]);
    const wide = lengthHistogram(
      new Map([
        [1, 1],
        [25, 2],
        [30, 1],
      ]),
    );
    expect(wide).toEqual([
      { from: 1, to: 3, count: 1 },
      { from: 4, to: 6, count: 0 },
      { from: 7, to: 9, count: 0 },
      { from: 10, to: 12, count: 0 },
      { from: 13, to: 15, count: 0 },
      { from: 16, to: 18, count: 0 },
      { from: 19, to: 21, count: 0 },
      { from: 22, to: 24, count: 0 },
      { from: 25, to: 27, count: 2 },
      { from: 28, to: 30, count: 1 },
    ]);
  });

  it('shapes are tracked up to the cap; later new shapes are counted as untracked, known ones still counted', () => {
    const s = newStreamedItem();
    // 1000 distinct shapes: i's 10 bits written as x (→ a) and 1 (→ 9).
    const value = (i: number) => [...i.toString(2).padStart(10, '0')].map((b) => (b === '1' ? '1' : 'x')).join('');
    for (let i = 0; i < MAX_PATTERNS; i += 1) addValue(s, 'STRING', value(i));
    addValue(s, 'STRING', 'Z'); // a new shape past the cap
    addValue(s, 'STRING', value(5)); // a known one
    const f = streamedFigures(s);
    expect(f.patterns.tracked).toBe(MAX_PATTERNS);
    expect(f.patterns.exact).toBe(false);
    expect(s.untracked).toBe(1);
    expect(f.patterns.top[0]).toEqual({ pattern: 'aaaaaaa9a9', count: 2 });
    expect(s.values).toBe(MAX_PATTERNS + 2);
  });

  it('text min/max by code point, decimals numerically; top-value ties in typed order', () => {
    const s = newStreamedItem();
    for (const v of ['李四', 'Tom', '张三丰', 'a']) addValue(s, 'STRING', v);
    expect([s.min, s.max]).toEqual(['Tom', '李四']);
    const d = newStreamedItem();
    for (const v of ['9.05', '100.00', '-3.25']) addValue(d, 'DECIMAL', v);
    expect([d.min, d.max]).toEqual(['-3.25', '100.00']);
    expect(
      orderTopValues('INTEGER', [
        { value: 100, count: 1 },
        { value: -2, count: 1 },
        { value: 10, count: 2 },
        { value: 7, count: 1 },
      ]).map((t) => t.value),
    ).toEqual([10, -2, 7, 100]);
  });
});
