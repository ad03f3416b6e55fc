/**
 * The action catalogue: how each event changes a case's facts. Every action is a pure function of
 * the context and the event (time comes from `event.at`), so a case replays to the same snapshot.
 */
import { addToDate, localDateOf, type Instant, type LocalDate } from '../engine/calendar.ts';
import { disclosureAllowed, noticeRouting, type CaseContext } from './context.ts';
import type { CaseEvent, EngineEvent, EventOf, PathwayId } from './events.ts';
import type { GuardEnv } from './guards.ts';
import type { RecipientParty } from './parties.ts';

type Params = Record<string, string | number | boolean | null> | undefined;

export interface ActionSpec {
  label: string;
  rules: string[];
  run(context: CaseContext, event: CaseEvent | EngineEvent, env: GuardEnv, params: Params): CaseContext;
}

const as = <T extends CaseEvent['type']>(event: CaseEvent | EngineEvent, _type: T) => event as EventOf<T>;

function withExpectedDate(context: CaseContext, date: LocalDate | null | undefined, at: Instant, reason: string): CaseContext {
  if (!date || date === context.expectedDischargeDate) return context;
  return {
    ...context,
    expectedDischargeDate: date,
    expectedDischargeChanges: [...context.expectedDischargeChanges, { date, at, reason }],
  };
}

