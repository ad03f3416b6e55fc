/**
 * Building blocks shared by every pathway: the lanes of the routines' swimlanes, written once and
 * shaped by a pathway's policy. A pathway differs from another only by the policy and parameters
 * passed in here (see `pathways.ts`).
 */
import type { ActionRef, GuardRef, PathwayPolicy, RegionDef, StateDef, TransitionDef } from './definition.ts';
import type { EventType } from './events.ts';
import { PARTY_LABELS, type PartyId, type PhaseId, type RecipientParty } from './parties.ts';

type TransitionOptions = Omit<TransitionDef, 'event' | 'meta'> & { rules: string[]; party: PartyId; label: string; labelEn: string };

function on(event: TransitionDef['event'], options: TransitionOptions): TransitionDef {
  const { rules, party, label, labelEn, ...rest } = options;
  return { event, ...rest, meta: { label, labelEn, party, rules } };
}

function state(party: PartyId, phase: PhaseId, rules: string[], label: string, labelEn: string, transitions: TransitionDef[] = [], description?: string): StateDef {
  return { meta: { label, labelEn, party, phase, rules, ...(description ? { description } : {}) }, on: transitions };
}

/** A lane's end before discharge (not concerned, a declined SIP): no way out, on purpose. */
const terminal = (s: StateDef): StateDef => ({ ...s, meta: { ...s.meta, terminal: true } });

const g = (type: string, params?: GuardRef['params']): GuardRef => (params ? { type, params } : { type });
const a = (type: string, params?: ActionRef['params']): ActionRef => (params ? { type, params } : { type });
const raise = (event: string): ActionRef => ({ type: 'raise', params: { event } });

/** Events the inpatient ward records at any time during the stay. */
function stayRecords(policy: PathwayPolicy): TransitionDef[] {
  const sv: PartyId = 'slutenvard';
  const records = [
    on('ASSESS_NEEDS', { party: sv, rules: ['C-1', 'C-9'], label: 'Bedöm behov efter utskrivning', labelEn: 'Assess needs', actions: [a('recordNeeds')] }),
    on('SET_EXPECTED_DISCHARGE', {
      party: sv, rules: ['C-4'], label: 'Justera beräknat utskrivningsdatum', labelEn: 'Set expected discharge date',
      guards: [g('expectedDateNotBeforeAdmission')], actions: [a('setExpectedDischarge')],
    }),
    on('CONFIRM', { party: sv, rules: ['C-5', 'C-11'], label: 'Bekräfta kriterium', labelEn: 'Confirm criterion', actions: [a('confirmItem')] }),
  ];
  if (policy.region === 'sth') {
    records.push(on('RECORD_PERMISSION', {
      party: sv, rules: ['S-8'], label: 'Registrera permission', labelEn: 'Record leave',
      guards: [g('permissionPeriodValid')], actions: [a('recordPermission')],
    }));
  }
  return records;
}

