/**
 * The guard catalogue: every precondition a pathway can place on a transition, named for the fact
 * it checks, with the rule it implements, the party that must act when it fails and the sentence
 * shown to staff. Blockers and refusals are read from here and nowhere else.
 */
import { localDateOf } from '../engine/calendar.ts';
import { careContactRequired, currentReadyNotice, disclosureAllowed, noticeRouting, sipRequired, type CaseContext } from './context.ts';
import type { PathwayDefinition } from './definition.ts';
import type { CaseEvent } from './events.ts';
import type { PartyId, RecipientParty } from './parties.ts';

export interface GuardEnv {
  definition: PathwayDefinition;
}

type Params = Record<string, string | number | boolean> | undefined;

export interface GuardSpec {
  rule: string;
  party: PartyId;
  /** Swedish sentence stating what is missing when the guard fails. */
  reason: string;
  reasonEn: string;
  /**
   * `state`: decided by the case's facts alone, so it can be shown as a blocker before anyone acts.
   * `payload`: also reads the event's fields, so it is checked only when an event arrives.
   * `routing`: selects which transition an event addresses; never a blocker.
   */
  kind: 'state' | 'payload' | 'routing';
  /**
   * The case has not reached this point yet (not discharged, no ready notice): a wait in the course
   * of care, not a duty — so no worklist asks anyone to act on it.
   */
  milestone?: true;
  /** The events that make it hold (a worklist row offers the first the party may send). */
  resolvedBy?: readonly string[];
  check(context: CaseContext, event: CaseEvent, env: GuardEnv, params: Params): boolean;
}

const field = (event: CaseEvent, name: string): unknown => (event as unknown as Record<string, unknown>)[name];

