/**
 * The Reports page (#/rapporter) without React: the answers of GET /api/reports/*, the period
 * presets on Stockholm dates, the address's filters ↔ the API's query, and the figures the page
 * draws (headline, distribution, compliance per month). Pure: "today" is passed in.
 */
import type { ComplianceRow as EngineComplianceRow, KommunLiability } from '../../engine/reports.ts';
import type { Lang } from './graph.ts';
import { formatMinutes } from './timeline.ts';

/** GET /api/reports/liability. */
export interface LiabilityReport {
  from: string;
  to: string;
  rows: KommunLiability[];
  totals: { cases: number; chargeableDays: number; liableDays: number; liableKommuner: number };
}

export type LiabilityRow = KommunLiability;

/** One case of GET /api/reports/liability/cases (no identity). */
export interface LiabilityCase {
  caseId: string;
  pathway: string;
  kommun: string;
  dayZero: string | null;
  dischargedOn: string | null;
  readyDays: number;
  applies: boolean;
  chargeableDays: number;
  thresholdDays: number | null;
  rules: string[];
}

export interface LiabilityCases {
  from: string;
  to: string;
  items: LiabilityCase[];
}

export type ComplianceRow = EngineComplianceRow & { unitLabel: string };

/** GET /api/reports/compliance. */
export interface ComplianceReport {
  from: string;
  to: string;
  rules: string[];
  rows: ComplianceRow[];
  byRule: { rule: string; total: number; inTime: number; share: number | null }[];
}

export const PRESETS = ['last-month', 'this-month', '3-months', '12-months'] as const;
export type Preset = (typeof PRESETS)[number];
/** Opening the page without a period shows last month: the period a kommun's liability is followed up for. */
export const DEFAULT_PRESET: Preset = 'last-month';

/** The page's filters as kept in the address (#/rapporter?period=…&pathway=…&kommun=…&party=…&rule=…&cases=…). */
export interface ReportFilters {
  /** A preset, or absent when `from`/`to` name a period of one's own. */
  period?: Preset;
  from?: string;
  to?: string;
  pathway?: string;
  kommun?: string;
  /** Compliance only: the owing party. */
  party?: string;
  /** The rule the compliance chart and table show (all when absent). */
  rule?: string;
  /** The kommun whose cases are open in the drill-down. */
  cases?: string;
}

const FILTER_KEYS = ['period', 'from', 'to', 'pathway', 'kommun', 'party', 'rule', 'cases'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date 'YYYY-MM-DD' (not 2026-02-30, which Date would roll over). */
export function isDate(s: string | undefined): s is string {
  if (s === undefined || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The address's parameters → filters (unknown keys and values dropped). */
export function parseReportFilters(params: Record<string, string>): ReportFilters {
  const f: ReportFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params[key]?.trim();
    if (!value) continue;
    if (key === 'period') {
      if ((PRESETS as readonly string[]).includes(value)) f.period = value as Preset;
    } else f[key] = value;
  }
  return f;
}

/** Filters → the address's parameters (for the router). */
export function reportFilterParams(filters: ReportFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) out[key] = value;
  }
  return out;
}

// Local dates as UTC midnights: no time zone can move them.
const utc = (date: string): Date => new Date(`${date}T00:00:00Z`);
const iso = (d: Date): string => d.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  const d = utc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** The first day of the month `months` away from `date`'s. */
export function monthStart(date: string, months = 0): string {
  const d = utc(`${date.slice(0, 7)}-01`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return iso(d);
}

/** The period a preset names on `today` (a Stockholm date), both ends included; "the last N months" are calendar months, this one so far (as the API's default). */
export function presetRange(preset: Preset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'last-month':
      return { from: monthStart(today, -1), to: addDays(monthStart(today), -1) };
    case 'this-month':
      return { from: monthStart(today), to: today };
    case '3-months':
      return { from: monthStart(today, -2), to: today };
    case '12-months':
      return { from: monthStart(today, -11), to: today };
  }
}

export interface Period {
  from: string;
  to: string;
  /** The preset it came from, or null for a period of one's own. */
  preset: Preset | null;
  /** Why a period of one's own cannot be asked for (then from/to are the default preset's). */
  invalid: 'order' | null;
}

/**
 * The period the filters name: a preset, or `from`/`to` of one's own (either alone is completed
 * with the default preset's other end); the default preset when nothing valid is given.
 */
export function resolvePeriod(filters: ReportFilters, today: string): Period {
  const fallback = presetRange(DEFAULT_PRESET, today);
  if (!filters.period && (isDate(filters.from) || isDate(filters.to))) {
    const from = isDate(filters.from) ? filters.from : fallback.from;
    const to = isDate(filters.to) ? filters.to : (from > today ? from : today);
    if (from > to) return { ...fallback, preset: null, invalid: 'order' };
    return { from, to, preset: null, invalid: null };
  }
  const preset = filters.period ?? DEFAULT_PRESET;
  return { ...presetRange(preset, today), preset, invalid: null };
}