/** The psychiatric legal frame's decisions (V-L1 … V-L4, V-O1 … V-O5). */
function legalFrameRecords(policy: PathwayPolicy, inStay: boolean): TransitionDef[] {
  const sv: PartyId = 'slutenvard';
  const meeting = on('CALL_COORDINATION_MEETING', {
    party: sv, rules: policy.legalFrame === 'lpt' ? ['V-L3'] : ['V-O4'],
    label: policy.legalFrame === 'lpt' ? 'Kalla till samverkansmöte' : 'Kalla till samordnad planering',
    labelEn: 'Call coordination meeting', guards: [g('meetingNotBeforeCall')], actions: [a('callCoordinationMeeting')],
  });
  if (policy.legalFrame === 'lpt') {
    return [
      on('LPT_INTAKE_DECISION', { party: sv, rules: ['V-L1', 'V-L2'], label: 'Intagningsbeslut LPT', labelEn: 'LPT intake decision', actions: [a('recordLptIntake')] }),
      on('LPT_EXTENDED', {
        party: sv, rules: ['V-L1'], label: 'Förlängning LPT', labelEn: 'LPT extended',
        guards: [g('lptIntakeRecorded'), g('expectedDateNotBeforeAdmission')], actions: [a('recordLptExtension')],
      }),
      on('LPT_ENDED', {
        party: sv, rules: ['V-L1'], label: 'LPT avskrivs', labelEn: 'LPT ended',
        guards: [g('lptIntakeRecorded'), g('expectedDateNotBeforeAdmission')], actions: [a('recordLptEnded')],
      }),
      ...(inStay ? [meeting] : []),
      on('OPT_DECIDED', { party: sv, rules: ['V-L4'], label: 'Beslut om ÖPT', labelEn: 'ÖPT decided', guards: [g('lptIntakeRecorded')], actions: [a('recordOptDecision')] }),
    ];
  }
  if (policy.legalFrame === 'lrv') {
    return [
      on('JUDGMENT_FINAL', { party: sv, rules: ['V-O2'], label: 'Domen vinner laga kraft', labelEn: 'Judgment final', actions: [a('recordJudgmentFinal')] }),
      on('COURT_REVIEW_HELD', { party: sv, rules: ['V-O3'], label: 'Vårdprövning', labelEn: 'Court review', guards: [g('judgmentFinal')], actions: [a('recordCourtReview')] }),
      ...(inStay ? [meeting] : []),
      on('ORV_DECIDED', { party: sv, rules: ['V-O5'], label: 'Beslut om ÖRV', labelEn: 'ÖRV decided', actions: [a('recordOrvDecision')] }),
      on('LRV_ENDED_BY_CHIEF_PHYSICIAN', {
        party: sv, rules: ['V-O5'], label: 'Chefsöverläkaren beslutar att LRV upphör', labelEn: 'Chief physician ends LRV',
        actions: [a('recordLrvEndedByChiefPhysician')],
      }),
    ];
  }
  return [];
}

function admissionNotice(policy: PathwayPolicy, supplementary: boolean): TransitionDef {
  const routingRule = policy.region === 'vrm' ? 'C-1' : policy.routing === 'oneHuvudman' ? 'S-2' : 'S-3';
  const guards = supplementary
    ? [g('hasUnnotifiedRecipients'), g('needsFitPathway')]
    : [...(policy.routing === 'oneHuvudman' ? [g('needsAssessed')] : []), g('needsFitPathway'), g('expectedDateNotBeforeAdmission')];
  return on('SEND_ADMISSION_NOTICE', {
    party: 'slutenvard',
    rules: ['C-1', 'I-1', routingRule, ...(policy.legalFrame === 'lrv' ? ['V-O1'] : [])],
    label: supplementary ? 'Skicka inskrivningsmeddelande till nya mottagare' : 'Skicka inskrivningsmeddelande',
    labelEn: supplementary ? 'Send admission notice to new recipients' : 'Send admission notice',
    ...(supplementary ? {} : { target: 'vardtid' }),
    guards,
    actions: [a('sendAdmissionNotice'), raise('notice.sent')],
  });
}

