import { describe, expect, it } from 'vitest';
import { chinaDate, chinaMidnightBefore, chinaToday, secondsToChinaMidnight } from './china-time.js';

describe('China Standard Time', () => {
  it('dates an instant at UTC+8: 16:00 UTC is already the next day in Beijing', () => {
    expect(chinaDate(new Date('2026-12-01T15:59:59.999Z'))).toBe('2026-12-01');
    expect(chinaDate(Date.parse('2026-12-01T16:00:00Z'))).toBe('2026-12-02');
    expect(chinaDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('finds the Beijing midnight before an instant and the seconds to the next one', () => {
    expect(new Date(chinaMidnightBefore(Date.parse('2026-12-01T15:00:00Z'))).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(new Date(chinaMidnightBefore(Date.parse('2026-12-01T16:00:00Z'))).toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(secondsToChinaMidnight(Date.parse('2026-12-01T15:59:00Z'))).toBe(60);
    expect(secondsToChinaMidnight(Date.parse('2026-12-01T16:00:00Z'))).toBe(86_400);
    expect(secondsToChinaMidnight(Date.parse('2026-12-01T15:59:59.900Z'))).toBe(1);
  });

  it("keeps today's date until the clock crosses Beijing midnight", () => {
    let now = Date.parse('2026-12-01T15:59:59Z');
    const today = chinaToday({ now: () => new Date(now) });
    expect(today()).toBe('2026-12-01');
    now += 1000;
    expect(today()).toBe('2026-12-02');
    now -= 2000; // a clock moved back is answered too
    expect(today()).toBe('2026-12-01');
  });
});
