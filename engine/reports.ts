/**
 * The region's follow-up (issue 7), as pure functions over rows the store keeps:
 *
 * - payment liability per kommun (or stadsdel) and period, by the average model (B-5): over every
 *   case discharged in the period with a ready notice, the average number of calendar days from day
 *   zero to discharge (day-zero discharges count 0) against the agreed threshold (B-1, from each
 *   case's pathway version); where the average exceeds it, the liable days are the chargeable days
 *   (`chargeableDays`) of the cases where liability applies (B-2, B-3), in the liable kommun (B-4);
 * - deadline compliance per owing unit, party, rule and month: the share met in time and the
 *   median lateness of those that were late.
 *
 * Report totals are sums of the per-case figures and nothing else.
 */
import { averageModel } from './liability.ts';
import { localDateOf, type Instant } from './calendar.ts';

export interface LiabilityCaseRow {
  caseId: string;
  pathway: string;
  kommun: string;
  dayZero: string | null;
  endedOn: string | null;
  readyDays: number;
  applies: boolean;
  chargeableDays: number;
  threshold: number | null;
  kommunConcerned: boolean;
}

export interface KommunLiability {
  kommun: string;
  /** Discharges in the period with a ready notice (the B-5 population). */
  cases: number;
  averageDays: number;
  thresholdDays: number;
  /** B-5: the average exceeds the threshold. */
  liable: boolean;
  /** Chargeable days of the cases where liability applies (B-2, B-3). */
  chargeableDays: number;
  /** What the kommun pays for: the chargeable days when liable, else 0. */
  liableDays: number;
  /** Cases where liability applies. */
  applicableCases: number;
  /** How many stayed 0, 1, 2, … calendar days after day zero (the last bucket is "10 or more"). */
  distribution: number[];
  caseIds: string[];
}

export const DISTRIBUTION_BUCKETS = 11;

/**
 * The B-5 population: discharged (a death is not a discharge) with a ready notice, the kommun among
 * the notice's recipients (a case of öppenvård needs only is no kommun's), under an agreement.
 */
export function inPopulation(row: LiabilityCaseRow): boolean {
  return row.dayZero !== null && row.threshold !== null && row.endedOn !== null && row.kommunConcerned;
}

export function liabilityByKommun(rows: LiabilityCaseRow[]): KommunLiability[] {
  const population = rows.filter(inPopulation);
  const byKommun = new Map<string, LiabilityCaseRow[]>();
  for (const row of population) {
    const list = byKommun.get(row.kommun);
    if (list) list.push(row);
    else byKommun.set(row.kommun, [row]);
  }
  const out: KommunLiability[] = [];
  for (const [kommun, cases] of byKommun) {
    // The agreed level of the kommun's cases (pathway versions of one regional routine share it).
    const thresholdDays = Math.min(...cases.map((c) => c.threshold!));
    const [average] = averageModel(cases.map((c) => ({ kommun, dayZero: c.dayZero!, dischargedOn: c.endedOn! })), thresholdDays);
    const applicable = cases.filter((c) => c.applies);
    const chargeable = applicable.reduce((n, c) => n + c.chargeableDays, 0);
    const distribution = new Array<number>(DISTRIBUTION_BUCKETS).fill(0);
    for (const c of cases) distribution[Math.min(c.readyDays, DISTRIBUTION_BUCKETS - 1)]! += 1;
    out.push({
      kommun, cases: cases.length, averageDays: average!.averageDays, thresholdDays, liable: average!.liable,
      chargeableDays: chargeable, liableDays: average!.liable ? chargeable : 0, applicableCases: applicable.length, distribution,
      caseIds: cases.map((c) => c.caseId),
    });
  }
  // Most liable days first, then the highest average.
  return out.sort((a, b) => b.liableDays - a.liableDays || b.averageDays - a.averageDays || a.kommun.localeCompare(b.kommun, 'sv'));
}

export const COMPLIANCE_RULES = ['C-1', 'C-2', 'C-3', 'C-8', 'S-5', 'V-1'] as const;

export interface DeadlineRow {
  caseId: string;
  pathway: string;
  rule: string;
  party: string;
  /** The owing unit: the ward's id for slutenvården, the kommun for the others. */
  unit: string;
  due: Instant;
  metAt: Instant | null;
  cancelledAt: Instant | null;
}

export interface ComplianceRow {
  unit: string;
  party: string;
  rule: string;
  /** YYYY-MM of the due time, Stockholm time. */
  month: string;
  /** Deadlines that have come due (or been met) in the month. */
  total: number;
  inTime: number;
  late: number;
  /** inTime / total. */
  share: number;
  /** Median minutes past due of the late ones (still open ones count up to now), or null. */
  medianLateMinutes: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Whether a deadline counts, and how late it was: met (in time or late), or past due and never
 * met (late until it lapsed or until now). A duty that lapsed before its due time (a revoked ready
 * notice, a closed case) and one not yet due count nowhere.
 */
export function outcome(row: DeadlineRow, now: Instant): { counts: false } | { counts: true; lateMinutes: number } {
  const end = row.metAt ?? (row.cancelledAt !== null ? row.cancelledAt : now);
  if (row.metAt === null && end <= row.due) return { counts: false };
  const lateMinutes = Math.max(0, Math.round((Date.parse(end) - Date.parse(row.due)) / 60_000));
  return { counts: true, lateMinutes };
}

export function compliance(rows: DeadlineRow[], now: Instant): ComplianceRow[] {
  // Stockholm's offset is whole hours: every instant of a UTC hour has the same local month.
  const months = new Map<string, string>();
  const monthOf = (due: Instant) => {
    const hour = due.slice(0, 13);
    let month = months.get(hour);
    if (month === undefined) {
      month = localDateOf(due).slice(0, 7);
      months.set(hour, month);
    }
    return month;
  };
  const groups = new Map<string, { key: Omit<ComplianceRow, 'total' | 'inTime' | 'late' | 'share' | 'medianLateMinutes'>; late: number[]; inTime: number }>();
  for (const row of rows) {
    const result = outcome(row, now);
    if (!result.counts) continue;
    const month = monthOf(row.due);
    const id = [row.unit, row.party, row.rule, month].join('\u0000');
    let group = groups.get(id);
    if (!group) {
      group = { key: { unit: row.unit, party: row.party, rule: row.rule, month }, late: [], inTime: 0 };
      groups.set(id, group);
    }
    if (result.lateMinutes > 0) group.late.push(result.lateMinutes);
    else group.inTime += 1;
  }
  return [...groups.values()]
    .map(({ key, late, inTime }) => ({ ...key, total: inTime + late.length, inTime, late: late.length, share: inTime / (inTime + late.length), medianLateMinutes: median(late) }))
    .sort((a, b) => a.month.localeCompare(b.month) || a.rule.localeCompare(b.rule) || a.party.localeCompare(b.party) || a.unit.localeCompare(b.unit, 'sv'));
}
