import { describe, it, expect } from 'vitest';
import {
  TIME_ZONE,
  addDays,
  addDuration,
  addMonths,
  addToDate,
  addWeekdays,
  calendarDaysBetween,
  durationLabel,
  formatLocal,
  holidayName,
  isLocalDate,
  isWeekday,
  localDateOf,
  localDateTime,
  localTimeOf,
  parseInstant,
  startOfLocalDay,
} from '../engine/calendar.ts';

// Independent helpers for the year tables (plain UTC date arithmetic, no engine code).
function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// Easter Sunday, hand-checked against published tables.
const EASTER: Record<number, string> = {
  2025: '2025-04-20',
  2026: '2026-04-05',
  2027: '2027-03-28',
  2028: '2028-04-16',
  2029: '2029-04-01',
  2030: '2030-04-21',
  2031: '2031-04-13',
  2032: '2032-03-28',
  2033: '2033-04-17',
  2034: '2034-04-09',
  2035: '2035-03-25',
};

// Midsommarafton worked out by hand (Friday 19–25 June, stepping the weekday year by year).
const MIDSOMMARAFTON: Record<number, string> = {
  2025: '2025-06-20',
  2026: '2026-06-19',
  2027: '2027-06-25',
  2028: '2028-06-23',
  2029: '2029-06-22',
  2030: '2030-06-21',
  2031: '2031-06-20',
  2032: '2032-06-25',
  2033: '2033-06-24',
  2034: '2034-06-23',
  2035: '2035-06-22',
};

const YEARS = Array.from({ length: 11 }, (_, i) => 2025 + i);

