/**
 * Deadlines (K-7) derived from a case's facts and its pathway's parameters. Each spec below is the
 * one place a time limit of the routines is written: when it starts, when it is due, when it counts
 * as met, and whose it is. Nothing here reads a clock: status (pending/overdue) is the case view's.
 */
import { addDays, addDuration, durationLabel, localDateOf, startOfLocalDay, type Instant, type LocalDate } from '../engine/calendar.ts';
import type { CaseContext } from './context.ts';
import { careContactRequired, sipRequired } from './context.ts';
import type { PathwayDefinition } from './definition.ts';
import type { PartyId, RecipientParty } from './parties.ts';

export interface Deadline {
  id: string;
  rule: string;
  party: PartyId;
  /** Swedish: what is expected, e.g. "Kvittera inskrivningsmeddelande". */
  label: string;
  /** Swedish: the limit as the routine says it, e.g. "inom 24 timmar på vardagar". */
  limit: string;
  startedAt: Instant;
  due: Instant;
  metAt: Instant | null;
  /** Set when the duty lapsed (a revoked ready notice, a closed case) before it was met. */
  cancelledAt: Instant | null;
}

/** A deadline spec as data, for the designer and the rule catalogue. */
export interface DeadlineSpec {
  rule: string;
  party: PartyId | 'mottagare';
  label: string;
  /** Name of the pathway parameter that sets the limit. */
  parameter: string;
}

export const DEADLINE_SPECS: readonly DeadlineSpec[] = [
  { rule: 'C-1', party: 'slutenvard', label: 'Skicka inskrivningsmeddelande', parameter: 'admissionNoticeWithin' },
  { rule: 'C-2', party: 'mottagare', label: 'Kvittera inskrivningsmeddelande', parameter: 'acknowledgeWithin' },
  { rule: 'C-3', party: 'oppenvard', label: 'Utse fast vårdkontakt', parameter: 'careContactWithin' },
  { rule: 'S-5', party: 'oppenvard', label: 'Kalla till SIP', parameter: 'sipCallWithinAfterReady' },
  { rule: 'V-3', party: 'oppenvard', label: 'Kalla till SIP före beräknat utskrivningsdatum', parameter: 'sipCallBeforeExpectedDischarge' },
  { rule: 'V-1', party: 'slutenvard', label: 'Skicka statusmeddelande inför utskrivning', parameter: 'statusMessageWindow' },
  { rule: 'C-8', party: 'oppenvard', label: 'Uppföljningskontakt efter utskrivning', parameter: 'followUpContactWithin' },
  { rule: 'V-O2', party: 'slutenvard', label: 'Dela första funktionsbedömning', parameter: 'lrvAfterJudgment' },
  { rule: 'V-O3', party: 'slutenvard', label: 'Vårdprövning och avstämning', parameter: 'courtReviewInterval' },
];

const ACK_LABEL: Record<RecipientParty, string> = {
  oppenvard: 'Kvittera inskrivningsmeddelande',
  kommunal_hsl: 'Kvittera inskrivningsmeddelande',
  socialtjanst: 'Kvittera inskrivningsmeddelande',
};

