/**
 * The ten pathways of the two routines, each a policy and a set of parameters applied to the shared
 * building blocks. Every number the routines give is a named parameter here, and only here.
 */
import { caseTransitions, individualLane, inpatientLane, municipalLane, outpatientLane } from './blocks.ts';
import { walkLanes, type PathwayDefinition, type PathwayParameters, type PathwayPolicy, type RegionDef, type TransitionDef } from './definition.ts';
import { PATHWAY_IDS, type PathwayId } from './events.ts';

/** Region Stockholm's agreement (seed 000) and the law's common time limits. */
const STH_PARAMETERS: PathwayParameters = {
  admissionNoticeWithin: { hours: 24 }, // C-1
  acknowledgeWithin: { hours: 24, weekdaysOnly: true }, // C-2
  careContactWithin: { hours: 24, weekdaysOnly: true }, // C-3
  followUpContactWithin: { weekdays: 2 }, // C-8
  sipCallWithinAfterReady: { days: 3 }, // S-5, B-2
  statusMessageWindow: { earliestDaysBefore: 3, latestDaysBefore: 1 },
  dayZeroCutoff: '12:00', // S-6, B-1
  liabilityAfterDays: 1.3, // B-1
  medicationSupplyDays: 3, // C-11
  nutritionSupplyWeekdays: 5, // C-11
  lptExpectedStay: null,
  lptReadmissionHolds: null,
  lrvInitialExpectedStay: null,
  lrvAfterJudgment: null,
  courtReviewInterval: null,
  permission: { minHours: 12, from: '06:00', to: '24:00' }, // S-8
  careContactOrganisation: { Norrtälje: { basalHemsjukvard: 'Kundvalet', otherwise: 'Husläkarverksamheten' } }, // S-9
};

/** Region Värmland's guideline (seed 001). */
const VRM_PARAMETERS: PathwayParameters = {
  admissionNoticeWithin: { hours: 24 }, // C-1
  acknowledgeWithin: { hours: 24, weekdaysOnly: true }, // C-2
  careContactWithin: null, // C-3: "utan dröjsmål", no fixed limit in the guideline
  followUpContactWithin: { weekdays: 2 }, // C-8
  sipCallWithinAfterReady: null,
  statusMessageWindow: { earliestDaysBefore: 3, latestDaysBefore: 1 }, // V-1
  dayZeroCutoff: null,
  liabilityAfterDays: null,
  medicationSupplyDays: null, // "i tillräcklig mängd för att undvika avbrott"
  nutritionSupplyWeekdays: 5, // C-11
  lptExpectedStay: { weeks: 4 }, // V-L1
  lptReadmissionHolds: { days: 4 }, // V-L2
  lrvInitialExpectedStay: { months: 4 }, // V-O1
  lrvAfterJudgment: { months: 4 }, // V-O2
  courtReviewInterval: { months: 6 }, // V-O3
  permission: null,
  careContactOrganisation: {},
};

const BASE_POLICY = {
  coveredByLaw: true,
  sipBeforeDischarge: false,
  sipCallBeforeExpectedDischarge: false,
  statusBeforeDischarge: null,
  readyGate: null,
  legalFrame: null,
} as const satisfies Partial<PathwayPolicy>;

type PathwaySeed = Pick<PathwayDefinition, 'label' | 'labelEn' | 'colour' | 'description' | 'policy' | 'parameters'>;

