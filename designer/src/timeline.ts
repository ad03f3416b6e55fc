/**
 * The deadline timeline of a case (K-7): each time limit as a bar from its start to its due time on
 * one shared scale, with when it was met and where "now" is. Pure geometry and wording.
 */
import type { Lang } from './graph.ts';

export interface DeadlineLike {
  id: string;
  rule: string;
  party: string;
  label: string;
  limit?: string;
  startedAt?: string;
  due: string;
  status: 'pending' | 'met' | 'overdue' | 'cancelled';
  metAt?: string;
  cancelledAt?: string;
  overdueMinutes?: number;
  lateMinutes?: number;
}

export interface TimelineBar {
  deadline: DeadlineLike;
  /** Percentages of the scale. */
  start: number;
  end: number;
  /** Where it was met (or lapsed), if it was. */
  mark: number | null;
  /** How far an overdue bar runs past its due time (to now). */
  overrun: number | null;
}

export interface Timeline {
  from: number;
  to: number;
  now: number | null;
  bars: TimelineBar[];
  ticks: { at: number; position: number }[];
}

const ms = (iso: string | undefined): number | null => (iso ? Date.parse(iso) : null);

export function buildTimeline(deadlines: DeadlineLike[], nowIso: string): Timeline {
  const now = Date.parse(nowIso);
  const times: number[] = [now];
  for (const d of deadlines) {
    for (const t of [d.startedAt, d.due, d.metAt, d.cancelledAt]) {
      const v = ms(t);
      if (v !== null && Number.isFinite(v)) times.push(v);
    }
  }
  let from = Math.min(...times);
  let to = Math.max(...times);
  if (to - from < 3_600_000) to = from + 3_600_000;
  const pad = (to - from) * 0.03;
  from -= pad;
  to += pad;
  const pos = (t: number) => ((t - from) / (to - from)) * 100;
  const bars = [...deadlines]
    .sort((a, b) => Date.parse(a.due) - Date.parse(b.due))
    .map((deadline): TimelineBar => {
      const due = Date.parse(deadline.due);
      const start = ms(deadline.startedAt) ?? due;
      const markAt = ms(deadline.metAt) ?? ms(deadline.cancelledAt);
      return {
        deadline,
        start: pos(Math.min(start, due)),
        end: pos(due),
        mark: markAt === null ? null : pos(markAt),
        overrun: deadline.status === 'overdue' ? pos(ms(deadline.cancelledAt) ?? now) : null,
      };
    });
  const ticks: { at: number; position: number }[] = [];
  const day = 86_400_000;
  const span = to - from;
  const step = span <= 4 * day ? day / 2 : span <= 21 * day ? day : span <= 120 * day ? 7 * day : 30 * day;
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push({ at: t, position: pos(t) });
  return { from, to, now: pos(now), bars, ticks };
}

/** "2 d 3 h", "5 h 10 min", "45 min" (Swedish "d" = dygn). */
export function formatMinutes(minutes: number, lang: Lang = 'sv'): string {
  const m = Math.max(0, Math.round(minutes));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  const d = lang === 'en' ? 'd' : 'd';
  if (days > 0) return hours > 0 ? `${days} ${d} ${hours} h` : `${days} ${d}`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local (Europe/Stockholm) date and time for display: "2026-03-09 16:00". */
export function formatInstant(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '–';
  const key = withTime ? 'dt' : 'd';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, f);
  }
  const t = Date.parse(iso);
  return Number.isFinite(t) ? f.format(t) : iso;
}

/** The instant of a Stockholm wall-clock time ('YYYY-MM-DD', 'HH:MM'), as UTC ISO; `days` moves the day. */
export function stockholmInstant(date: string, time = '00:00', days = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h = 0, min = 0] = time.split(':').map(Number);
  const asUtc = Date.UTC(y, m - 1, d + days, h, min);
  // Stockholm's offset at that moment (read back through Intl), applied once.
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Stockholm', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(asUtc).map((p) => [p.type, Number(p.value)]));
  const offset = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - asUtc;
  return new Date(asUtc - offset).toISOString();
}

/** The instant a Stockholm calendar day starts; `days` moves the day. */
export const stockholmDayStart = (date: string, days = 0): string => stockholmInstant(date, '00:00', days);

/** A datetime-local input's value ('YYYY-MM-DDTHH:MM'), read as Stockholm time. */
export function stockholmLocalToInstant(value: string): string {
  const [date, time] = value.split('T');
  if (!date || !time) throw new RangeError(`Not a local date-time: ${value}`);
  return stockholmInstant(date, time.slice(0, 5));
}