export function inpatientLane(policy: PathwayPolicy): RegionDef {
  const sv: PartyId = 'slutenvard';
  const label = policy.inpatientLabel ?? { label: PARTY_LABELS.slutenvard.sv, labelEn: PARTY_LABELS.slutenvard.en };
  const records = stayRecords(policy);

  if (!policy.coveredByLaw) {
    // S-1: GRÅ — no notice, no care contact, no SIP; the case ends with the discharge.
    return {
      meta: { ...label, party: sv },
      initial: 'inskriven',
      states: {
        inskriven: state(sv, 'vardtid', ['S-1'], 'Inskriven – omfattas inte av lagen om samverkan', 'Admitted – outside the law', [
          ...records,
          on('DISCHARGE', {
            party: sv, rules: ['S-1', 'C-11'], label: 'Skriv ut', labelEn: 'Discharge', target: '#avslutad',
            guards: [g('noNeedsAfterDischarge')],
            actions: [a('discharge'), a('closeCase', { reason: 'Utskriven (grå: omfattas inte av lagen om samverkan)' })],
          }),
        ]),
      },
    };
  }

  const readyGuards = [
    g('writtenInformationGiven'), g('careContactAppointed'), g('informationTransferred'), g('aidsAvailable'),
    g('careContactQualified'), ...(policy.readyGate ? [g(policy.readyGate)] : []),
  ];
  const readyRules = ['C-5', 'C-3', policy.region === 'sth' ? 'S-6' : 'V-2',
    ...(policy.readyGate === 'compulsoryCareResolved' ? ['V-L4'] : policy.readyGate === 'forensicReleaseDecided' ? ['V-O5'] : [])];
  const dischargeStatus = policy.statusBeforeDischarge
    ? [on('SEND_STATUS', {
        party: sv, rules: ['V-1', 'I-3'], label: 'Skicka statusmeddelande inför utskrivning', labelEn: 'Send discharge status message',
        match: { party: 'slutenvard', phase: 'discharge' }, guards: [g('disclosureAllowed')], actions: [a('recordStatusMessage')],
      })]
    : [];
  const dischargeGuards = policy.sipBeforeDischarge ? [g('consentDecided'), g('sipHeldBeforeDischarge')] : [];

  return {
    meta: { ...label, party: sv },
    initial: 'inskriven',
    states: {
      inskriven: state(sv, 'inskrivning', ['C-1', 'I-2'], 'Inskriven – skicka inskrivningsmeddelande', 'Admitted – send the admission notice', [
        ...records,
        ...legalFrameRecords(policy, false),
        admissionNotice(policy, false),
      ]),
      vardtid: state(sv, 'vardtid', ['C-4', 'C-5'], 'Planering inför utskrivning', 'Planning for discharge', [
        ...records,
        ...legalFrameRecords(policy, true),
        ...dischargeStatus,
        admissionNotice(policy, true),
        on('DECLARE_READY', {
          party: sv, rules: readyRules, label: 'Meddela utskrivningsklar', labelEn: 'Declare ready for discharge',
          target: 'utskrivningsklar', guards: readyGuards, actions: [a('declareReady'), raise('ready.declared')],
        }),
      ]),
      utskrivningsklar: state(sv, 'utskrivningsklar', ['C-5', 'C-6', 'C-11'], 'Utskrivningsklar', 'Ready for discharge', [
        ...records,
        ...dischargeStatus,
        ...(policy.legalFrame === 'lrv' ? legalFrameRecords(policy, false).filter((t) => t.event === 'COURT_REVIEW_HELD') : []),
        on('REVOKE_READY', {
          party: sv, rules: ['C-6'], label: 'Återkalla utskrivningsklar', labelEn: 'Revoke ready notice', target: 'vardtid',
          guards: [g('expectedDateNotBeforeAdmission')], actions: [a('revokeReady'), raise('ready.revoked')],
        }),
        on('DISCHARGE', {
          party: sv, rules: ['C-11', ...(policy.sipBeforeDischarge ? ['S-4'] : [])], label: 'Skriv ut', labelEn: 'Discharge',
          target: 'utskriven', guards: dischargeGuards, actions: [a('discharge'), raise('discharged')],
        }),
      ]),
      utskriven: state(sv, 'hemgang', ['C-11'], 'Utskriven', 'Discharged', [
        on('CONFIRM', { party: sv, rules: ['C-11'], label: 'Bekräfta kriterium', labelEn: 'Confirm criterion', actions: [a('confirmItem')] }),
        ...(policy.legalFrame === 'lrv' ? legalFrameRecords(policy, false).filter((t) => t.event === 'COURT_REVIEW_HELD') : []),
      ]),
    },
  };
}

/**
 * Reactions of a recipient lane to the admission notice (S-2, S-3): it becomes a recipient, or
 * (where the pathway's routing allows) is told "för kännedom" or is not concerned.
 */
