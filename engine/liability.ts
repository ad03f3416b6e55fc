/**
 * The municipality's payment liability for one case (B-1 … B-4, S-6, S-8): day zero, the days the
 * individual stayed while utskrivningsklar, the B-2 criteria and B-3 exceptions, and the liable
 * kommun. Whether a kommun pays is decided on its average over cases (B-5); this module gives each
 * case's contribution. Thresholds come from the case's pathway version.
 */
import { addDays, calendarDaysBetween, localDateOf, localDateTime, localTimeOf, type Instant, type LocalDate } from './calendar.ts';
import { careContactRequired, currentReadyNotice, type CaseContext } from '../machines/context.ts';
import { bothHuvudman, deadlineStatus, type Deadline } from '../machines/deadlines.ts';
import type { PathwayDefinition, PathwayParameters } from '../machines/definition.ts';

export interface LiabilityCriterion {
  rule: string;
  met: boolean;
  text: string;
  /** Since when it holds (null while it does not). */
  since: Instant | null;
}

export interface PaymentLiability {
  applies: boolean;
  dayZero: LocalDate | null;
  readyDays: number;
  liableKommun: string;
  reasons: string[];
  criteria: LiabilityCriterion[];
  /** B-1: the agreed average (calendar days) above which the kommun pays. */
  thresholdDays: number | null;
  /** S-8: days counted as permission during the stay. */
  permissionDays: LocalDate[];
  /** The kommun received the admission notice: only then can it be liable (B-3), and the case counts in its average (B-5). */
  kommunConcerned: boolean;
  /** The day the stay ended (discharge, death or closing), or null while it goes on. */
  endedOn: LocalDate | null;
  /**
   * B-1: the calendar days that would be charged once the kommun's average exceeds the threshold:
   * every day after the threshold has passed (threshold 1.3: from day two), when liability applies.
   */
  chargeableDays: number;
}

/** B-1: calendar days from day zero that would be charged, given the agreed threshold. */
export function chargeableDays(readyDays: number, thresholdDays: number): number {
  return Math.max(0, readyDays - Math.floor(thresholdDays));
}

/** S-6: a ready notice before the cut-off makes its own day day zero, otherwise the next day. */
export function dayZeroOf(declaredAt: Instant, cutoff: string): LocalDate {
  const date = localDateOf(declaredAt);
  return localTimeOf(declaredAt) < cutoff ? date : addDays(date, 1);
}

/** S-8: days on which the individual was away at least `minHours` continuously between `from` and `to`. */
export function permissionDays(periods: { from: Instant; to: Instant }[], rule: NonNullable<PathwayParameters['permission']>): LocalDate[] {
  const days = new Set<LocalDate>();
  const minMs = rule.minHours * 3_600_000;
  for (const { from, to } of periods) {
    for (let day = localDateOf(from); day <= localDateOf(to); day = addDays(day, 1)) {
      const windowStart = localDateTime(day, rule.from);
      const windowEnd = rule.to === '24:00' ? localDateTime(addDays(day, 1), '00:00') : localDateTime(day, rule.to);
      const start = Math.max(Date.parse(from), Date.parse(windowStart));
      const end = Math.min(Date.parse(to), Date.parse(windowEnd));
      if (end - start >= minMs) days.add(day);
    }
  }
  return [...days].sort();
}

