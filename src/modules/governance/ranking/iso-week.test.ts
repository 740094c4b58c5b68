import { describe, expect, it } from 'vitest';
import { parseWeek, previousWeek, weekOf, weeksInYear } from './iso-week.js';

describe('ISO weeks on China Standard Time', () => {
  it('names the week of an instant by its date in UTC+8', () => {
    // Sunday 2026-11-29 23:30 in Shaoxing is still week 48; 16:00 UTC that Sunday is already Monday there.
    expect(weekOf(new Date('2026-11-29T15:30:00Z')).week).toBe('2026-W48');
    expect(weekOf(new Date('2026-11-29T16:00:00Z')).week).toBe('2026-W49');
    expect(weekOf(new Date('2026-12-01T12:00:00Z'))).toEqual({
      week: '2026-W49',
      year: 2026,
      number: 49,
      firstDay: '2026-11-30',
      lastDay: '2026-12-06',
      start: '2026-11-29T16:00:00.000Z',
      end: '2026-12-06T16:00:00.000Z',
    });
  });

  it('puts early January in the last week of the year before, and late December in week 1', () => {
    expect(weekOf(new Date('2027-01-01T04:00:00Z')).week).toBe('2026-W53');
    expect(weekOf(new Date('2024-12-30T04:00:00Z')).week).toBe('2025-W01');
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
  });

  it('parses YYYY-Www and refuses weeks that do not exist', () => {
    expect(parseWeek('2026-W53')?.lastDay).toBe('2027-01-03');
    expect(parseWeek('2025-W01')?.firstDay).toBe('2024-12-30');
    for (const bad of ['2025-W53', '2026-W00', '2026-W54', '2026-48', '2026-W4']) expect(parseWeek(bad), bad).toBeNull();
  });

  it('steps back across a year end', () => {
    expect(previousWeek(parseWeek('2027-W01')!).week).toBe('2026-W53');
    expect(previousWeek(parseWeek('2026-W10')!).week).toBe('2026-W09');
  });
});