export const ACTIONS = {
  recordNeeds: {
    label: 'Registrera bedömda behov', rules: ['C-1', 'S-2'],
    run: (c, e) => {
      const ev = as(e, 'ASSESS_NEEDS');
      const any = ev.kommun || ev.oppenvard;
      return {
        ...c,
        needs: {
          assessedAt: ev.at,
          // C-1: needs first identified after admission start the notice's 24 hours from then.
          firstIdentifiedAt: c.needs.firstIdentifiedAt ?? (any && !c.needs.kommun && !c.needs.oppenvard ? ev.at : null),
          kommun: ev.kommun,
          oppenvard: ev.oppenvard,
          socialtjanst: ev.kommun && (ev.socialtjanst ?? true),
          kommunalHsl: ev.kommun && (ev.kommunalHsl ?? true),
          lifeThreatening: ev.lifeThreatening ?? c.needs.lifeThreatening,
          basalHemsjukvard: ev.basalHemsjukvard ?? c.needs.basalHemsjukvard,
        },
      };
    },
  },
  recordConsent: {
    label: 'Dokumentera samtycke', rules: ['I-2'],
    run: (c, e) => {
      const ev = as(e, 'RECORD_CONSENT');
      return { ...c, consent: { ...c.consent, status: ev.given ? 'given' : 'refused', at: ev.at } };
    },
  },
  recordMenprovning: {
    label: 'Dokumentera menprövning', rules: ['I-2', 'I-3'],
    run: (c, e) => {
      const ev = as(e, 'RECORD_MENPROVNING');
      return { ...c, consent: { ...c.consent, menprovning: { disclosureAllowed: ev.disclosureAllowed, at: ev.at } } };
    },
  },
  withdrawConsent: {
    label: 'Dokumentera återkallat samtycke', rules: ['I-4'],
    run: (c, e) => ({ ...c, consent: { status: 'withdrawn', at: e.at, menprovning: null } }),
  },
  recordRefusal: {
    label: 'Dokumentera att den enskilde avböjer', rules: ['C-10'],
    run: (c, e) => {
      const ev = as(e, 'REFUSE');
      return { ...c, refusals: { ...c.refusals, [ev.what]: c.refusals[ev.what] ?? ev.at } };
    },
  },
  sendAdmissionNotice: {
    label: 'Skicka inskrivningsmeddelande', rules: ['C-1', 'I-1', 'S-2', 'S-3', 'V-O1'],
    run: (c, e, { definition }) => {
      const ev = as(e, 'SEND_ADMISSION_NOTICE');
      const routing = noticeRouting(definition, c.needs);
      const previous = c.admissionNotice;
      const recipients = [...new Set<RecipientParty>([...(previous?.recipients ?? []), ...routing.recipients])];
      const informed = routing.informed.filter((p) => !recipients.includes(p));
      const next: CaseContext = {
        ...c,
        admissionNotice: {
          sentAt: previous?.sentAt ?? ev.at,
          recipients,
          informed,
          // I-1: without consent or a positive menprövning only name, personnummer, address and date.
          content: disclosureAllowed(c) ? 'full' : 'minimal',
        },
      };
      const initial = definition.parameters.lrvInitialExpectedStay;
      if (definition.policy.legalFrame === 'lrv' && initial && !previous) {
        // V-O1: the expected date is four months after the notice was sent.
        return withExpectedDate(next, addToDate(localDateOf(ev.at), initial), ev.at, 'V-O1');
      }
      return withExpectedDate(next, ev.expectedDischargeDate, ev.at, 'C-4');
    },
  },
  setExpectedDischarge: {
    label: 'Justera beräknat utskrivningsdatum', rules: ['C-4'],
    run: (c, e) => {
      const ev = as(e, 'SET_EXPECTED_DISCHARGE');
      return withExpectedDate(c, ev.date, ev.at, 'C-4');
    },
  },
  confirmItem: {
    label: 'Bekräfta kriterium', rules: ['C-5', 'C-11'],
    run: (c, e) => {
      const ev = as(e, 'CONFIRM');
      if (ev.item in c.criteria) {
        const key = ev.item as keyof CaseContext['criteria'];
        return { ...c, criteria: { ...c.criteria, [key]: c.criteria[key] ?? ev.at } };
      }
      const key = ev.item as keyof CaseContext['checklist'];
      return { ...c, checklist: { ...c.checklist, [key]: c.checklist[key] ?? ev.at } };
    },
  },
  recordAcknowledgement: {
    label: 'Registrera kvittens', rules: ['C-2'],
    run: (c, e) => {
      const ev = as(e, 'ACKNOWLEDGE');
      return {
        ...c,
        acknowledgements: [...c.acknowledgements, { party: ev.party, of: ev.of, at: ev.at, homeArrivalAt: ev.homeArrivalAt ?? null }],
      };
    },
  },
  recordStatusMessage: {
    label: 'Registrera statusmeddelande', rules: ['C-2', 'V-1'],
    run: (c, e) => {
      const ev = as(e, 'SEND_STATUS');
      return { ...c, statusMessages: [...c.statusMessages, { party: ev.party, phase: ev.phase, at: ev.at }] };
    },
  },
  appointCareContact: {
    label: 'Utse fast vårdkontakt', rules: ['C-3', 'S-9'],
    run: (c, e) => {
      const ev = as(e, 'APPOINT_CARE_CONTACT');
      return {
        ...c,
        careContact: {
          name: ev.name, phone: ev.phone, profession: ev.profession, licensedPhysician: ev.licensedPhysician,
          unit: ev.unit ?? null, appointedAt: ev.at,
        },
      };
    },
  },
  reviewExistingSip: {
    label: 'Registrera granskning av befintlig SIP', rules: ['S-3'],
    run: (c, e) => {
      const ev = as(e, 'REVIEW_EXISTING_SIP');
      return { ...c, sip: { ...c.sip, existing: { exists: ev.exists, needsUpdate: ev.needsUpdate, at: ev.at } } };
    },
  },
  callSip: {
    label: 'Kalla till SIP', rules: ['S-3', 'S-5', 'V-3'],
    run: (c, e) => {
      const ev = as(e, 'CALL_SIP');
      return { ...c, sip: { ...c.sip, calledAt: c.sip.calledAt ?? ev.at, meetingAt: ev.meetingAt, place: ev.place ?? null } };
    },
  },
  establishSip: {
    label: 'Registrera upprättad SIP', rules: ['S-4', 'I-5'],
    run: (c, e) => {
      const ev = as(e, 'ESTABLISH_SIP');
      return { ...c, sip: { ...c.sip, establishedAt: ev.at, followUpAt: ev.followUpAt ?? null } };
    },
  },
  followUpSip: {
    label: 'Registrera uppföljning av SIP', rules: ['S-4'],
    run: (c, e) => {
      const ev = as(e, 'FOLLOW_UP_SIP');
      return { ...c, sip: { ...c.sip, followUps: [...c.sip.followUps, ev.at], closedAt: ev.close ? ev.at : c.sip.closedAt } };
    },
  },
  declareReady: {
    label: 'Meddela utskrivningsklar', rules: ['C-5', 'S-6', 'V-2'],
    run: (c, e) => ({ ...c, readyNotices: [...c.readyNotices, { declaredAt: e.at, revokedAt: null }] }),
  },
  revokeReady: {
    label: 'Återkalla utskrivningsklar', rules: ['C-6'],
    run: (c, e) => {
      const ev = as(e, 'REVOKE_READY');
      const readyNotices = c.readyNotices.map((r, i) => (i === c.readyNotices.length - 1 ? { ...r, revokedAt: ev.at } : r));
      return withExpectedDate({ ...c, readyNotices }, ev.newExpectedDischargeDate, ev.at, 'C-6');
    },
  },
  discharge: {
    label: 'Skriv ut', rules: ['C-11'],
    run: (c, e) => ({ ...c, dischargedAt: e.at }),
  },
  followUpContact: {
    label: 'Registrera uppföljningskontakt', rules: ['C-8'],
    run: (c, e) => ({ ...c, followUpContactAt: c.followUpContactAt ?? e.at }),
  },
  recordPermission: {
    label: 'Registrera permission', rules: ['S-8'],
    run: (c, e) => {
      const ev = as(e, 'RECORD_PERMISSION');
      return { ...c, permissions: [...c.permissions, { from: ev.from, to: ev.to }] };
    },
  },
  recordLptIntake: {
    label: 'Registrera intagningsbeslut', rules: ['V-L1', 'V-L2'],
    run: (c, e, { definition }) => {
      const ev = as(e, 'LPT_INTAKE_DECISION');
      const p = definition.parameters;
      const readmission = ev.readmissionFromOpt === true;
      const stay = readmission ? p.lptReadmissionHolds : p.lptExpectedStay;
      const next = { ...c, lpt: { ...c.lpt, intakeAt: ev.at, readmission } };
      return stay ? withExpectedDate(next, addToDate(localDateOf(ev.at), stay), ev.at, readmission ? 'V-L2' : 'V-L1') : next;
    },
  },
  recordLptExtension: {
    label: 'Registrera förlängning', rules: ['V-L1'],
    run: (c, e) => {
      const ev = as(e, 'LPT_EXTENDED');
      return withExpectedDate({ ...c, lpt: { ...c.lpt, extendedUntil: ev.until } }, ev.until, ev.at, 'V-L1');
    },
  },
  recordLptEnded: {
    label: 'Registrera att LPT avskrivs', rules: ['V-L1'],
    run: (c, e) => {
      const ev = as(e, 'LPT_ENDED');
      return withExpectedDate({ ...c, lpt: { ...c.lpt, endedAt: ev.at } }, ev.newExpectedDischargeDate, ev.at, 'V-L1');
    },
  },
  recordOptDecision: {
    label: 'Registrera beslut om ÖPT', rules: ['V-L4'],
    run: (c, e) => ({ ...c, lpt: { ...c.lpt, optDecidedAt: e.at } }),
  },
  callCoordinationMeeting: {
    label: 'Kalla till samverkansmöte', rules: ['V-L3', 'V-O4'],
    run: (c, e) => {
      const ev = as(e, 'CALL_COORDINATION_MEETING');
      return { ...c, coordinationMeeting: { calledAt: ev.at, meetingAt: ev.meetingAt } };
    },
  },
  recordJudgmentFinal: {
    label: 'Registrera att domen vunnit laga kraft', rules: ['V-O2'],
    run: (c, e, { definition }) => {
      const months = definition.parameters.lrvAfterJudgment;
      const next = { ...c, lrv: { ...c.lrv, judgmentFinalAt: e.at } };
      return months ? withExpectedDate(next, addToDate(localDateOf(e.at), months), e.at, 'V-O2') : next;
    },
  },
  recordCourtReview: {
    label: 'Registrera vårdprövning', rules: ['V-O3'],
    run: (c, e, { definition }) => {
      const interval = definition.parameters.courtReviewInterval;
      const next = { ...c, lrv: { ...c.lrv, courtReviews: [...c.lrv.courtReviews, e.at] } };
      return interval ? withExpectedDate(next, addToDate(localDateOf(e.at), interval), e.at, 'V-O3') : next;
    },
  },
  recordOrvDecision: {
    label: 'Registrera beslut om ÖRV', rules: ['V-O5'],
    run: (c, e) => ({ ...c, lrv: { ...c.lrv, orvDecidedAt: e.at } }),
  },
  recordLrvEndedByChiefPhysician: {
    label: 'Registrera chefsöverläkarens beslut', rules: ['V-O5'],
    run: (c, e) => ({ ...c, lrv: { ...c.lrv, endedByChiefPhysicianAt: e.at } }),
  },
  closeCase: {
    label: 'Avsluta ärendet', rules: ['C-7', 'S-7', 'V-O6'],
    run: (c, e, _env, params) => {
      const afterDischarge = c.dischargedAt !== null && typeof params?.reasonAfterDischarge === 'string';
      const reason = afterDischarge ? String(params!.reasonAfterDischarge)
        : typeof params?.reason === 'string' ? params.reason : String((e as { reason?: string }).reason ?? '');
      return { ...c, closed: { reason, at: e.at } };
    },
  },
  recordReclassification: {
    label: 'Registrera byte av process', rules: ['C-9'],
    run: (c, e, { definition }) => {
      const from = (e as EngineEvent).from as PathwayId;
      return {
        ...c,
        pathway: definition.id,
        // C-1: a reclassification into a covered pathway is the doctor's later assessment of needs.
        needs: { ...c.needs, firstIdentifiedAt: c.needs.firstIdentifiedAt ?? (c.admissionNotice ? null : e.at) },
        reclassifications: [...c.reclassifications, { from, to: definition.id, at: e.at }],
      };
    },
  },
} satisfies Record<string, ActionSpec>;

export type ActionName = keyof typeof ACTIONS;