function noticeReactions(party: RecipientParty, outcomes: { informed: boolean; notConcerned: boolean }): TransitionDef[] {
  const meta = { party, rules: ['S-2', 'S-3'], label: 'Tar emot inskrivningsmeddelande', labelEn: 'Receives the admission notice' };
  return [
    on('notice.sent', { ...meta, target: 'attKvittera', guards: [g('isRecipient', { party })] }),
    ...(outcomes.informed ? [on('notice.sent', { ...meta, label: 'Får meddelandet för kännedom', labelEn: 'Informed only', target: 'forKannedom', guards: [g('isInformedOnly', { party })] })] : []),
    ...(outcomes.notConcerned ? [on('notice.sent', { ...meta, label: 'Inte mottagare', labelEn: 'Not a recipient', target: 'ejBerord', guards: [g('isNotRecipient', { party })] })] : []),
  ];
}

function acknowledge(party: RecipientParty, of: 'ADMISSION_NOTICE' | 'READY' | 'SIP_CALL', target?: string): TransitionDef {
  const labels = {
    ADMISSION_NOTICE: ['Kvittera inskrivningsmeddelande', 'Acknowledge admission notice', 'C-2'],
    READY: ['Kvittera utskrivningsklar', 'Acknowledge ready notice', 'V-2'],
    SIP_CALL: ['Kvittera kallelse till SIP', 'Acknowledge SIP call', 'S-4'],
  } as const;
  const [label, labelEn, rule] = labels[of];
  const guards = [g('isRecipient', { party }), ...(of === 'SIP_CALL' ? [g('sipCalled')] : of === 'READY' ? [g('readyDeclared')] : [])];
  return on('ACKNOWLEDGE', {
    party, rules: [rule], label, labelEn, match: { party, of }, guards, actions: [a('recordAcknowledgement')], ...(target ? { target } : {}),
  });
}

function admissionStatus(party: RecipientParty, target?: string): TransitionDef {
  return on('SEND_STATUS', {
    party, rules: ['C-2', 'I-3'], label: 'Statusmeddelande inför inskrivning', labelEn: 'Admission status message',
    match: { party, phase: 'admission' }, guards: [g('disclosureAllowed')], actions: [a('recordStatusMessage')], ...(target ? { target } : {}),
  });
}

function notConcerned(party: PartyId): RegionDef {
  return {
    meta: { label: PARTY_LABELS[party].sv, labelEn: PARTY_LABELS[party].en, party },
    initial: 'ejBerord',
    states: { ejBerord: terminal(state(party, 'inskrivning', ['S-1'], 'Ej berörd', 'Not concerned')) },
  };
}

/** Kommunal hälso- och sjukvård or socialtjänsten. */
export function municipalLane(policy: PathwayPolicy, party: 'kommunal_hsl' | 'socialtjanst'): RegionDef {
  if (!policy.coveredByLaw) return notConcerned(party);
  const toReady = on('ready.declared', { party, rules: ['C-5'], label: 'Meddelas utskrivningsklar', labelEn: 'Told ready', target: 'attKvitteraKlar' });
  const toRevoked = on('ready.revoked', { party, rules: ['C-6'], label: 'Utskrivningsklar återkallat', labelEn: 'Ready revoked', target: 'planerar' });
  const toHome = on('discharged', { party, rules: ['C-8', 'C-11'], label: 'Den enskilde skrivs ut', labelEn: 'Discharged', target: 'insatser' });
  return {
    meta: { label: PARTY_LABELS[party].sv, labelEn: PARTY_LABELS[party].en, party },
    initial: 'avvaktar',
    on: [acknowledge(party, 'ADMISSION_NOTICE'), acknowledge(party, 'SIP_CALL')],
    states: {
      avvaktar: state(party, 'inskrivning', ['C-1'], 'Inväntar inskrivningsmeddelande', 'Awaiting admission notice', noticeReactions(party, { informed: false, notConcerned: true })),
      ejBerord: state(party, 'inskrivning', ['S-2'], 'Ej mottagare', 'Not a recipient', noticeReactions(party, { informed: false, notConcerned: false })),
      attKvittera: state(party, 'inskrivning', ['C-2'], 'Kvittera inskrivningsmeddelande', 'Acknowledge the admission notice', [
        acknowledge(party, 'ADMISSION_NOTICE', 'planerar'), admissionStatus(party, 'planerar'), toReady, toHome,
      ]),
      planerar: state(party, 'vardtid', ['C-2', 'I-3'], 'Planerar inför utskrivning', 'Planning for discharge', [admissionStatus(party), toReady, toHome]),
      attKvitteraKlar: state(party, 'utskrivningsklar', ['V-2'], 'Kvittera utskrivningsklar', 'Acknowledge the ready notice', [
        acknowledge(party, 'READY', 'forbereder'), toRevoked, toHome,
      ]),
      forbereder: state(party, 'utskrivningsklar', ['V-2'], 'Förbereder hemgång', 'Preparing the return home', [toRevoked, toHome]),
      insatser: state(party, 'hemgang', ['C-8'], 'Startar eller återinsätter insatser', 'Starting or resuming insatser'),
    },
  };
}