export function paymentLiability(definition: PathwayDefinition, context: CaseContext, deadlines: Deadline[], now: Instant): PaymentLiability {
  const p = definition.parameters;
  const liableKommun = context.placeringskommun ?? context.kommun; // B-4
  const permission = p.permission ? permissionDays(context.permissions, p.permission) : [];
  const ended = context.dischargedAt ?? context.closed?.at ?? null;
  const kommunConcerned = (context.admissionNotice?.recipients ?? []).some((r) => r === 'socialtjanst' || r === 'kommunal_hsl');
  const base = { liableKommun, thresholdDays: p.liabilityAfterDays, permissionDays: permission, endedOn: ended ? localDateOf(ended) : null, chargeableDays: 0, kommunConcerned };
  if (p.liabilityAfterDays === null || p.dayZeroCutoff === null) {
    return { ...base, applies: false, dayZero: null, readyDays: 0, reasons: ['Ingen överenskommelse om betalningsansvar gäller för processen'], criteria: [] };
  }
  if (!definition.policy.coveredByLaw) {
    return { ...base, applies: false, dayZero: null, readyDays: 0, reasons: ['S-1: Omfattas inte av lagen om samverkan'], criteria: [] };
  }
  const ready = currentReadyNotice(context);
  const dayZero = ready ? dayZeroOf(ready.declaredAt, p.dayZeroCutoff) : null;
  const end = ended ?? now;
  const readyDays = dayZero ? Math.max(0, calendarDaysBetween(dayZero, localDateOf(end))) : 0;

  const byRule = (rule: string) => deadlines.filter((d) => d.rule === rule);
  const c1 = byRule('C-1')[0];
  const sipCall = byRule('S-5').at(-1);
  const noticeInTime = !!c1?.metAt && c1.metAt <= c1.due;
  const fvkNeeded = careContactRequired(context);
  const sipMet = !sipCall || (sipCall.metAt !== null ? sipCall.metAt <= sipCall.due : deadlineStatus(sipCall, now) !== 'overdue');
  const criteria: LiabilityCriterion[] = [
    { rule: 'B-2', met: noticeInTime, text: 'Inskrivningsmeddelande skickat i rätt tid', since: noticeInTime ? c1!.metAt : null },
    { rule: 'B-2', met: ready !== null, text: 'Meddelande om utskrivningsklar skickat', since: ready?.declaredAt ?? null },
    {
      rule: 'B-2', met: !fvkNeeded || context.careContact !== null, text: 'Fast vårdkontakt utsedd',
      since: context.careContact?.appointedAt ?? (fvkNeeded ? null : context.admissionNotice?.sentAt ?? null),
    },
    {
      // Still within the limit counts as met; the B-3 reason below names a missed call.
      rule: 'B-2', met: sipMet,
      text: `Kallelse till SIP senast ${p.sipCallWithinAfterReady?.days ?? 3} dagar efter utskrivningsklar när båda huvudmännen har insatser`,
      since: !sipMet ? null : sipCall?.metAt ?? sipCall?.startedAt ?? ready?.declaredAt ?? null,
    },
  ];
  const sipMissed = sipCall !== undefined && sipCall.metAt === null && deadlineStatus(sipCall, now) === 'overdue';
  const reasons = criteria.filter((c) => !c.met && !(sipMissed && c === criteria[3])).map((c) => `B-2: ${c.text} – saknas`);
  if (!kommunConcerned) reasons.push('B-3: Endast insatser från öppenvården');
  if (context.criteria.aids_available === null) reasons.push('B-3: Regionens insatser är inte tillgängliga eller klarlagda');
  if (sipMissed && bothHuvudman(context)) reasons.push('B-3: Fast vårdkontakt har inte kallat till SIP');
  if (context.refusals.insatser) reasons.push('B-3: Den enskilde har motsatt sig insatserna');
  const applies = reasons.length === 0;
  return { ...base, applies, dayZero, readyDays, reasons, criteria, chargeableDays: applies ? chargeableDays(readyDays, p.liabilityAfterDays) : 0 };
}

export interface DischargeRecord {
  kommun: string;
  dayZero: LocalDate;
  dischargedOn: LocalDate;
}

/**
 * B-5: per kommun, the average number of calendar days from day zero to discharge over all
 * discharges with an admission notice and a ready notice, day-zero discharges counted as 0; the
 * kommun is liable when the average exceeds the agreed level (B-1).
 */
export function averageModel(records: DischargeRecord[], thresholdDays: number): { kommun: string; cases: number; averageDays: number; liable: boolean }[] {
  const byKommun = new Map<string, number[]>();
  for (const r of records) {
    const days = Math.max(0, calendarDaysBetween(r.dayZero, r.dischargedOn));
    const list = byKommun.get(r.kommun);
    if (list) list.push(days);
    else byKommun.set(r.kommun, [days]);
  }
  return [...byKommun.entries()]
    .map(([kommun, days]) => {
      const averageDays = days.reduce((a, b) => a + b, 0) / days.length;
      return { kommun, cases: days.length, averageDays, liable: averageDays > thresholdDays };
    })
    .sort((a, b) => a.kommun.localeCompare(b.kommun, 'sv'));
}

/** Rules implemented in this module (for the rule catalogue's index). */
export const LIABILITY_RULES = ['B-1', 'B-2', 'B-3', 'B-4', 'B-5', 'S-6', 'S-8'] as const;