/** Every deadline of the case, in the order they arose. */
export function deriveDeadlines(definition: PathwayDefinition, context: CaseContext): Deadline[] {
  const p = definition.parameters;
  const policy = definition.policy;
  const out: Deadline[] = [];
  const closedAt = context.closed?.at ?? null;
  const add = (d: Omit<Deadline, 'cancelledAt'> & { cancelledAt?: Instant | null }) => {
    const cancelledAt = d.metAt === null ? (d.cancelledAt ?? closedAt) : null;
    out.push({ ...d, cancelledAt });
  };
  const notice = context.admissionNotice;

  // C-1 (K-3): 24 hours from admission, or from the doctor's later assessment of needs.
  if (policy.coveredByLaw) {
    const initialDue = addDuration(context.admittedAt, p.admissionNoticeWithin);
    const identified = context.needs.firstIdentifiedAt;
    const startedAt = identified !== null && identified > initialDue ? identified : context.admittedAt;
    add({
      id: 'C-1', rule: 'C-1', party: 'slutenvard', label: 'Skicka inskrivningsmeddelande',
      limit: `inom ${durationLabel(p.admissionNoticeWithin)}`,
      startedAt, due: addDuration(startedAt, p.admissionNoticeWithin), metAt: notice?.sentAt ?? null,
    });
  }

  if (notice) {
    // C-2 (K-2): each recipient acknowledges (or answers with its status message).
    if (p.acknowledgeWithin) {
      for (const party of notice.recipients) {
        const answered = [
          ...context.acknowledgements.filter((a) => a.party === party && a.of === 'ADMISSION_NOTICE').map((a) => a.at),
          ...context.statusMessages.filter((s) => s.party === party && s.phase === 'admission').map((s) => s.at),
          ...(party === 'oppenvard' && context.careContact ? [context.careContact.appointedAt] : []),
        ].sort();
        add({
          id: `C-2:${party}`, rule: 'C-2', party, label: ACK_LABEL[party],
          limit: `inom ${durationLabel(p.acknowledgeWithin)}`,
          startedAt: notice.sentAt, due: addDuration(notice.sentAt, p.acknowledgeWithin), metAt: answered[0] ?? null,
        });
      }
    }
    // C-3: the receiving öppenvård unit appoints a care contact.
    if (p.careContactWithin && careContactRequired(context)) {
      add({
        id: 'C-3', rule: 'C-3', party: 'oppenvard', label: 'Utse fast vårdkontakt',
        limit: `inom ${durationLabel(p.careContactWithin)}`,
        startedAt: notice.sentAt, due: addDuration(notice.sentAt, p.careContactWithin),
        metAt: context.careContact?.appointedAt ?? null,
      });
    }
  }

  // A SIP duty that was met stays met after a later withdrawal of consent (I-4 applies from then on).
  const sipDuty = (policy.sip === 'required' || policy.sip === 'ifNeeded') && (sipRequired(definition, context) || context.sip.calledAt !== null);

  // V-3: the FVK calls the SIP before the expected discharge date.
  if (policy.sipCallBeforeExpectedDischarge && notice && context.expectedDischargeDate && sipDuty) {
    add({
      id: 'V-3', rule: 'V-3', party: 'oppenvard', label: 'Kalla till SIP före beräknat utskrivningsdatum',
      limit: 'före beräknat utskrivningsdatum',
      startedAt: notice.sentAt, due: startOfLocalDay(context.expectedDischargeDate), metAt: context.sip.calledAt,
    });
  }

  // V-1: the discharge status message, 1–3 days before its reference date.
  const statusReference = statusReferenceDate(definition, context);
  if (policy.statusBeforeDischarge?.required && statusReference && notice) {
    const { earliestDaysBefore, latestDaysBefore } = p.statusMessageWindow;
    const sent = context.statusMessages.find((s) => s.party === 'slutenvard' && s.phase === 'discharge');
    const windowStart = startOfLocalDay(addDays(statusReference, -earliestDaysBefore));
    add({
      id: 'V-1', rule: 'V-1', party: 'slutenvard', label: 'Skicka statusmeddelande inför utskrivning',
      limit: `${latestDaysBefore}–${earliestDaysBefore} dagar före ${REFERENCE_LABEL[policy.statusBeforeDischarge.relativeTo]}`,
      startedAt: windowStart < notice.sentAt ? notice.sentAt : windowStart,
      due: startOfLocalDay(addDays(statusReference, -(latestDaysBefore - 1))),
      metAt: sent?.at ?? null,
      cancelledAt: context.dischargedAt,
    });
  }

  // S-5 / B-2: the SIP call at the latest three days after each ready notice.
  if (p.sipCallWithinAfterReady) {
    context.readyNotices.forEach((ready, index) => {
      if (!sipDuty || !bothHuvudman(context)) return;
      const calledAt = context.sip.calledAt;
      add({
        id: index === 0 ? 'S-5' : `S-5#${index + 1}`, rule: 'S-5', party: 'oppenvard', label: 'Kalla till SIP',
        limit: `senast ${p.sipCallWithinAfterReady!.days} dagar efter utskrivningsklar`,
        startedAt: ready.declaredAt, due: addDuration(ready.declaredAt, p.sipCallWithinAfterReady!),
        metAt: calledAt !== null && (ready.revokedAt === null || calledAt <= ready.revokedAt) ? calledAt : null,
        cancelledAt: ready.revokedAt ?? closedAt,
      });
    });
  }

  // C-8 (K-4): the care contact follows up within two weekdays of discharge.
  if (context.dischargedAt && context.careContact) {
    add({
      id: 'C-8', rule: 'C-8', party: 'oppenvard', label: 'Uppföljningskontakt efter utskrivning',
      limit: `inom ${durationLabel(p.followUpContactWithin)}`,
      startedAt: context.dischargedAt, due: addDuration(context.dischargedAt, p.followUpContactWithin),
      metAt: context.followUpContactAt,
    });
  }

  // V-O2: a first funktionsbedömning four months after the judgment became final.
  if (p.lrvAfterJudgment && context.lrv.judgmentFinalAt) {
    add({
      id: 'V-O2', rule: 'V-O2', party: 'slutenvard', label: 'Dela första funktionsbedömning',
      limit: `${durationLabel(p.lrvAfterJudgment)} efter laga kraft`,
      startedAt: context.lrv.judgmentFinalAt, due: addDuration(context.lrv.judgmentFinalAt, p.lrvAfterJudgment),
      metAt: context.checklist.function_assessment_shared ?? null,
    });
  }

  // V-O3: a court review (and avstämning) every six months after the judgment became final.
  if (p.courtReviewInterval && p.lrvAfterJudgment && context.lrv.judgmentFinalAt) {
    const reviews = context.lrv.courtReviews;
    let from = context.lrv.judgmentFinalAt;
    let interval: { months: number } = p.lrvAfterJudgment;
    for (let i = 0; i <= reviews.length; i += 1) {
      const met = reviews[i] ?? null;
      add({
        id: i === 0 ? 'V-O3' : `V-O3#${i + 1}`, rule: 'V-O3', party: 'slutenvard', label: 'Vårdprövning och avstämning',
        limit: `var ${durationLabel(p.courtReviewInterval)}`,
        startedAt: from, due: addDuration(from, interval), metAt: met,
      });
      if (met === null) break;
      from = met;
      interval = p.courtReviewInterval;
    }
  }

  return out;
}