const SEEDS: Record<PathwayId, PathwaySeed> = {
  'sth-gra': {
    label: 'Grå – inga behov av insatser', labelEn: 'Grey – no needs', colour: { name: 'GRÅ', hex: '#8a8f98' },
    description: 'Inget behov eller endast enklare/enstaka vårdbesök efter utskrivning. Omfattas inte av lagen om samverkan.',
    policy: { ...BASE_POLICY, region: 'sth', coveredByLaw: false, routing: 'none', sip: 'none' },
    parameters: STH_PARAMETERS,
  },
  'sth-bla': {
    label: 'Blå – insatser från en huvudman', labelEn: 'Blue – one huvudman', colour: { name: 'BLÅ', hex: '#2f6fd1' },
    description: 'Oförändrade, nyinsatta eller förändrade insatser från en huvudman, t.ex. hemtjänst (kommun) eller hemsjukvård (region).',
    policy: { ...BASE_POLICY, region: 'sth', routing: 'oneHuvudman', sip: 'offered' },
    parameters: STH_PARAMETERS,
  },
  'sth-gron': {
    label: 'Grön – oförändrade eller basala insatser', labelEn: 'Green – unchanged or basic insatser', colour: { name: 'GRÖN', hex: '#2e9a4b' },
    description: 'Oförändrade insatser eller nyinsatta basala insatser, samt individer som bor på boende med särskild service. SIP efter utskrivning om SIP saknas eller behöver uppdateras.',
    policy: { ...BASE_POLICY, region: 'sth', routing: 'bothHuvudman', sip: 'ifNeeded' },
    parameters: STH_PARAMETERS,
  },
  'sth-gul': {
    label: 'Gul – nyinsatta eller förändrade insatser', labelEn: 'Yellow – new or changed insatser', colour: { name: 'GUL', hex: '#d9a400' },
    description: 'Nyinsatta eller förändrade insatser. Fast vårdkontakt kallar till SIP; SIP upprättas efter utskrivning.',
    policy: { ...BASE_POLICY, region: 'sth', routing: 'bothHuvudman', sip: 'required' },
    parameters: STH_PARAMETERS,
  },
  'sth-rod': {
    label: 'Röd – komplexa behov', labelEn: 'Red – complex needs', colour: { name: 'RÖD', hex: '#c8312b' },
    description: 'Komplexa/omfattande behov av insatser som behöver samordnas för att utskrivning ska vara möjlig. Inledande SIP på sjukhus före utskrivning.',
    policy: { ...BASE_POLICY, region: 'sth', routing: 'bothHuvudman', sip: 'required', sipBeforeDischarge: true },
    parameters: STH_PARAMETERS,
  },
  'vrm-gron': {
    label: 'Grön process', labelEn: 'Green process', colour: { name: 'Grön', hex: '#2e9a4b' },
    description: 'Oförändrade insatser, eller nytillkomna insatser som inte behöver startas samma dag.',
    policy: { ...BASE_POLICY, region: 'vrm', routing: 'byNeeds', sip: 'offered', statusBeforeDischarge: { relativeTo: 'expectedDischarge', required: false } },
    parameters: VRM_PARAMETERS,
  },
  'vrm-gul': {
    label: 'Gul process', labelEn: 'Yellow process', colour: { name: 'Gul', hex: '#d9a400' },
    description: 'Utökade och/eller nytillkomna insatser som behöver startas upp samma dag.',
    policy: { ...BASE_POLICY, region: 'vrm', routing: 'byNeeds', sip: 'offered', statusBeforeDischarge: { relativeTo: 'expectedDischarge', required: true } },
    parameters: VRM_PARAMETERS,
  },
  'vrm-rod': {
    label: 'Röd process', labelEn: 'Red process', colour: { name: 'Röd', hex: '#c8312b' },
    description: 'Komplexa/omfattande behov av samordning, eller vård som kräver utbildning av personal före utskrivning. SIP i regel före utskrivning.',
    policy: {
      ...BASE_POLICY, region: 'vrm', routing: 'byNeeds', sip: 'required', sipCallBeforeExpectedDischarge: true,
      statusBeforeDischarge: { relativeTo: 'sipMeeting', required: true },
    },
    parameters: VRM_PARAMETERS,
  },
  'vrm-lila': {
    label: 'Lila process – LPT/ÖPT', labelEn: 'Purple process – compulsory psychiatric care', colour: { name: 'Lila', hex: '#7b4fb3' },
    description: 'Psykiatrisk tvångsvård (LPT/ÖPT). Beräknat utskrivningsdatum 4 veckor efter intagningsbeslut; samverkansmöte; utskrivningsklar när förvaltningsrätten beslutat om ÖPT.',
    policy: {
      ...BASE_POLICY, region: 'vrm', routing: 'byNeeds', sip: 'offered', readyGate: 'compulsoryCareResolved', legalFrame: 'lpt',
      statusBeforeDischarge: { relativeTo: 'coordinationMeeting', required: true },
    },
    parameters: VRM_PARAMETERS,
  },
  'vrm-orange': {
    label: 'Orange process – LRV/ÖRV', labelEn: 'Orange process – forensic psychiatric care', colour: { name: 'Orange', hex: '#e07b16' },
    description: 'Rättspsykiatrisk vård (LRV/ÖRV). Beräknat utskrivningsdatum fyra månader efter inskrivningsmeddelandet, därefter vid laga kraft och var sjätte månad vid vårdprövning.',
    policy: {
      ...BASE_POLICY, region: 'vrm', routing: 'byNeeds', sip: 'offered', readyGate: 'forensicReleaseDecided', legalFrame: 'lrv',
      inpatientLabel: { label: 'Rättspsykiatrin', labelEn: 'Forensic psychiatry' },
    },
    parameters: VRM_PARAMETERS,
  },
};

function collectRules(lanes: Record<string, RegionDef>, transitions: TransitionDef[]): string[] {
  const rules = new Set<string>();
  const cite = (list: TransitionDef[] | undefined) => list?.forEach((t) => t.meta.rules.forEach((r) => rules.add(r)));
  walkLanes(lanes, {
    state: (state) => { state.meta.rules.forEach((r) => rules.add(r)); cite(state.on); },
    region: (region) => cite(region.on),
  });
  cite(transitions);
  return [...rules].sort();
}

/** Builds a pathway definition from its policy and parameters (overrides for edited versions). */
export function buildDefinition(id: PathwayId, overrides: { version?: number; parameters?: Partial<PathwayParameters> } = {}): PathwayDefinition {
  const seed = SEEDS[id];
  const { policy } = seed;
  const lanes: Record<string, RegionDef> = {
    slutenvard: inpatientLane(policy),
    oppenvard: outpatientLane(policy),
    kommunal_hsl: municipalLane(policy, 'kommunal_hsl'),
    socialtjanst: municipalLane(policy, 'socialtjanst'),
    individ: individualLane(),
  };
  const on = caseTransitions(policy);
  return {
    id,
    version: overrides.version ?? 1,
    label: seed.label,
    labelEn: seed.labelEn,
    colour: seed.colour,
    description: seed.description,
    policy,
    parameters: { ...seed.parameters, ...overrides.parameters },
    lanes,
    on,
    rules: collectRules(lanes, on),
  };
}

export const PATHWAYS: Readonly<Record<PathwayId, PathwayDefinition>> = Object.fromEntries(
  PATHWAY_IDS.map((id) => [id, buildDefinition(id)]),
) as Record<PathwayId, PathwayDefinition>;

export function isPathwayId(value: unknown): value is PathwayId {
  return typeof value === 'string' && (PATHWAY_IDS as readonly string[]).includes(value);
}
