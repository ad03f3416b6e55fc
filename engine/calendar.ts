/**
 * Calendar and time-limit arithmetic for Swedish discharge planning.
 *
 * Pure module: no I/O, no clock, no host time zone. Every local computation is
 * done explicitly in Europe/Stockholm (K-6); instants are UTC ISO strings.
 */
import Holidays from 'date-holidays';
import { tzOffset } from '@date-fns/tz';

/** The time zone all local dates and times refer to (K-6). */
export const TIME_ZONE = 'Europe/Stockholm';

/** A UTC instant in ISO 8601 with milliseconds and 'Z', e.g. '2026-03-06T13:00:00.000Z'. */
export type Instant = string;

/** A calendar date 'YYYY-MM-DD' in Europe/Stockholm. */
export type LocalDate = string;

/** A time limit, measured from a start instant. */
export type Duration =
  | { hours: number; weekdaysOnly?: boolean } // K-3 elapsed hours; with weekdaysOnly K-2 elapsed weekday hours
  | { weekdays: number } // K-4: end of the n-th weekday after the local day of the start
  | { days: number } // K-5: end of the local day n calendar days after the start's day
  | { weeks: number } // K-5: as days with 7n
  | { months: number }; // K-5: end of the local day n calendar months later (clamped)

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Plain (zone-less) date arithmetic on Y/M/D fields, via UTC milliseconds.