/** Öppenvården: the care contact and, in parallel, the SIP the care contact calls. */
export function outpatientLane(policy: PathwayPolicy): RegionDef {
  const ov: PartyId = 'oppenvard';
  if (!policy.coveredByLaw) return notConcerned(ov);
  const appoint = (target?: string) => on('APPOINT_CARE_CONTACT', {
    party: ov, rules: ['C-3', 'S-9'], label: target ? 'Utse fast vårdkontakt' : 'Byt fast vårdkontakt', labelEn: target ? 'Appoint care contact' : 'Change care contact',
    guards: [g('appointeeQualified')], actions: [a('appointCareContact')], ...(target ? { target } : {}),
  });
  // S-2: only BLÅ tells öppenvård "för kännedom"; only routing by needs (VRM) leaves it out.
  const outcomes = { informed: policy.routing === 'oneHuvudman', notConcerned: policy.routing === 'byNeeds' };
  const careContact: RegionDef = {
    meta: { label: 'Fast vårdkontakt', labelEn: 'Care contact', party: ov },
    initial: 'avvaktar',
    on: [acknowledge('oppenvard', 'READY')],
    states: {
      avvaktar: state(ov, 'inskrivning', ['C-1'], 'Inväntar inskrivningsmeddelande', 'Awaiting admission notice', noticeReactions('oppenvard', outcomes)),
      ...(outcomes.notConcerned
        ? { ejBerord: state(ov, 'inskrivning', ['S-2'], 'Ej mottagare', 'Not a recipient', noticeReactions('oppenvard', { informed: outcomes.informed, notConcerned: false })) }
        : {}),
      ...(outcomes.informed
        ? { forKannedom: state(ov, 'inskrivning', ['S-2'], 'Inskrivningsmeddelande för kännedom', 'Informed of the admission', noticeReactions('oppenvard', { informed: false, notConcerned: false })) }
        : {}),
      attKvittera: state(ov, 'inskrivning', ['C-2'], 'Kvittera inskrivningsmeddelande', 'Acknowledge the admission notice', [
        acknowledge('oppenvard', 'ADMISSION_NOTICE', 'attUtseFvk'), admissionStatus('oppenvard', 'attUtseFvk'), appoint('fvkUtsedd'),
      ]),
      attUtseFvk: state(ov, 'inskrivning', ['C-3'], 'Utse fast vårdkontakt', 'Appoint a care contact', [appoint('fvkUtsedd'), admissionStatus('oppenvard')]),
      fvkUtsedd: state(ov, 'vardtid', ['C-3', 'C-5'], 'Fast vårdkontakt utsedd', 'Care contact appointed', [
        appoint(),
        on('discharged', { party: ov, rules: ['C-8'], label: 'Den enskilde skrivs ut', labelEn: 'Discharged', target: 'attFoljaUpp' }),
      ]),
      attFoljaUpp: state(ov, 'hemgang', ['C-8'], 'Följ upp inom två vardagar', 'Follow up within two weekdays', [
        on('FOLLOW_UP_CONTACT', { party: ov, rules: ['C-8'], label: 'Uppföljningskontakt', labelEn: 'Follow-up contact', target: 'uppfoljd', actions: [a('followUpContact')] }),
      ]),
      uppfoljd: state(ov, 'hemgang', ['C-8'], 'Uppföljning gjord', 'Followed up'),
    },
  };
  if (policy.sip === 'none') return { ...careContact, meta: { label: PARTY_LABELS.oppenvard.sv, labelEn: PARTY_LABELS.oppenvard.en, party: ov } };

  const sipPhase: PhaseId = policy.sipBeforeDischarge ? 'vardtid' : 'hemgang';
  const declined = on('sip.refused', { party: 'individ', rules: ['C-10'], label: 'Den enskilde avböjer SIP', labelEn: 'SIP declined', target: 'avbojd' });
  const callGuards = [g('careContactExists'), g('sipConsent'), g('sipNotDeclined'), g('meetingNotBeforeCall')];
  const sipRules = policy.region === 'sth' ? ['S-3', 'S-5', 'I-5'] : ['V-3', 'I-5'];
  const sip: RegionDef = {
    meta: { label: 'SIP', labelEn: 'SIP', party: ov },
    initial: 'ejKallad',
    states: {
      ejKallad: state(ov, 'vardtid', sipRules, 'SIP ej kallad', 'SIP not called', [
        on('CALL_SIP', { party: ov, rules: sipRules, label: 'Kalla till SIP', labelEn: 'Call SIP', target: 'kallad', guards: callGuards, actions: [a('callSip')] }),
        ...(policy.sip === 'ifNeeded'
          ? [on('REVIEW_EXISTING_SIP', { party: ov, rules: ['S-3'], label: 'Granska befintlig SIP', labelEn: 'Review existing SIP', actions: [a('reviewExistingSip')] })]
          : []),
        declined,
      ]),
      kallad: state(ov, 'vardtid', ['S-4', 'I-5'], 'Kallad till SIP', 'SIP called', [
        on('ESTABLISH_SIP', {
          party: ov, rules: ['S-4', 'I-5', 'I-4'], label: 'SIP upprättad', labelEn: 'SIP established', target: 'upprattad',
          guards: [g('sipConsent'), g('sipNotDeclined')], actions: [a('establishSip')],
        }),
        on('CALL_SIP', { party: ov, rules: ['S-4'], label: 'Ny kallelse till SIP', labelEn: 'Reschedule SIP', guards: callGuards.slice(1), actions: [a('callSip')] }),
        declined,
      ]),
      upprattad: state(ov, sipPhase, ['S-4', 'S-7'], 'SIP upprättad', 'SIP established', [
        on('FOLLOW_UP_SIP', { party: ov, rules: ['S-4'], label: 'Avsluta SIP', labelEn: 'Close SIP', match: { close: true }, target: 'avslutad', actions: [a('followUpSip')] }),
        on('FOLLOW_UP_SIP', { party: ov, rules: ['S-4'], label: 'Följ upp SIP', labelEn: 'Follow up SIP', actions: [a('followUpSip')] }),
      ]),
      avslutad: state(ov, 'hemgang', ['S-7'], 'SIP avslutad', 'SIP closed'),
      avbojd: terminal(state('individ', 'vardtid', ['C-10'], 'Den enskilde har avböjt SIP', 'SIP declined')),
    },
  };
  return {
    meta: { label: PARTY_LABELS.oppenvard.sv, labelEn: PARTY_LABELS.oppenvard.en, party: ov },
    regions: { vardkontakt: careContact, sip },
  };
}