/** The API's query for a report: the period and the filters that report takes. */
export function reportQuery(period: { from: string; to: string }, filters: ReportFilters, extra: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  search.set('from', period.from);
  search.set('to', period.to);
  for (const [k, v] of Object.entries({ pathway: filters.pathway, kommun: filters.kommun, ...extra })) if (v) search.set(k, v);
  return search.toString();
}

/** The kommuner with the most liable days (several when they tie; the API sorts so), none when no kommun had any. */
export function topLiable(rows: LiabilityRow[]): LiabilityRow[] {
  const most = Math.max(0, ...rows.map((r) => r.liableDays));
  return most > 0 ? rows.filter((r) => r.liableDays === most) : [];
}

/** "Lidingö och Solna", "A, B och C" / "A, B and C". */
export function formatList(items: string[], lang: Lang): string {
  return new Intl.ListFormat(locale(lang), { style: 'long', type: 'conjunction' }).format(items);
}

/** The distribution of days after day zero (0 … 10+) summed over the rows. */
export function sumDistribution(rows: Pick<LiabilityRow, 'distribution'>[], buckets = 11): number[] {
  const out = new Array<number>(buckets).fill(0);
  for (const r of rows) r.distribution.forEach((n, i) => (out[i] = (out[i] ?? 0) + n));
  return out;
}

/** Every month ('YYYY-MM') from `from`'s to `to`'s. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m <= to && out.length < 600; m = monthStart(m, 1)) out.push(m.slice(0, 7));
  return out;
}

export interface MonthShare {
  month: string;
  total: number;
  inTime: number;
  /** inTime / total, or null when nothing came due. */
  share: number | null;
}

/** Compliance per month of the period (months without deadlines included), for one rule or all. */
export function complianceByMonth(rows: ComplianceRow[], months: string[], rule: string | null): MonthShare[] {
  const by = new Map(months.map((m) => [m, { total: 0, inTime: 0 }]));
  for (const r of rows) {
    if (rule && r.rule !== rule) continue;
    const m = by.get(r.month) ?? { total: 0, inTime: 0 };
    m.total += r.total;
    m.inTime += r.inTime;
    by.set(r.month, m);
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, { total, inTime }]) => ({ month, total, inTime, share: total ? inTime / total : null }));
}

/** Compliance over all the rows (for the headline). */
export function overallShare(byRule: ComplianceReport['byRule']): { total: number; inTime: number; share: number | null } {
  const total = byRule.reduce((n, r) => n + r.total, 0);
  const inTime = byRule.reduce((n, r) => n + r.inTime, 0);
  return { total, inTime, share: total ? inTime / total : null };
}

/** The drill-down's order: the cases that made the liable days first. */
export function sortCases(items: LiabilityCase[]): LiabilityCase[] {
  return [...items].sort((a, b) => b.chargeableDays - a.chargeableDays || b.readyDays - a.readyDays || (a.dischargedOn ?? '').localeCompare(b.dischargedOn ?? '') || a.caseId.localeCompare(b.caseId));
}

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'sv-SE');

/** "2,2" / "2.2": days with one decimal. */
export function formatDays(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

/** "1,3" / "2": a threshold as the agreement writes it. */
export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(n);
}

/** "31 %" / "31%". */
export function formatShare(share: number | null, lang: Lang): string {
  if (share === null) return '–';
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** Median lateness, readable: "45 min", "5 h 10 min", "4 d 8 h"; "–" when none was late. */
export function formatLateness(minutes: number | null, lang: Lang): string {
  return minutes === null ? '–' : formatMinutes(minutes, lang);
}

/** "okt. 2026" / "Oct 2026". */
export function formatMonth(month: string, lang: Lang, style: 'short' | 'long' = 'short'): string {
  return new Intl.DateTimeFormat(locale(lang), { month: style, year: 'numeric', timeZone: 'UTC' }).format(utc(`${month}-01`));
}

/** "1 okt.–31 okt. 2026" / "1 Oct – 31 Oct 2026": a period for a heading. */
export function formatPeriod(from: string, to: string, lang: Lang): string {
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  const withYear = new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const noYear = new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', timeZone: 'UTC' });
  if (from === to) return withYear.format(utc(from));
  return `${(sameYear ? noYear : withYear).format(utc(from))}–${withYear.format(utc(to))}`;
}

/** "23 okt. 2026": a local date in a table. */
export function formatDate(date: string | null, lang: Lang): string {
  if (!date) return '–';
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(utc(date));
}

/** Evenly spaced whole-number ticks from 0 to at least `max` (for a count axis). */
export function countTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw);
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Math.round(v * 100) / 100);
  return ticks.filter((v) => Number.isInteger(v));
}
