import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.js';
import { serviceOptions } from '../../../deps.js';
import {
  addWorkingDays,
  calendarFromConfig,
  isWorkingDay,
  loadCalendar,
  readCalendarFile,
  shippedCalendarYears,
  toIsoDate,
  workingDaysBetween,
} from './working-days.js';

describe('isWorkingDay on the shipped calendar', () => {
  it('weekends are off, weekdays on', () => {
    expect(isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-29')).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-30')).toBe(true); // Monday
  });

  it('public holidays on weekdays are off, make-up Saturdays and Sundays are on', () => {
    expect(isWorkingDay('2026-10-01')).toBe(false); // 国庆节, Thursday
    expect(isWorkingDay('2026-10-07')).toBe(false); // Wednesday inside the break
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday, 调休上班
    expect(isWorkingDay('2025-10-08')).toBe(false); // 国庆节、中秋节 2025, 8 days
    expect(isWorkingDay('2024-02-09')).toBe(true); // 除夕 2024 was not a public holiday (only encouraged)
    expect(isWorkingDay('2025-01-28')).toBe(false); // 除夕 2025 is, since the 2024 revision
  });

  it('covers 2024–2026 as published and 2027 as provisional', () => {
    const years = shippedCalendarYears();
    expect(Object.keys(years)).toEqual(['2024', '2025', '2026', '2027']);
    expect(['2024', '2025', '2026'].map((y) => years[y]!.status)).toEqual(['published', 'published', 'published']);
    expect(years['2027']!.status).toBe('provisional');
    expect(isWorkingDay('2027-02-08')).toBe(false); // 初三, Monday
    expect(isWorkingDay('2027-02-10')).toBe(false); // in lieu of 初一 on a Saturday
    expect(isWorkingDay('2027-02-11')).toBe(true);
  });

  it('every shipped make-up workday is a Saturday or Sunday and every shipped holiday range holds the festival', () => {
    const cal = loadCalendar();
    for (const d of cal.workdays) expect([0, 6], d).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    for (const d of ['2024-01-01', '2024-02-10', '2024-04-04', '2024-05-01', '2024-06-10', '2024-09-17', '2024-10-01'])
      expect(cal.holidays.has(d), d).toBe(true);
    for (const d of ['2025-01-29', '2025-04-04', '2025-05-02', '2025-05-31', '2025-10-06']) expect(cal.holidays.has(d), d).toBe(true);
    for (const d of ['2026-02-17', '2026-04-05', '2026-06-19', '2026-09-25']) expect(cal.holidays.has(d), d).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('across weekends: 5 working days from a Wednesday is the next Wednesday', () => {
    expect(addWorkingDays('2026-11-25', 5)).toBe('2026-12-02');
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(addWorkingDays('2026-11-28', 1)).toBe('2026-11-30'); // from a Saturday
  });

  it('across the National Day holiday and its make-up Saturday (2026)', () => {
    // Opened Tuesday 2026-09-29: Wed 30 (1); Oct 1–7 off; Thu 8 (2), Fri 9 (3), Sat 10 make-up (4), Mon 12 (5).
    expect(addWorkingDays('2026-09-29', 5)).toBe('2026-10-12');
    // Without the holiday data it would be 2026-10-06.
    expect(addWorkingDays('2026-09-29', 5, { holidays: new Set(), workdays: new Set() })).toBe('2026-10-06');
    // The make-up Sunday before it counts: from Friday 2026-09-18, day 1 is Sunday 09-20.
    expect(addWorkingDays('2026-09-18', 1)).toBe('2026-09-20');
  });

  it('across the Spring Festival (2026: 15–23 February off, Saturdays 14 and 28 worked)', () => {
    // From Thursday 02-12: Fri 13 (1), Sat 14 make-up (2), 15–23 off, Tue 24 (3), Wed 25 (4), Thu 26 (5).
    expect(addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    expect(addWorkingDays('2026-02-15', 1)).toBe('2026-02-24');
    expect(addWorkingDays('2026-02-26', 2)).toBe('2026-02-28'); // Fri 27, Sat 28 make-up
    // 2025 from Friday 01-24: Sun 26 make-up (1), Mon 27 (2), 28 Jan – 4 Feb off, Wed 5 (3), Thu 6 (4), Fri 7 (5).
    expect(addWorkingDays('2025-01-24', 5)).toBe('2025-02-07');
  });

  it('0 days: the start date when it is a working day, else the next one', () => {
    expect(addWorkingDays('2026-11-30', 0)).toBe('2026-11-30');
    expect(addWorkingDays('2026-10-01', 0)).toBe('2026-10-08');
  });

  it('reads a Date at UTC+8 and date-times by their date', () => {
    // 2026-09-30T17:00Z is 2026-10-01 01:00 in Beijing: a holiday, so 1 working day later is 10-08.
    expect(addWorkingDays(new Date('2026-09-30T17:00:00Z'), 1)).toBe('2026-10-08');
    expect(addWorkingDays(new Date('2026-09-30T15:00:00Z'), 1)).toBe('2026-10-08');
    expect(addWorkingDays(new Date('2026-09-29T15:00:00Z'), 1)).toBe('2026-09-30');
    expect(toIsoDate('2026-09-30T20:00:00+08:00')).toBe('2026-09-30');
    expect(toIsoDate('2026-09-30T20:00:00Z')).toBe('2026-10-01');
    expect(toIsoDate('2026-09-30T20:00:00')).toBe('2026-09-30');
  });

  it('refuses what is not a date or a day count', () => {
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(/not a date/);
    expect(() => addWorkingDays('30/09/2026', 1)).toThrow(/not a date/);
    expect(() => addWorkingDays(new Date('nonsense'), 1)).toThrow(/invalid Date/);
    expect(() => addWorkingDays('2026-09-29', -1)).toThrow(/whole number/);
    expect(() => addWorkingDays('2026-09-29', 100_001)).toThrow(/whole number from 0 to 100000/);
    expect(() => addWorkingDays('2026-09-29', 1.5)).toThrow(/whole number/);
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after from up to and including to, the inverse of addWorkingDays', () => {
    expect(workingDaysBetween('2026-09-29', '2026-10-12')).toBe(5);
    expect(workingDaysBetween('2026-10-12', '2026-09-29')).toBe(-5);
    expect(workingDaysBetween('2026-10-01', '2026-10-07')).toBe(0);
    expect(workingDaysBetween('2026-11-30', '2026-11-30')).toBe(0);
    for (const start of ['2026-02-12', '2026-09-18', '2025-01-24', '2024-12-31', '2027-04-30'])
      for (const n of [1, 2, 5, 10, 30]) expect(workingDaysBetween(start, addWorkingDays(start, n)), `${start} + ${n}`).toBe(n);
  });

  it('agrees with counting day by day, over any calendar, including one with a date in both sets', () => {
    const odd = { holidays: new Set(['2026-05-06', '2026-05-09', '2026-05-12']), workdays: new Set(['2026-05-09', '2026-05-10', '2026-05-12']) };
    for (const cal of [loadCalendar(), odd, { holidays: new Set<string>(), workdays: new Set<string>() }]) {
      for (const [from, to] of [
        ['2023-12-25', '2028-01-03'],
        ['2026-05-01', '2026-05-31'],
        ['2026-05-08', '2026-05-10'],
        ['2026-05-09', '2026-05-09'],
      ] as const) {
        let expected = 0;
        for (let d = Date.parse(from) + 86_400_000; d <= Date.parse(to); d += 86_400_000)
          if (isWorkingDay(new Date(d).toISOString().slice(0, 10), cal)) expected++;
        expect(workingDaysBetween(from, to, cal), `${from}..${to}`).toBe(expected);
      }
    }
    expect(workingDaysBetween('1900-01-01', '2100-01-01')).toBeGreaterThan(52_000);
  });

  it('2026 has 365 − 104 weekend days − 19 holidays on weekdays + 6 make-up days = 248 working days', () => {
    // Weekday holidays: 元旦 2, 春节 6, 清明 1, 劳动 3, 端午 1, 中秋 1, 国庆 5.
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
  });
});

describe('configured extras', () => {
  it('adds holidays and make-up workdays, and corrects shipped days either way', () => {
    const cal = loadCalendar({ holidays: ['2027-02-11', '2026-10-10'], workdays: ['2027-01-31', '2026-10-07'] });
    expect(isWorkingDay('2027-02-11', cal)).toBe(false); // added holiday
    expect(isWorkingDay('2027-01-31', cal)).toBe(true); // added make-up Sunday
    expect(isWorkingDay('2026-10-10', cal)).toBe(false); // shipped make-up day taken back
    expect(isWorkingDay('2026-10-07', cal)).toBe(true); // shipped holiday taken back
    expect(isWorkingDay('2026-10-06', cal)).toBe(false); // the rest stays
    expect(addWorkingDays('2027-02-09', 1, cal)).toBe('2027-02-12');
    expect(addWorkingDays('2027-02-09', 1)).toBe('2027-02-11');
    // The shipped calendar is not changed by a merge.
    expect(isWorkingDay('2026-10-10')).toBe(true);
  });

  it('refuses a bad date or a date given both ways', () => {
    expect(() => loadCalendar({ holidays: ['2027-02-30'] })).toThrow(/not a date/);
    expect(() => loadCalendar({ holidays: ['2027-02-11'], workdays: ['2027-02-11'] })).toThrow(/both a holiday and a workday/);
  });

  it('reads KUAIJI_CALENDAR_FILE and says what is wrong with a bad one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-calendar-'));
    try {
      const good = path.join(dir, 'good.json');
      fs.writeFileSync(
        good,
        JSON.stringify({ source: '国务院办公厅关于2027年部分节假日安排的通知', holidays: ['2027-02-11', '2027-02-12'], workdays: ['2027-01-31'] }),
      );
      expect(readCalendarFile(good)).toEqual({ holidays: ['2027-02-11', '2027-02-12'], workdays: ['2027-01-31'] });
      // KUAIJI_CALENDAR_FILE becomes config.calendarFile (resolved), which the services' calendar is built from.
      expect(loadConfig({ KUAIJI_CALENDAR_FILE: good }).calendarFile).toBe(good);
      expect(loadConfig({ KUAIJI_CALENDAR_FILE: 'cal.json' }).calendarFile).toBe(path.resolve('cal.json'));
      expect(loadConfig({}).calendarFile).toBeUndefined();
      const cal = calendarFromConfig(loadConfig({ KUAIJI_CALENDAR_FILE: good }));
      expect(addWorkingDays('2027-01-29', 1, cal)).toBe('2027-01-31');
      expect(isWorkingDay('2027-02-12', cal)).toBe(false);
      expect(calendarFromConfig({})).toBe(loadCalendar());

      // The services are built with it (deps.ts): problems' and objections' deadlines count on it.
      const options = serviceOptions(loadConfig({ KUAIJI_CALENDAR_FILE: good }));
      expect(isWorkingDay('2027-02-12', options.governance!.calendar)).toBe(false);
      expect(isWorkingDay('2027-02-12', serviceOptions(loadConfig({})).governance!.calendar)).toBe(true);

      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ holidays: ['2027-13-01'], extra: 1 }));
      expect(() => readCalendarFile(bad)).toThrow(/bad\.json: .*holidays\.0: a date YYYY-MM-DD/);
      expect(() => serviceOptions(loadConfig({ KUAIJI_CALENDAR_FILE: bad }))).toThrow(/calendar file .*bad\.json/);
      fs.writeFileSync(bad, '{ not json');
      expect(() => readCalendarFile(bad)).toThrow(/bad\.json: /);
      expect(() => readCalendarFile(path.join(dir, 'missing.json'))).toThrow(/missing\.json: .*ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
