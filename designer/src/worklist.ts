/**
 * "Att göra" as the designer shows it: which group a row belongs to at a given moment, how its time
 * limit reads ("om 3 h", "försenad 2 d 4 h", "idag 16:00"), and which rows a notification is due
 * for. Pure: the clock is passed in, Stockholm time comes from Intl.
 */
import type { WorklistItem } from './api.ts';
import type { Lang } from './graph.ts';
import { formatMinutes, stockholmDayStart } from './timeline.ts';

export type Bucket = 'overdue' | 'today' | 'upcoming' | 'blocked';
export const BUCKETS: Bucket[] = ['overdue', 'today', 'upcoming', 'blocked'];

const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Stockholm calendar date of an instant, 'YYYY-MM-DD'. */
export const stockholmDate = (ms: number): string => dateFormat.format(ms);

/** When the Stockholm day after the one `now` falls in starts. */
export function endOfStockholmDay(now: number): number {
  return Date.parse(stockholmDayStart(stockholmDate(now), 1));
}

/**
 * A row's group now: overdue (the server says so, or its time has passed since), due before
 * midnight, later, or a blocker without a time limit. The server's own `due=today` means the same.
 */
export function bucketOf(item: Pick<WorklistItem, 'status' | 'due'>, now: number, endOfDay = endOfStockholmDay(now)): Bucket {
  if (item.status === 'blocked') return 'blocked';
  if (item.status === 'overdue') return 'overdue';
  const due = item.due ? Date.parse(item.due) : Number.POSITIVE_INFINITY;
  if (due <= now) return 'overdue';
  return due < endOfDay ? 'today' : 'upcoming';
}

/** Overdue and due-today rows: the number in the menu's badge and the page title. */
export function urgentCount(items: Pick<WorklistItem, 'status' | 'due'>[], now: number): number {
  const end = endOfStockholmDay(now);
  return items.filter((i) => {
    const b = bucketOf(i, now, end);
    return b === 'overdue' || b === 'today';
  }).length;
}

export function countBuckets(items: Pick<WorklistItem, 'status' | 'due'>[], now: number): Record<Bucket, number> {
  const end = endOfStockholmDay(now);
  const counts: Record<Bucket, number> = { overdue: 0, today: 0, upcoming: 0, blocked: 0 };
  for (const i of items) counts[bucketOf(i, now, end)] += 1;
  return counts;
}

/** "om 3 h" / "försenad 2 d 4 h" from the due time and now (time left rounded up, time past rounded down). */
export function relativeDue(due: string, now: number, lang: Lang): { late: boolean; text: string } {
  const minutes = (Date.parse(due) - now) / 60_000;
  const late = minutes <= 0;
  const span = formatMinutes(late ? Math.floor(-minutes) : Math.ceil(minutes), lang);
  if (lang === 'en') return { late, text: late ? `overdue ${span}` : `in ${span}` };
  return { late, text: late ? `försenad ${span}` : `om ${span}` };
}

const WEEKDAY: Record<Lang, Intl.DateTimeFormat> = {
  sv: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', weekday: 'short', day: 'numeric', month: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', weekday: 'short', day: 'numeric', month: 'short' }),
};
const WITH_YEAR: Record<Lang, Intl.DateTimeFormat> = {
  sv: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', day: 'numeric', month: 'short', year: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', day: 'numeric', month: 'short', year: 'numeric' }),
};
const CLOCK = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Stockholm wall-clock time, "16:00". */
export const clockTime = (ms: number): string => CLOCK.format(ms);

/**
 * The due time as a nurse reads it, in Stockholm time: "idag 16:00", "imorgon 08:00", "igår 23:00",
 * "mån 9 nov. 16:00" within the year, with the year otherwise.
 */
export function absoluteDue(due: string, now: number, lang: Lang, words: { today: string; tomorrow: string; yesterday: string }): string {
  const at = Date.parse(due);
  const day = stockholmDate(at);
  const today = stockholmDate(now);
  const shift = (days: number) => stockholmDate(Date.parse(stockholmDayStart(today, days)) + 3_600_000);
  const time = clockTime(at);
  if (day === today) return `${words.today} ${time}`;
  if (day === shift(1)) return `${words.tomorrow} ${time}`;
  if (day === shift(-1)) return `${words.yesterday} ${time}`;
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return `${(sameYear ? WEEKDAY : WITH_YEAR)[lang].format(at)} ${time}`;
}

/** What a notification is about: a row that fell due within the hour, or became overdue. */
export type Alarm = 'soon' | 'overdue';

function alarmOf(item: Pick<WorklistItem, 'status' | 'due'>, now: number): Alarm | null {
  if (item.status === 'blocked' || !item.due) return null;
  const due = Date.parse(item.due);
  if (item.status === 'overdue' || due <= now) return 'overdue';
  return due - now <= 3_600_000 ? 'soon' : null;
}

/**
 * The rows that need a notification now, given what each row was last seen as (`seen`, updated in
 * place). The first call only records (no flood of notifications for what was already late).
 */
export function newAlarms<T extends Pick<WorklistItem, 'id' | 'status' | 'due'>>(items: T[], now: number, seen: Map<string, Alarm | null>, first: boolean): { item: T; alarm: Alarm }[] {
  const out: { item: T; alarm: Alarm }[] = [];
  const present = new Set<string>();
  for (const item of items) {
    present.add(item.id);
    const alarm = alarmOf(item, now);
    const before = seen.get(item.id);
    seen.set(item.id, alarm);
    if (first || alarm === null || before === alarm || (before === 'overdue' && alarm === 'soon')) continue;
    out.push({ item, alarm });
  }
  for (const id of [...seen.keys()]) if (!present.has(id)) seen.delete(id);
  return out;
}