describe('K-1 holidays and weekdays', () => {
  it('K-1: Easter 2026 — långfredag, påskdagen and annandag påsk are not weekdays; skärtorsdagen is', () => {
    expect(holidayName('2026-04-03')).toBe('långfredagen');
    expect(holidayName('2026-04-05')).toBe('påskdagen');
    expect(holidayName('2026-04-06')).toBe('annandag påsk');
    expect(isWeekday('2026-04-03')).toBe(false);
    expect(isWeekday('2026-04-06')).toBe(false);
    expect(isWeekday('2026-04-02')).toBe(true);
    expect(isWeekday('2026-04-07')).toBe(true);
  });

  it('K-1: Easter in 2024, 2025, 2027, 1900 and 2100', () => {
    for (const [friday, monday] of [
      ['2024-03-29', '2024-04-01'],
      ['2025-04-18', '2025-04-21'],
      ['2027-03-26', '2027-03-29'],
      ['1900-04-13', '1900-04-16'],
      ['2100-03-26', '2100-03-29'],
    ] as const) {
      expect(holidayName(friday)).toBe('långfredagen');
      expect(holidayName(monday)).toBe('annandag påsk');
      expect(isWeekday(friday)).toBe(false);
      expect(isWeekday(monday)).toBe(false);
    }
  });

  it('K-1: påskafton is neither a weekday (Saturday) nor a holiday for time limits', () => {
    expect(holidayName('2026-04-04')).toBeNull();
    expect(isWeekday('2026-04-04')).toBe(false);
  });

  it('K-1: midsommarafton counts as a holiday; midsommardagen is the Saturday after', () => {
    expect(holidayName('2026-06-19')).toBe('midsommarafton');
    expect(holidayName('2026-06-20')).toBe('midsommardagen');
    expect(isWeekday('2026-06-19')).toBe(false);
    expect(holidayName('2025-06-20')).toBe('midsommarafton');
    expect(holidayName('2025-06-21')).toBe('midsommardagen');
    expect(isWeekday('2025-06-20')).toBe(false);
    expect(isWeekday('2025-06-19')).toBe(true);
    expect(isWeekday('2026-06-18')).toBe(true);
    expect(isWeekday('2026-06-22')).toBe(true);
  });

  it('K-1: julafton, juldagen, annandag jul, nyårsafton and nyårsdagen', () => {
    expect(holidayName('2026-12-24')).toBe('julafton');
    expect(holidayName('2026-12-25')).toBe('juldagen');
    expect(holidayName('2026-12-26')).toBe('annandag jul');
    expect(holidayName('2026-12-31')).toBe('nyårsafton');
    expect(holidayName('2027-01-01')).toBe('nyårsdagen');
    // 2025: 24 Wed, 25 Thu, 26 Fri, 31 Wed; 2026-01-01 Thu.
    for (const date of ['2025-12-24', '2025-12-25', '2025-12-26', '2025-12-31', '2026-01-01']) {
      expect(isWeekday(date)).toBe(false);
    }
    expect(isWeekday('2025-12-23')).toBe(true);
    expect(isWeekday('2025-12-29')).toBe(true);
    expect(isWeekday('2026-01-02')).toBe(true);
  });

  it('K-1: första maj, Kristi himmelsfärdsdag, nationaldagen and trettondedag jul', () => {
    expect(holidayName('2026-05-01')).toBe('första maj');
    expect(isWeekday('2026-05-01')).toBe(false);
    expect(holidayName('2026-05-14')).toBe('Kristi himmelsfärdsdag');
    expect(isWeekday('2026-05-14')).toBe(false);
    expect(holidayName('2025-05-29')).toBe('Kristi himmelsfärdsdag');
    expect(holidayName('2026-06-06')).toBe('nationaldagen'); // a Saturday
    expect(holidayName('2025-06-06')).toBe('nationaldagen'); // a Friday
    expect(isWeekday('2025-06-06')).toBe(false);
    expect(isWeekday('2025-06-05')).toBe(true);
    expect(holidayName('2026-01-06')).toBe('trettondedag jul');
    expect(isWeekday('2026-01-06')).toBe(false);
  });

  it('K-1: alla helgons dag is the Saturday between 31 October and 6 November', () => {
    expect(holidayName('2025-11-01')).toBe('alla helgons dag');
    expect(holidayName('2026-10-31')).toBe('alla helgons dag');
    expect(holidayName('2027-11-06')).toBe('alla helgons dag');
    expect(holidayName('2026-11-06')).toBeNull(); // Gustav-Adolf-dagen is only an observance
    expect(isWeekday('2026-11-06')).toBe(true);
    expect(isWeekday('2026-10-30')).toBe(true); // allhelgonaafton is not a holiday
  });

  it('K-1: observances and half-day eves are ordinary weekdays', () => {
    expect(isWeekday('2026-01-05')).toBe(true); // trettondagsafton
    expect(isWeekday('2026-04-30')).toBe(true); // valborgsmässoafton
    expect(isWeekday('2026-05-25')).toBe(true); // annandag pingst, not a holiday since 2005
    expect(holidayName('2026-05-25')).toBeNull();
    expect(holidayName('2026-05-24')).toBe('pingstdagen');
  });

  it('K-1: Saturdays and Sundays are never weekdays; plain Monday–Friday are', () => {
    expect(isWeekday('2026-03-07')).toBe(false);
    expect(isWeekday('2026-03-08')).toBe(false);
    expect(holidayName('2026-03-07')).toBeNull();
    for (const date of ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']) {
      expect(isWeekday(date)).toBe(true);
    }
    expect(isWeekday('1900-01-02')).toBe(true); // 1900-01-01 was a Monday (nyårsdagen)
    expect(isWeekday('1900-01-01')).toBe(false);
  });

  it('K-1: 2026 has 251 weekdays', () => {
    // 2026 starts on a Thursday and has 365 days: 52 full weeks + one Thursday = 261 Monday–Friday days.
    // Holidays on Monday–Friday: 1 Jan Thu, 6 Jan Tue, 3 Apr Fri, 6 Apr Mon, 1 May Fri, 14 May Thu,
    // 19 Jun Fri (midsommarafton), 24 Dec Thu, 25 Dec Fri, 31 Dec Thu = 10 (6 Jun, 20 Jun, 31 Oct and
    // 26 Dec are Saturdays). 261 − 10 = 251, not 250.
    let count = 0;
    for (let date = '2026-01-01'; date <= '2026-12-31'; date = shift(date, 1)) if (isWeekday(date)) count++;
    expect(count).toBe(251);
  });

  it('K-1: 2025 has 249 weekdays and 2027 has 253', () => {
    // 2025 starts Wed: 261 Mon–Fri minus 1 Jan, 6 Jan, 18 Apr, 21 Apr, 1 May, 29 May, 6 Jun, 20 Jun,
    // 24, 25, 26, 31 Dec = 12 → 249. 2027 starts Fri: 261 minus 1 Jan, 6 Jan, 26 Mar, 29 Mar, 6 May,
    // 25 Jun, 24 Dec, 31 Dec = 8 → 253 (1 May and 25 Dec are Saturdays, 6 Jun and 26 Dec Sundays).
    const count = (year: number): number => {
      let n = 0;
      for (let date = `${year}-01-01`; date <= `${year}-12-31`; date = shift(date, 1)) if (isWeekday(date)) n++;
      return n;
    };
    expect(count(2025)).toBe(249);
    expect(count(2027)).toBe(253);
  });

  describe.each(YEARS)('K-1: year %i', (year) => {
    const easter = EASTER[year]!;
    const eve = MIDSOMMARAFTON[year]!;

    it('K-1: the Easter table agrees with the Gregorian computus', () => {
      const a = year % 19;
      const b = Math.floor(year / 100);
      const c = year % 100;
      const d = Math.floor(b / 4);
      const e = b % 4;
      const f = Math.floor((b + 8) / 25);
      const g = Math.floor((b - f + 1) / 3);
      const h = (19 * a + b - d - g + 15) % 30;
      const i = Math.floor(c / 4);
      const k = c % 4;
      const l = (32 + 2 * e + 2 * i - h - k) % 7;
      const m = Math.floor((a + 11 * h + 22 * l) / 451);
      const month = Math.floor((h + l - 7 * m + 114) / 31);
      const day = ((h + l - 7 * m + 114) % 31) + 1;
      expect(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`).toBe(easter);
    });

    it('K-1: långfredagen, annandag påsk and Kristi himmelsfärdsdag are not weekdays', () => {
      expect(holidayName(shift(easter, -2))).toBe('långfredagen');
      expect(holidayName(easter)).toBe('påskdagen');
      expect(holidayName(shift(easter, 1))).toBe('annandag påsk');
      expect(holidayName(shift(easter, 39))).toBe('Kristi himmelsfärdsdag');
      expect(isWeekday(shift(easter, -2))).toBe(false);
      expect(isWeekday(shift(easter, 1))).toBe(false);
      expect(isWeekday(shift(easter, 39))).toBe(false);
      expect(isWeekday(shift(easter, -3))).toBe(true); // skärtorsdagen
      expect(isWeekday(shift(easter, 2))).toBe(true); // Tuesday after Easter
    });

    it('K-1: midsommarafton is a Friday 19–25 June and not a weekday', () => {
      expect(dayOfWeek(eve)).toBe(5);
      expect(eve >= `${year}-06-19` && eve <= `${year}-06-25`).toBe(true);
      expect(holidayName(eve)).toBe('midsommarafton');
      expect(holidayName(shift(eve, 1))).toBe('midsommardagen');
      expect(isWeekday(eve)).toBe(false);
      expect(isWeekday(shift(eve, -1))).toBe(true);
      // No other day in 19–25 June is midsommarafton.
      for (let date = `${year}-06-19`; date <= `${year}-06-25`; date = shift(date, 1)) {
        if (date !== eve) expect(holidayName(date)).not.toBe('midsommarafton');
      }
    });

    it('K-1: julafton and nyårsafton are holidays; fixed-date holidays are named', () => {
      expect(holidayName(`${year}-12-24`)).toBe('julafton');
      expect(holidayName(`${year}-12-31`)).toBe('nyårsafton');
      expect(isWeekday(`${year}-12-24`)).toBe(false);
      expect(isWeekday(`${year}-12-31`)).toBe(false);
      expect(holidayName(`${year}-01-01`)).toBe('nyårsdagen');
      expect(holidayName(`${year}-01-06`)).toBe('trettondedag jul');
      expect(holidayName(`${year}-05-01`)).toBe('första maj');
      expect(holidayName(`${year}-06-06`)).toBe('nationaldagen');
      expect(holidayName(`${year}-12-25`)).toBe('juldagen');
      expect(holidayName(`${year}-12-26`)).toBe('annandag jul');
    });

    it('K-1: alla helgons dag is the Saturday 31 Oct–6 Nov', () => {
      let saturday = `${year}-10-31`;
      while (dayOfWeek(saturday) !== 6) saturday = shift(saturday, 1);
      expect(holidayName(saturday)).toBe('alla helgons dag');
    });

    it('K-1: the weekday count equals Monday–Friday minus the holidays that fall on them', () => {
      // Long weekend dates (4: långfredag, annandag påsk, Kristi himmelsfärd, midsommarafton) always fall
      // on Monday–Friday; the eight fixed dates only count when they do. No two coincide in 2025–2035
      // (Kristi himmelsfärd = 1 May needs Easter on 23 March).
      const fixed = ['01-01', '01-06', '05-01', '06-06', '12-24', '12-25', '12-26', '12-31'];
      let monFri = 0;
      let weekdays = 0;
      for (let date = `${year}-01-01`; date <= `${year}-12-31`; date = shift(date, 1)) {
        const dow = dayOfWeek(date);
        if (dow >= 1 && dow <= 5) monFri++;
        if (isWeekday(date)) weekdays++;
      }
      const fixedOnWeekdays = fixed.filter((md) => {
        const dow = dayOfWeek(`${year}-${md}`);
        return dow >= 1 && dow <= 5;
      }).length;
      expect(weekdays).toBe(monFri - 4 - fixedOnWeekdays);
      expect(weekdays).toBeGreaterThanOrEqual(248);
      expect(weekdays).toBeLessThanOrEqual(254);
    });
  });

  it('K-1: addWeekdays skips weekends and holidays', () => {
    expect(addWeekdays('2026-03-06', 1)).toBe('2026-03-09'); // Fri → Mon
    expect(addWeekdays('2026-03-09', 1)).toBe('2026-03-10');
    expect(addWeekdays('2026-04-02', 1)).toBe('2026-04-07'); // skärtorsdag → Tue after Easter
    expect(addWeekdays('2026-12-23', 3)).toBe('2026-12-30');
    expect(addWeekdays('2026-12-30', 1)).toBe('2027-01-04');
    expect(addWeekdays('2027-01-05', 1)).toBe('2027-01-07'); // 6 Jan 2027 is a Wednesday
    expect(addWeekdays('2026-03-07', 5)).toBe('2026-03-13');
    expect(() => addWeekdays('2026-03-06', 0)).toThrow(RangeError);
  });
});

describe('K-2 inom 24 timmar på vardagar', () => {
  const weekdayHours = (hours: number) => ({ hours, weekdaysOnly: true });

  it('K-2: a notice received Friday 15:00 is due Monday 15:00', () => {
    // 2026-03-06 is a Friday; CET (UTC+1).
    expect(addDuration('2026-03-06T14:00:00.000Z', weekdayHours(24))).toBe('2026-03-09T14:00:00.000Z');
  });

  it('K-2: a notice received Saturday 10:00 is due Tuesday 00:00 (end of Monday)', () => {
    const due = addDuration('2026-03-07T09:00:00.000Z', weekdayHours(24));
    expect(due).toBe('2026-03-09T23:00:00.000Z');
    expect(formatLocal(due)).toBe('2026-03-10 00:00');
  });

  it('K-2: a notice received Tuesday 09:00 is due Wednesday 09:00', () => {
    expect(addDuration('2026-03-10T08:00:00.000Z', weekdayHours(24))).toBe('2026-03-11T08:00:00.000Z');
  });

  it('K-2: 48 weekday hours from Friday 15:00 end Tuesday 15:00', () => {
    expect(addDuration('2026-03-06T14:00:00.000Z', weekdayHours(48))).toBe('2026-03-10T14:00:00.000Z');
  });

  it('K-2: over Easter, skärtorsdagen 15:00 is due the Tuesday after Easter 15:00', () => {
    // 9 h on Thu 2 Apr; Fri 3 Apr to Mon 6 Apr do not count; 15 h on Tue 7 Apr (CEST, UTC+2).
    expect(addDuration('2026-04-02T13:00:00.000Z', weekdayHours(24))).toBe('2026-04-07T13:00:00.000Z');
  });

  it('K-2: received annandag påsk 08:00 the time starts Tuesday 00:00 and is due Wednesday 00:00', () => {
    expect(addDuration('2026-04-06T06:00:00.000Z', weekdayHours(24))).toBe('2026-04-07T22:00:00.000Z');
  });

  it('K-2: over Christmas, 23 December 10:00 is due Monday 28 December 10:00', () => {
    // 14 h on Wed 23 Dec; 24–27 Dec do not count; 10 h on Mon 28 Dec.
    expect(addDuration('2026-12-23T09:00:00.000Z', weekdayHours(24))).toBe('2026-12-28T09:00:00.000Z');
  });

  it('K-2: over New Year, 30 December 16:00 is due Monday 4 January 16:00', () => {
    expect(addDuration('2026-12-30T15:00:00.000Z', weekdayHours(24))).toBe('2027-01-04T15:00:00.000Z');
  });

  it('K-2: over the spring-forward weekend, Friday 15:00 CET is due Monday 15:00 CEST', () => {
    const due = addDuration('2026-03-27T14:00:00.000Z', weekdayHours(24));
    expect(due).toBe('2026-03-30T13:00:00.000Z');
    expect(formatLocal(due)).toBe('2026-03-30 15:00');
  });

  it('K-2: over the fall-back weekend, Friday 15:00 CEST is due Monday 15:00 CET', () => {
    const due = addDuration('2026-10-23T13:00:00.000Z', weekdayHours(24));
    expect(due).toBe('2026-10-26T14:00:00.000Z');
    expect(formatLocal(due)).toBe('2026-10-26 15:00');
  });

  it('K-2: zero hours returns the start, normalised', () => {
    expect(addDuration('2026-03-07T10:00:00+01:00', weekdayHours(0))).toBe('2026-03-07T09:00:00.000Z');
  });
});

describe('K-3 inom 24 timmar', () => {
  it('K-3: Friday 15:00 plus 24 hours is Saturday 15:00 (weekends count)', () => {
    expect(addDuration('2026-03-06T14:00:00.000Z', { hours: 24 })).toBe('2026-03-07T14:00:00.000Z');
  });

  it('K-3: across spring-forward, Saturday 12:00 CET plus 24 hours is Sunday 13:00 CEST', () => {
    const due = addDuration('2026-03-28T11:00:00.000Z', { hours: 24 });
    expect(due).toBe('2026-03-29T11:00:00.000Z');
    expect(formatLocal(due)).toBe('2026-03-29 13:00');
  });

  it('K-3: across fall-back, Saturday 12:00 CEST plus 24 hours is Sunday 11:00 CET', () => {
    const due = addDuration('2026-10-24T10:00:00.000Z', { hours: 24 });
    expect(due).toBe('2026-10-25T10:00:00.000Z');
    expect(formatLocal(due)).toBe('2026-10-25 11:00');
  });

  it('K-3: zero hours returns the start normalised to UTC with milliseconds', () => {
    expect(addDuration('2026-03-06T15:00:00+01:00', { hours: 0 })).toBe('2026-03-06T14:00:00.000Z');
  });

  it('K-3: fractional hours are elapsed time', () => {
    expect(addDuration('2026-03-06T14:00:00.000Z', { hours: 1.5 })).toBe('2026-03-06T15:30:00.000Z');
  });

  it('K-3: negative or non-finite hours are rejected', () => {
    expect(() => addDuration('2026-03-06T14:00:00.000Z', { hours: -1 })).toThrow(RangeError);
    expect(() => addDuration('2026-03-06T14:00:00.000Z', { hours: Number.NaN })).toThrow(RangeError);
  });
});

describe('K-4 inom två vardagar', () => {
  it('K-4: discharge on a Friday is due at the end of Tuesday (Wednesday 00:00)', () => {
    const due = addDuration('2026-03-06T14:00:00.000Z', { weekdays: 2 });
    expect(due).toBe('2026-03-10T23:00:00.000Z');
    expect(formatLocal(due)).toBe('2026-03-11 00:00');
  });

  it('K-4: discharge on a Saturday is due at the end of Tuesday', () => {
    expect(addDuration('2026-03-07T12:00:00.000Z', { weekdays: 2 })).toBe('2026-03-10T23:00:00.000Z');
  });

  it('K-4: the start day is the local day, not the UTC day (Friday 00:30 local is Thursday in UTC)', () => {
    expect(addDuration('2026-03-05T23:30:00.000Z', { weekdays: 2 })).toBe('2026-03-10T23:00:00.000Z');
    expect(addDuration('2026-03-05T22:30:00.000Z', { weekdays: 2 })).toBe('2026-03-09T23:00:00.000Z');
  });

  it('K-4: discharge on skärtorsdagen skips Easter and is due at the end of Wednesday after Easter', () => {
    expect(addDuration('2026-04-02T08:00:00.000Z', { weekdays: 2 })).toBe('2026-04-08T22:00:00.000Z');
  });

  it('K-4: discharge on 23 December is due at the end of 29 December', () => {
    expect(addDuration('2026-12-23T08:00:00.000Z', { weekdays: 2 })).toBe('2026-12-29T23:00:00.000Z');
  });

  it('K-4: discharge on the Friday before spring-forward is due at the end of Tuesday in CEST', () => {
    expect(addDuration('2026-03-27T10:00:00.000Z', { weekdays: 2 })).toBe('2026-03-31T22:00:00.000Z');
  });

  it('K-4: zero weekdays is rejected', () => {
    expect(() => addDuration('2026-03-06T14:00:00.000Z', { weekdays: 0 })).toThrow(RangeError);
  });
});

describe('K-5 calendar days, weeks and months', () => {
  it('K-5: months are clamped to the end of the month', () => {
    expect(addMonths('2026-10-31', 4)).toBe('2027-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-05-31', 4)).toBe('2026-09-30');
    expect(addMonths('2026-05-15', 6)).toBe('2026-11-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 2)).toBe('2027-01-30');
  });

  it('K-5: months land on 29 February in leap years', () => {
    expect(addMonths('2027-10-31', 4)).toBe('2028-02-29');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2028-02-29', 48)).toBe('2032-02-29');
    expect(addMonths('2099-10-31', 4)).toBe('2100-02-28'); // 2100 is not a leap year
    expect(addMonths('1999-10-31', 4)).toBe('2000-02-29'); // 2000 is
  });

  it('K-5: four weeks are 28 days', () => {
    expect(addToDate('2026-02-01', { weeks: 4 })).toBe('2026-03-01');
    expect(addToDate('2028-02-01', { weeks: 4 })).toBe('2028-02-29');
    expect(addToDate('2026-12-10', { weeks: 4 })).toBe('2027-01-07');
    expect(addToDate('2026-02-01', { days: 28 })).toBe('2026-03-01');
    expect(addToDate('2026-10-31', { months: 4 })).toBe('2027-02-28');
  });

  it('K-5: calendar days roll over months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('K-5: calendarDaysBetween counts whole days, negative backwards', () => {
    expect(calendarDaysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(calendarDaysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(calendarDaysBetween('2026-03-29', '2026-03-30')).toBe(1);
    expect(calendarDaysBetween('2026-03-10', '2026-03-06')).toBe(-4);
    expect(calendarDaysBetween('2026-03-06', '2026-03-06')).toBe(0);
  });

  it('K-5: "tre dagar" from Friday 15:00 is due at the end of Monday', () => {
    expect(addDuration('2026-03-06T14:00:00.000Z', { days: 3 })).toBe('2026-03-09T23:00:00.000Z');
  });

  it('K-5: zero days is the end of the start day', () => {
    expect(addDuration('2026-03-06T14:00:00.000Z', { days: 0 })).toBe('2026-03-06T23:00:00.000Z');
  });

  it('K-5: "4 veckor" across spring-forward ends at local midnight in CEST', () => {
    expect(addDuration('2026-03-06T14:00:00.000Z', { weeks: 4 })).toBe('2026-04-03T22:00:00.000Z');
  });

  it('K-5: "4 månader" from 31 October is due at the end of 28 February', () => {
    expect(addDuration('2026-10-31T10:00:00.000Z', { months: 4 })).toBe('2027-02-28T23:00:00.000Z');
    expect(addDuration('2026-08-31T10:00:00.000Z', { months: 6 })).toBe('2027-02-28T23:00:00.000Z');
    expect(addDuration('2027-10-31T10:00:00.000Z', { months: 4 })).toBe('2028-02-29T23:00:00.000Z');
  });

  it('K-5: negative calendar durations are rejected', () => {
    expect(() => addDuration('2026-03-06T14:00:00.000Z', { days: -1 })).toThrow(RangeError);
    expect(() => addDuration('2026-03-06T14:00:00.000Z', { months: 1.5 })).toThrow(RangeError);
  });
});

describe('K-6 Europe/Stockholm time', () => {
  it('K-6: the time zone is Europe/Stockholm', () => {
    expect(TIME_ZONE).toBe('Europe/Stockholm');
  });

  it('K-6: startOfLocalDay follows CET and CEST, including DST days', () => {
    expect(startOfLocalDay('2026-01-15')).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfLocalDay('2026-07-15')).toBe('2026-07-14T22:00:00.000Z');
    expect(startOfLocalDay('2026-03-29')).toBe('2026-03-28T23:00:00.000Z'); // spring-forward day
    expect(startOfLocalDay('2026-03-30')).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfLocalDay('2026-10-25')).toBe('2026-10-24T22:00:00.000Z'); // fall-back day
    expect(startOfLocalDay('2026-10-26')).toBe('2026-10-25T23:00:00.000Z');
  });

  it('K-6: local date and time of instants around the DST changes', () => {
    expect(localTimeOf('2026-03-29T00:59:00.000Z')).toBe('01:59');
    expect(localTimeOf('2026-03-29T01:00:00.000Z')).toBe('03:00');
    expect(localTimeOf('2026-10-25T00:30:00.000Z')).toBe('02:30');
    expect(localTimeOf('2026-10-25T01:30:00.000Z')).toBe('02:30');
    expect(localDateOf('2026-03-28T23:00:00.000Z')).toBe('2026-03-29');
    expect(localDateOf('2026-03-28T22:59:59.999Z')).toBe('2026-03-28');
    expect(localDateOf('2026-07-14T22:00:00.000Z')).toBe('2026-07-15');
    expect(formatLocal('2026-03-06T13:00:00.000Z')).toBe('2026-03-06 14:00');
    expect(formatLocal('2026-12-31T23:30:00.000Z')).toBe('2027-01-01 00:30');
  });

  it('K-6: localDateTime converts wall-clock times in winter and summer', () => {
    expect(localDateTime('2026-03-09', '14:00')).toBe('2026-03-09T13:00:00.000Z');
    expect(localDateTime('2026-07-01', '14:00')).toBe('2026-07-01T12:00:00.000Z');
    expect(localDateTime('2026-03-29', '03:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(localDateTime('2026-10-25', '03:00')).toBe('2026-10-25T02:00:00.000Z');
    expect(() => localDateTime('2026-03-09', '24:00')).toThrow(RangeError);
    expect(() => localDateTime('2026-02-30', '12:00')).toThrow(RangeError);
  });

  it('K-6: parseInstant reads local times in Europe/Stockholm', () => {
    expect(parseInstant('2026-03-09T14:00')).toBe('2026-03-09T13:00:00.000Z');
    expect(parseInstant('2026-03-09T14:00:30')).toBe('2026-03-09T13:00:30.000Z');
    expect(parseInstant('2026-07-01T14:00')).toBe('2026-07-01T12:00:00.000Z');
    expect(parseInstant('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(parseInstant('2026-01-01')).toBe('2025-12-31T23:00:00.000Z');
  });

  it('K-6: parseInstant on DST days — a skipped time moves forward, a repeated time takes summer time', () => {
    expect(parseInstant('2026-03-29T01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(parseInstant('2026-03-29T02:30')).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    expect(parseInstant('2026-03-29T03:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(parseInstant('2026-10-25T01:59')).toBe('2026-10-24T23:59:00.000Z');
    expect(parseInstant('2026-10-25T02:30')).toBe('2026-10-25T00:30:00.000Z'); // first 02:30 (CEST)
    expect(parseInstant('2026-10-25T03:00')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('K-6: parseInstant honours Z and explicit offsets', () => {
    expect(parseInstant('2026-03-06T14:00:00Z')).toBe('2026-03-06T14:00:00.000Z');
    expect(parseInstant('2026-03-06T14:00:00.123Z')).toBe('2026-03-06T14:00:00.123Z');
    expect(parseInstant('2026-03-06T15:00:00+01:00')).toBe('2026-03-06T14:00:00.000Z');
    expect(parseInstant('2026-03-06T09:30-04:30')).toBe('2026-03-06T14:00:00.000Z');
    expect(parseInstant('2026-03-06T16:00+0200')).toBe('2026-03-06T14:00:00.000Z');
  });

  it('K-6: parseInstant rejects invalid text, impossible dates and out-of-range times', () => {
    for (const text of [
      '',
      'foo',
      '2026-02-30T10:00',
      '2026-02-29',
      '2026-13-01',
      '2026-01-01T24:00',
      '2026-01-01T12:60',
      '2026-01-01T12:00:60',
      '2026-01-01T12:00+25:00',
      '2026-01-01Z',
      '2026-1-1',
      '26-01-01',
      '2026-01-01T1200',
    ]) {
      expect(parseInstant(text)).toBeNull();
    }
  });

  it('K-6: isLocalDate accepts only strict real dates', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2000-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('1900-02-29')).toBe(false);
    expect(isLocalDate('2026-04-31')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(isLocalDate('2026-01-01T00:00')).toBe(false);
    expect(isLocalDate(' 2026-01-01')).toBe(false);
  });

  it('K-6: instants without a zone and malformed dates are rejected by the calendar functions', () => {
    expect(() => localDateOf('2026-03-06T14:00')).toThrow(RangeError);
    expect(() => addDuration('not a date', { hours: 1 })).toThrow(RangeError);
    expect(() => isWeekday('2026-02-30')).toThrow(RangeError);
  });
});

describe('durationLabel', () => {
  it('K-2/K-3/K-4/K-5: Swedish labels with singular for one', () => {
    expect(durationLabel({ hours: 24 })).toBe('24 timmar');
    expect(durationLabel({ hours: 24, weekdaysOnly: true })).toBe('24 timmar på vardagar');
    expect(durationLabel({ hours: 1 })).toBe('1 timme');
    expect(durationLabel({ weekdays: 2 })).toBe('2 vardagar');
    expect(durationLabel({ weekdays: 1 })).toBe('1 vardag');
    expect(durationLabel({ days: 3 })).toBe('3 dagar');
    expect(durationLabel({ days: 1 })).toBe('1 dag');
    expect(durationLabel({ weeks: 4 })).toBe('4 veckor');
    expect(durationLabel({ weeks: 1 })).toBe('1 vecka');
    expect(durationLabel({ months: 4 })).toBe('4 månader');
    expect(durationLabel({ months: 1 })).toBe('1 månad');
  });
});