/** Den enskilde: consent, menprövning and refusals (I-2 … I-5, C-10), documented by the ward. */
export function individualLane(): RegionDef {
  const sv: PartyId = 'slutenvard';
  const consent = (given: boolean) => on('RECORD_CONSENT', {
    party: sv, rules: ['I-2'], label: given ? 'Samtycke givet' : 'Samtycke ej givet', labelEn: given ? 'Consent given' : 'Consent refused',
    match: { given }, target: given ? '.samtycke' : '.ejSamtycke', actions: [a('recordConsent')],
  });
  const menprovning = [true, false].map((allowed) => on('RECORD_MENPROVNING', {
    party: sv, rules: allowed ? ['I-2'] : ['I-3'], label: allowed ? 'Menprövning: får lämnas ut' : 'Menprövning: får inte lämnas ut',
    labelEn: allowed ? 'Disclosure allowed' : 'Disclosure not allowed', match: { disclosureAllowed: allowed },
    target: allowed ? 'menprovningTillater' : 'menprovningHindrar', actions: [a('recordMenprovning')],
  }));
  const refuse = (what: 'insatser' | 'sip') => on('REFUSE', {
    party: 'individ', rules: ['C-10'], label: what === 'sip' ? 'Avböjer SIP' : 'Avböjer insatser', labelEn: what === 'sip' ? 'Declines SIP' : 'Declines insatser',
    match: { what }, actions: [a('recordRefusal'), ...(what === 'sip' ? [raise('sip.refused')] : [])],
  });
  const ind: PartyId = 'individ';
  return {
    meta: { label: PARTY_LABELS.individ.sv, labelEn: PARTY_LABELS.individ.en, party: ind },
    initial: 'okant',
    on: [consent(true), consent(false), refuse('insatser'), refuse('sip')],
    states: {
      okant: state(ind, 'inskrivning', ['I-2'], 'Samtycke ej dokumenterat', 'Consent not documented', menprovning),
      samtycke: state(ind, 'inskrivning', ['I-2', 'I-5'], 'Samtycke givet', 'Consent given', [
        on('WITHDRAW_CONSENT', { party: sv, rules: ['I-4'], label: 'Återkalla samtycke', labelEn: 'Withdraw consent', target: 'aterkallat', actions: [a('withdrawConsent')] }),
      ]),
      ejSamtycke: state(ind, 'inskrivning', ['I-2'], 'Samtycke ej givet', 'Consent refused', menprovning),
      menprovningTillater: state(ind, 'inskrivning', ['I-2'], 'Menprövning: uppgifter får lämnas ut', 'Disclosure allowed', menprovning.slice(1)),
      menprovningHindrar: state(ind, 'inskrivning', ['I-3'], 'Menprövning: inget informationsutbyte', 'No disclosure', menprovning.slice(0, 1)),
      // I-4: a withdrawn consent is the individual's own "no"; a menprövning (for those who cannot
      // consent) cannot turn it into a yes, only a new consent can.
      aterkallat: state(ind, 'inskrivning', ['I-4'], 'Samtycke återkallat', 'Consent withdrawn', menprovning.slice(1)),
    },
  };
}