const REFERENCE_LABEL = {
  expectedDischarge: 'beräknat utskrivningsdatum',
  sipMeeting: 'planerad SIP',
  coordinationMeeting: 'planerat samverkansmöte',
} as const;

function statusReferenceDate(definition: PathwayDefinition, context: CaseContext): LocalDate | null {
  switch (definition.policy.statusBeforeDischarge?.relativeTo) {
    case 'expectedDischarge':
      return context.expectedDischargeDate;
    case 'sipMeeting':
      return context.sip.meetingAt ? localDateOf(context.sip.meetingAt) : null;
    case 'coordinationMeeting':
      return context.coordinationMeeting ? localDateOf(context.coordinationMeeting.meetingAt) : null;
    default:
      return null;
  }
}

/** Needs from both huvudmän: a municipal recipient and öppenvård (B-2, S-5). */
export function bothHuvudman(context: CaseContext): boolean {
  const recipients = context.admissionNotice?.recipients ?? [];
  return recipients.includes('oppenvard') && (recipients.includes('socialtjanst') || recipients.includes('kommunal_hsl'));
}

/** K-7: a deadline's status at `now`. */
export function deadlineStatus(deadline: Deadline, now: Instant): 'pending' | 'met' | 'overdue' | 'cancelled' {
  if (deadline.metAt !== null) return 'met';
  if (deadline.cancelledAt !== null) return deadline.cancelledAt > deadline.due ? 'overdue' : 'cancelled';
  return now >= deadline.due ? 'overdue' : 'pending';
}