interface Ymd {
  y: number;
  m: number; // 1-12
  d: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Milliseconds of a wall-clock reading treated as if it were UTC (safe for years < 100). */
function fieldsToMs(y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  date.setUTCHours(h, min, s, ms);
  return date.getTime();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatYmd({ y, m, d }: Ymd): LocalDate {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function ymdOfMs(ms: number): Ymd {
  const date = new Date(ms);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

function parseYmd(text: string): Ymd | null {
  const match = DATE_RE.exec(text);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

function requireYmd(date: LocalDate): Ymd {
  const ymd = parseYmd(date);
  if (!ymd) throw new RangeError(`Not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ymd;
}

function epochDay(date: LocalDate): number {
  const { y, m, d } = requireYmd(date);
  return Math.round(fieldsToMs(y, m, d) / MS_PER_DAY);
}

function requireInteger(n: number, min: number, what: string): number {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what} must be an integer >= ${min}, got ${n}`);
  return n;
}

// ---------------------------------------------------------------------------
// Europe/Stockholm conversions (K-6).

/** UTC offset of Europe/Stockholm at a UTC instant, in milliseconds. */
function offsetMs(utcMs: number): number {
  return Math.round(tzOffset(TIME_ZONE, new Date(utcMs)) * MS_PER_MINUTE);
}

/**
 * K-6: the UTC instant of a Stockholm wall-clock reading. A time that does not
 * exist (spring-forward gap) is moved forward by the gap; an ambiguous time
 * (fall-back overlap) resolves to its first occurrence (summer time).
 */
function localMsToUtcMs(wallMs: number): number {
  const before = offsetMs(wallMs - MS_PER_DAY);
  const after = offsetMs(wallMs + MS_PER_DAY);
  const candidates = [before, after]
    .map((offset) => wallMs - offset)
    .filter((utcMs) => utcMs + offsetMs(utcMs) === wallMs);
  if (candidates.length > 0) return Math.min(...candidates);
  return wallMs - before;
}

/** The Stockholm wall-clock reading of a UTC instant, as zone-less milliseconds. */
function utcMsToLocalMs(utcMs: number): number {
  return utcMs + offsetMs(utcMs);
}

function toInstant(utcMs: number): Instant | null {
  if (!Number.isFinite(utcMs)) return null;
  const text = new Date(utcMs).toISOString();
  return /^\d{4}-/.test(text) ? text : null;
}

function parseToMs(text: string, requireZone: boolean): number | null {
  const match = DATE_TIME_RE.exec(text);
  if (!match) return null;
  const [, ys, mos, ds, hs, mis, ss, fs, zone] = match;
  const ymd = parseYmd(`${ys}-${mos}-${ds}`);
  if (!ymd) return null;
  if (zone !== undefined && hs === undefined) return null;
  if (requireZone && zone === undefined) return null;
  const h = hs === undefined ? 0 : Number(hs);
  const min = mis === undefined ? 0 : Number(mis);
  const s = ss === undefined ? 0 : Number(ss);
  const ms = fs === undefined ? 0 : Number(fs.slice(0, 3).padEnd(3, '0'));
  if (h > 23 || min > 59 || s > 59) return null;
  const wallMs = fieldsToMs(ymd.y, ymd.m, ymd.d, h, min, s, ms);
  if (zone === undefined) return localMsToUtcMs(wallMs);
  if (zone === 'Z' || zone === 'z') return wallMs;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2));
  const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (oh > 23 || om > 59) return null;
  return wallMs - sign * (oh * MS_PER_HOUR + om * MS_PER_MINUTE);
}

function instantMs(instant: Instant): number {
  const ms = parseToMs(instant, true);
  if (ms === null) throw new RangeError(`Not an ISO instant with zone: ${JSON.stringify(instant)}`);
  return ms;
}

function startOfLocalDayMs(date: LocalDate): number {
  const { y, m, d } = requireYmd(date);
  return localMsToUtcMs(fieldsToMs(y, m, d));
}

/** Accepts ISO 8601 with 'Z' or an offset, a Stockholm local date-time without offset, or a bare local date (midnight); null when invalid. */
export function parseInstant(text: string): Instant | null {
  const ms = parseToMs(text, false);
  return ms === null ? null : toInstant(ms);
}

/** True for a strict 'YYYY-MM-DD' string naming a real date. */
export function isLocalDate(text: string): boolean {
  return parseYmd(text) !== null;
}

/** K-6: the Stockholm calendar date of an instant. */
export function localDateOf(instant: Instant): LocalDate {
  return formatYmd(ymdOfMs(utcMsToLocalMs(instantMs(instant))));
}

/** K-6: the Stockholm wall-clock time 'HH:MM' of an instant. */
export function localTimeOf(instant: Instant): string {
  const local = new Date(utcMsToLocalMs(instantMs(instant)));
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** K-6: the instant of Stockholm 00:00 on a date. */
export function startOfLocalDay(date: LocalDate): Instant {
  return new Date(startOfLocalDayMs(date)).toISOString();
}

/** K-6: the instant of a Stockholm wall-clock time ('HH:MM', seconds optional) on a date. */
export function localDateTime(date: LocalDate, time: string): Instant {
  const { y, m, d } = requireYmd(date);
  const match = TIME_RE.exec(time);
  const h = Number(match?.[1]);
  const min = Number(match?.[2]);
  const s = match?.[3] === undefined ? 0 : Number(match[3]);
  if (!match || h > 23 || min > 59 || s > 59) throw new RangeError(`Not a local time (HH:MM): ${JSON.stringify(time)}`);
  return new Date(localMsToUtcMs(fieldsToMs(y, m, d, h, min, s))).toISOString();
}

/** 'YYYY-MM-DD HH:MM' in Stockholm time, for display. */
export function formatLocal(instant: Instant): string {
  return `${localDateOf(instant)} ${localTimeOf(instant)}`;
}

// ---------------------------------------------------------------------------
// Calendar-day arithmetic (K-5).

/** K-5: the date n calendar days later (n may be negative). */
export function addDays(date: LocalDate, n: number): LocalDate {
  const { y, m, d } = requireYmd(date);
  requireInteger(n, -Infinity, 'days');
  return formatYmd(ymdOfMs(fieldsToMs(y, m, d + n)));
}

/** K-5: the date n calendar months later (n may be negative), clamped to the end of the month. */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const { y, m, d } = requireYmd(date);
  requireInteger(n, -Infinity, 'months');
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return formatYmd({ y: ty, m: tm, d: Math.min(d, daysInMonth(ty, tm)) });
}

/** K-5: the date a number of days, weeks (7 days each) or calendar months later. */
export function addToDate(date: LocalDate, d: { days: number } | { weeks: number } | { months: number }): LocalDate {
  if ('days' in d) return addDays(date, d.days);
  if ('weeks' in d) return addDays(date, requireInteger(d.weeks, -Infinity, 'weeks') * 7);
  return addMonths(date, d.months);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

// ---------------------------------------------------------------------------
// Holidays and weekdays (K-1).

let holidaySource: Holidays | null = null;
const holidayCache = new Map<number, ReadonlyMap<LocalDate, string>>();

function midsommarafton(year: number): LocalDate {
  // The Friday between 19 and 25 June.
  const june19 = fieldsToMs(year, 6, 19);
  const dow = new Date(june19).getUTCDay();
  return formatYmd(ymdOfMs(june19 + ((5 - dow + 7) % 7) * MS_PER_DAY));
}

/** K-1: public holidays of a year plus the three eves that count as holidays for time limits. */
function holidaysOf(year: number): ReadonlyMap<LocalDate, string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  holidaySource ??= new Holidays('SE', { languages: ['sv'] });
  const map = new Map<LocalDate, string>();
  for (const holiday of holidaySource.getHolidays(year, 'sv')) {
    const date = holiday.date.slice(0, 10);
    if (holiday.type === 'public' && !map.has(date)) map.set(date, holiday.name);
  }
  // K-1: lag (1930:173) treats these eves as holidays; date-holidays labels them 'bank'.
  const eves: Array<[LocalDate, string]> = [
    [midsommarafton(year), 'midsommarafton'],
    [formatYmd({ y: year, m: 12, d: 24 }), 'julafton'],
    [formatYmd({ y: year, m: 12, d: 31 }), 'nyårsafton'],
  ];
  for (const [date, name] of eves) if (!map.has(date)) map.set(date, name);
  holidayCache.set(year, map);
  return map;
}

/** K-1: the Swedish name of the holiday on a date (public holidays and the three eves), else null. */
export function holidayName(date: LocalDate): string | null {
  const { y } = requireYmd(date);
  return holidaysOf(y).get(date) ?? null;
}

/** K-1: Monday–Friday and not a holiday or midsommarafton, julafton or nyårsafton. */
export function isWeekday(date: LocalDate): boolean {
  const { y, m, d } = requireYmd(date);
  const dow = new Date(fieldsToMs(y, m, d)).getUTCDay();
  return dow >= 1 && dow <= 5 && !holidaysOf(y).has(date);
}

/** K-1: the n-th weekday after a date (n >= 1). */
export function addWeekdays(date: LocalDate, n: number): LocalDate {
  requireInteger(n, 1, 'weekdays');
  let current = date;
  for (let counted = 0; counted < n; ) {
    current = addDays(current, 1);
    if (isWeekday(current)) counted++;
  }
  return current;
}

// ---------------------------------------------------------------------------
// Due instants.

type Unit = 'hours' | 'weekdays' | 'days' | 'weeks' | 'months';
const UNITS: readonly Unit[] = ['hours', 'weekdays', 'days', 'weeks', 'months'];

function unitOf(d: Duration): Unit {
  const present = UNITS.filter((unit) => unit in d);
  if (present.length !== 1 || present[0] === undefined) {
    throw new RangeError(`A duration needs exactly one of ${UNITS.join(', ')}: ${JSON.stringify(d)}`);
  }
  return present[0];
}

function amountOf(d: Duration, unit: Unit): number {
  return (d as Record<Unit, number>)[unit];
}

/** K-2: add elapsed weekday time, counting only the parts of days that are weekdays. */
function addWeekdayMs(fromMs: number, amountMs: number): number {
  let t = fromMs;
  let remaining = amountMs;
  for (;;) {
    const date = formatYmd(ymdOfMs(utcMsToLocalMs(t)));
    const dayEnd = startOfLocalDayMs(addDays(date, 1));
    if (isWeekday(date)) {
      if (remaining <= dayEnd - t) return t + remaining;
      remaining -= dayEnd - t;
    }
    t = dayEnd;
  }
}

/**
 * The due instant of a time limit starting at `from`: K-3 (hours), K-2 (hours
 * on weekdays), K-4 (weekdays, n >= 1) and K-5 (days, weeks, months, n >= 0).
 */
export function addDuration(from: Instant, d: Duration): Instant {
  // Pure and called for every deadline of every case view: remember recent answers.
  const key = `${from}|${JSON.stringify(d)}`;
  const known = dueCache.get(key);
  if (known !== undefined) return known;
  const due = computeDuration(from, d);
  if (dueCache.size >= DUE_CACHE_SIZE) dueCache.clear();
  dueCache.set(key, due);
  return due;
}

const DUE_CACHE_SIZE = 50_000;
const dueCache = new Map<string, Instant>();

function computeDuration(from: Instant, d: Duration): Instant {
  const fromMs = instantMs(from);
  const unit = unitOf(d);
  const amount = amountOf(d, unit);
  if (unit === 'hours') {
    if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`hours must be finite and >= 0, got ${amount}`);
    const amountMs = Math.round(amount * MS_PER_HOUR);
    if (amountMs === 0) return new Date(fromMs).toISOString();
    const weekdaysOnly = 'weekdaysOnly' in d && d.weekdaysOnly === true;
    return new Date(weekdaysOnly ? addWeekdayMs(fromMs, amountMs) : fromMs + amountMs).toISOString();
  }
  const startDate = formatYmd(ymdOfMs(utcMsToLocalMs(fromMs)));
  let lastDay: LocalDate;
  if (unit === 'weekdays') {
    lastDay = addWeekdays(startDate, amount);
  } else {
    requireInteger(amount, 0, unit);
    lastDay =
      unit === 'months' ? addMonths(startDate, amount) : addDays(startDate, unit === 'weeks' ? amount * 7 : amount);
  }
  return startOfLocalDay(addDays(lastDay, 1));
}

function formatNumber(n: number): string {
  return String(n).replace('.', ',');
}

const LABELS: Record<Unit, [singular: string, plural: string]> = {
  hours: ['timme', 'timmar'],
  weekdays: ['vardag', 'vardagar'],
  days: ['dag', 'dagar'],
  weeks: ['vecka', 'veckor'],
  months: ['månad', 'månader'],
};

/** Swedish text for a duration, e.g. '24 timmar på vardagar', '2 vardagar', '1 månad'. */
export function durationLabel(d: Duration): string {
  const unit = unitOf(d);
  const amount = amountOf(d, unit);
  const [singular, plural] = LABELS[unit];
  const text = `${formatNumber(amount)} ${amount === 1 ? singular : plural}`;
  return 'weekdaysOnly' in d && d.weekdaysOnly === true ? `${text} på vardagar` : text;
}

/** Rules implemented in this module (for the rule catalogue's index). */
export const CALENDAR_RULES = ['K-1', 'K-2', 'K-3', 'K-4', 'K-5', 'K-6'] as const;