/** Case-level transitions: death, closing and reclassification. */
export function caseTransitions(policy: PathwayPolicy): TransitionDef[] {
  const transitions: TransitionDef[] = [
    on('DIE', { party: 'slutenvard', rules: ['C-7'], label: 'Avliden', labelEn: 'Died', target: '#avslutad', actions: [a('closeCase', { reason: 'Avliden under vårdtiden', reasonAfterDischarge: 'Avliden efter utskrivning' })] }),
    on('RECLASSIFY', { party: 'slutenvard', rules: ['C-9'], label: 'Byt process', labelEn: 'Change pathway', guards: [g('sameRoutine')] }),
    on('case.reclassified', { party: 'slutenvard', rules: ['C-9'], label: 'Processen bytt', labelEn: 'Pathway changed', actions: [a('recordReclassification')] }),
  ];
  if (policy.legalFrame === 'lrv') {
    transitions.push(on('FORENSIC_CARE_ENDED', {
      party: 'slutenvard', rules: ['V-O6'], label: 'Rättspsykiatrisk vård upphör', labelEn: 'Forensic care ended', target: '#avslutad',
      actions: [a('closeCase', { reason: 'Rättspsykiatrisk vård upphör (dom i förvaltningsrätten)' })],
    }));
  } else if (policy.coveredByLaw) {
    transitions.push(on('CLOSE', {
      party: 'oppenvard', rules: ['S-7', 'C-8'], label: 'Avsluta processen', labelEn: 'Close the case', target: '#avslutad',
      guards: [g('isDischarged'), g('sipSettled'), g('followUpContactMade')], actions: [a('closeCase')],
    }));
  }
  return transitions;
}

export type { EventType };