export const GUARDS = {
  eventMatches: {
    rule: 'C-9', party: 'slutenvard', kind: 'routing',
    reason: 'Händelsen gäller en annan part eller ett annat meddelande', reasonEn: 'The event addresses another party or message',
    check: (_c, event, _e, params) => Object.entries(params ?? {}).every(([k, v]) => field(event, k) === v),
  },
  isRecipient: {
    rule: 'S-2', party: 'slutenvard', kind: 'routing',
    reason: 'Parten är inte mottagare av inskrivningsmeddelandet', reasonEn: 'The party did not receive the admission notice',
    check: (c, _e, _env, params) => c.admissionNotice?.recipients.includes(params?.party as RecipientParty) ?? false,
  },
  isInformedOnly: {
    rule: 'S-2', party: 'slutenvard', kind: 'routing',
    reason: 'Parten har fått inskrivningsmeddelandet för kännedom', reasonEn: 'The party was informed only',
    check: (c, _e, _env, params) => c.admissionNotice?.informed.includes(params?.party as RecipientParty) ?? false,
  },
  isNotRecipient: {
    rule: 'S-2', party: 'slutenvard', kind: 'routing',
    reason: 'Parten är mottagare av inskrivningsmeddelandet', reasonEn: 'The party received the admission notice',
    check: (c, _e, _env, params) => !(c.admissionNotice?.recipients.includes(params?.party as RecipientParty) ?? false),
  },
  needsAssessed: {
    rule: 'S-2', party: 'slutenvard', kind: 'state', resolvedBy: ['ASSESS_NEEDS'],
    reason: 'Behovet av insatser efter utskrivning är inte bedömt: vilken huvudman avser behovet?',
    reasonEn: 'Needs after discharge have not been assessed: which huvudman do they concern?',
    check: (c) => c.needs.assessedAt !== null,
  },
  needsFitPathway: {
    rule: 'C-9', party: 'slutenvard', kind: 'state',
    reason: 'Bedömda behov passar inte processen – byt process',
    reasonEn: 'The assessed needs do not fit this pathway – change pathway',
    check: (c, _e, { definition }) => {
      const { kommun, oppenvard } = c.needs;
      switch (definition.policy.routing) {
        case 'oneHuvudman': return kommun !== oppenvard; // S-2: needs from exactly one huvudman
        case 'bothHuvudman': return kommun && oppenvard; // S-3: needs from both
        case 'byNeeds': return kommun || oppenvard;
        case 'none': return !kommun && !oppenvard; // S-1
      }
    },
  },
  hasUnnotifiedRecipients: {
    rule: 'C-1', party: 'slutenvard', kind: 'routing',
    reason: 'Alla mottagare har redan fått inskrivningsmeddelandet', reasonEn: 'Every recipient already has the admission notice',
    check: (c, _e, { definition }) => {
      const sent = new Set(c.admissionNotice?.recipients ?? []);
      return noticeRouting(definition, c.needs).recipients.some((p) => !sent.has(p));
    },
  },
  writtenInformationGiven: {
    rule: 'C-5', party: 'slutenvard', kind: 'state', resolvedBy: ['CONFIRM'],
    reason: 'Den enskilde har inte fått skriftlig information (3 kap. patientlagen)',
    reasonEn: 'The individual has not received written information',
    check: (c) => c.criteria.written_information !== null,
  },
  careContactAppointed: {
    rule: 'C-5', party: 'oppenvard', kind: 'state', resolvedBy: ['APPOINT_CARE_CONTACT'],
    reason: 'Fast vårdkontakt är inte utsedd', reasonEn: 'No care contact has been appointed',
    check: (c) => !careContactRequired(c) || c.careContact !== null,
  },
  informationTransferred: {
    rule: 'C-5', party: 'slutenvard', kind: 'state', resolvedBy: ['CONFIRM'],
    reason: 'Väsentlig information har inte överförts till enheterna som fått inskrivningsmeddelandet',
    reasonEn: 'Essential information has not been transferred to the notified units',
    check: (c) => c.criteria.information_transferred !== null,
  },
  aidsAvailable: {
    rule: 'C-5', party: 'slutenvard', kind: 'state', resolvedBy: ['CONFIRM'],
    reason: 'Hjälpmedel och medicintekniska produkter som regionen ansvarar för är inte tillgängliga',
    reasonEn: 'Aids and medical devices the region is responsible for are not available',
    check: (c) => c.criteria.aids_available !== null,
  },
  careContactQualified: {
    rule: 'C-3', party: 'oppenvard', kind: 'state',
    reason: 'Livshotande tillstånd: fast vårdkontakt ska vara legitimerad läkare',
    reasonEn: 'Life-threatening condition: the care contact must be a licensed physician',
    check: (c) => !c.needs.lifeThreatening || c.careContact === null || c.careContact.licensedPhysician,
  },
  appointeeQualified: {
    rule: 'C-3', party: 'oppenvard', kind: 'payload',
    reason: 'Livshotande tillstånd: fast vårdkontakt ska vara legitimerad läkare',
    reasonEn: 'Life-threatening condition: the care contact must be a licensed physician',
    check: (c, event) => !c.needs.lifeThreatening || field(event, 'licensedPhysician') === true,
  },
  careContactExists: {
    rule: 'S-3', party: 'oppenvard', kind: 'state', resolvedBy: ['APPOINT_CARE_CONTACT'],
    reason: 'Fast vårdkontakt är inte utsedd – det är den fasta vårdkontakten som kallar till SIP',
    reasonEn: 'No care contact: the care contact calls the SIP',
    check: (c) => c.careContact !== null,
  },
  disclosureAllowed: {
    rule: 'I-3', party: 'individ', kind: 'state',
    reason: 'Samtycke saknas och ingen menprövning tillåter att uppgifter lämnas ut',
    reasonEn: 'No consent and no menprövning allowing disclosure',
    check: (c) => disclosureAllowed(c),
  },
  sipConsent: {
    rule: 'I-5', party: 'individ', kind: 'state',
    reason: 'Samtycke eller menprövning som tillåter SIP saknas',
    reasonEn: 'No consent or menprövning allowing a SIP',
    check: (c) => disclosureAllowed(c),
  },
  sipNotDeclined: {
    rule: 'C-10', party: 'individ', kind: 'state',
    reason: 'Den enskilde har avböjt SIP', reasonEn: 'The individual has declined a SIP',
    check: (c) => c.refusals.sip === null,
  },
  sipCalled: {
    rule: 'S-4', party: 'oppenvard', kind: 'routing', milestone: true,
    reason: 'Ingen kallelse till SIP har skickats', reasonEn: 'No SIP call has been sent',
    check: (c) => c.sip.calledAt !== null,
  },
  sipHeldBeforeDischarge: {
    rule: 'S-4', party: 'oppenvard', kind: 'state', resolvedBy: ['ESTABLISH_SIP'],
    reason: 'Inledande SIP på sjukhus är inte upprättad (krävs före utskrivning när den enskilde samtyckt)',
    reasonEn: 'The initial SIP at the hospital has not been established',
    check: (c, _e, { definition }) => !sipRequired(definition, c) || c.sip.establishedAt !== null,
  },
  consentDecided: {
    rule: 'I-2', party: 'slutenvard', kind: 'state', resolvedBy: ['RECORD_CONSENT', 'RECORD_MENPROVNING'],
    reason: 'Samtycke eller menprövning är inte dokumenterat', reasonEn: 'Consent or menprövning is not documented',
    check: (c) => c.consent.status !== 'unknown' || c.consent.menprovning !== null || c.refusals.sip !== null,
  },
  readyDeclared: {
    rule: 'C-5', party: 'slutenvard', kind: 'routing', milestone: true,
    reason: 'Den enskilde är inte meddelad utskrivningsklar', reasonEn: 'No ready-for-discharge notice',
    check: (c) => currentReadyNotice(c) !== null,
  },
  compulsoryCareResolved: {
    rule: 'V-L4', party: 'slutenvard', kind: 'state', milestone: true,
    reason: 'Förvaltningsrätten har inte beslutat om ÖPT och LPT är inte avskrivet',
    reasonEn: 'The court has not decided on ÖPT and LPT has not ended',
    check: (c) => c.lpt.optDecidedAt !== null || c.lpt.endedAt !== null,
  },
  forensicReleaseDecided: {
    rule: 'V-O5', party: 'slutenvard', kind: 'state', milestone: true,
    reason: 'Varken beslut om ÖRV eller chefsöverläkarens beslut om att LRV upphör finns',
    reasonEn: 'Neither an ÖRV decision nor the chief physician\'s decision to end LRV exists',
    check: (c) => c.lrv.orvDecidedAt !== null || c.lrv.endedByChiefPhysicianAt !== null,
  },
  lptIntakeRecorded: {
    rule: 'V-L1', party: 'slutenvard', kind: 'state', resolvedBy: ['LPT_INTAKE_DECISION'],
    reason: 'Intagningsbeslut enligt LPT är inte registrerat', reasonEn: 'No LPT intake decision recorded',
    check: (c) => c.lpt.intakeAt !== null,
  },
  judgmentFinal: {
    rule: 'V-O3', party: 'slutenvard', kind: 'state', milestone: true,
    reason: 'Domen har inte vunnit laga kraft', reasonEn: 'The judgment has not become final',
    check: (c) => c.lrv.judgmentFinalAt !== null,
  },
  noNeedsAfterDischarge: {
    rule: 'S-1', party: 'slutenvard', kind: 'state',
    reason: 'Behov av insatser efter utskrivning är bedömt – byt process (grå omfattas inte av lagen)',
    reasonEn: 'Needs after discharge were assessed – change pathway (GRÅ is outside the law)',
    check: (c) => !c.needs.kommun && !c.needs.oppenvard,
  },
  isDischarged: {
    rule: 'S-7', party: 'slutenvard', kind: 'state', milestone: true,
    reason: 'Den enskilde är inte utskriven', reasonEn: 'The individual has not been discharged',
    check: (c) => c.dischargedAt !== null,
  },
  sipSettled: {
    rule: 'S-7', party: 'oppenvard', kind: 'state', resolvedBy: ['ESTABLISH_SIP', 'REFUSE'],
    reason: 'SIP är inte upprättad', reasonEn: 'The SIP has not been established',
    check: (c, _e, { definition }) => !sipRequired(definition, c) || c.sip.establishedAt !== null,
  },
  followUpContactMade: {
    rule: 'C-8', party: 'oppenvard', kind: 'state', resolvedBy: ['FOLLOW_UP_CONTACT'],
    reason: 'Fast vårdkontakt har inte följt upp efter utskrivning', reasonEn: 'The care contact has not followed up after discharge',
    check: (c) => c.careContact === null || c.followUpContactAt !== null,
  },
  sameRoutine: {
    rule: 'C-9', party: 'slutenvard', kind: 'payload',
    reason: 'Byte av process kan bara ske till en annan process i samma regionala rutin',
    reasonEn: 'A case can only move to another pathway of the same routine',
    check: (c, event) => {
      const target = String(field(event, 'pathway') ?? '');
      return target !== c.pathway && target.slice(0, 4) === c.pathway.slice(0, 4);
    },
  },
  expectedDateNotBeforeAdmission: {
    rule: 'C-4', party: 'slutenvard', kind: 'payload',
    reason: 'Beräknat utskrivningsdatum kan inte ligga före inskrivningen', reasonEn: 'The expected discharge date is before admission',
    check: (c, event) => {
      const date = field(event, 'date') ?? field(event, 'expectedDischargeDate') ?? field(event, 'newExpectedDischargeDate') ?? field(event, 'until');
      return typeof date !== 'string' || date >= localDateOf(c.admittedAt);
    },
  },
  meetingNotBeforeCall: {
    rule: 'S-4', party: 'oppenvard', kind: 'payload',
    reason: 'Mötet kan inte ligga före kallelsen', reasonEn: 'The meeting cannot be before the call',
    check: (_c, event) => String(field(event, 'meetingAt')) >= event.at,
  },
  permissionPeriodValid: {
    rule: 'S-8', party: 'slutenvard', kind: 'payload',
    reason: 'Permissionen måste sluta efter att den börjat', reasonEn: 'The leave must end after it starts',
    check: (_c, event) => String(field(event, 'to')) > String(field(event, 'from')),
  },
} satisfies Record<string, GuardSpec>;

export type GuardName = keyof typeof GUARDS;

export function getGuard(name: string): GuardSpec {
  const spec = (GUARDS as Record<string, GuardSpec>)[name];
  if (!spec) throw new Error(`Unknown guard ${name}`);
  return spec;
}
