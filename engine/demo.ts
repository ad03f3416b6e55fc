/**
 * A synthetic demo region: cases over all ten pathways in every phase, some blocked and some
 * overdue, driven through the real engine from each case's allowed actions. Patients are
 * synthetic, with Skatteverket's test personnummer. Deterministic for a given seed and clock.
 */
import type { PathwayId } from '../machines/events.ts';
import { PATHWAY_IDS } from '../machines/events.ts';
import { addDays, localDateOf, type Instant } from './calendar.ts';
import type { CaseView } from './caseView.ts';
import type { CaseEngine } from './engine.ts';
import type { AllowedAction } from './explain.ts';
import { demoWard } from './demoDirectory.ts';
import { TEST_PERSONNUMMER } from './personnummer.ts';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST_NAMES = ['Astrid', 'Bertil', 'Dagny', 'Evert', 'Gunhild', 'Harald', 'Inga', 'Josef', 'Karin', 'Lennart', 'Maj', 'Nils', 'Oskar', 'Ragnhild', 'Sixten', 'Tyra', 'Valter', 'Elsa', 'Folke', 'Greta'];
const KOMMUNER = {
  sth: ['Stockholm', 'Solna', 'Sundbyberg', 'Nacka', 'Huddinge', 'Täby', 'Lidingö', 'Norrtälje', 'Södertälje', 'Järfälla'],
  vrm: ['Karlstad', 'Arvika', 'Kil', 'Hammarö', 'Torsby', 'Kristinehamn', 'Säffle'],
};
/** The demo units serve Solna and Karlstad: a good share of cases lives there. */
const HOME_KOMMUN = { sth: { name: 'Solna', share: 0.3 }, vrm: { name: 'Karlstad', share: 0.4 } };

/** Roughly how often each pathway occurs in a region (somatic colours far more common). */
const WEIGHTS: Record<PathwayId, number> = {
  'sth-gra': 3, 'sth-bla': 5, 'sth-gron': 6, 'sth-gul': 6, 'sth-rod': 3, 'vrm-gron': 2, 'vrm-gul': 2, 'vrm-rod': 1.5, 'vrm-lila': 1.5, 'vrm-orange': 1,
};

/** The order in which a typical case moves; the driver picks the first allowed one not yet done. */
const PROGRESS = [
  'RECORD_CONSENT', 'ASSESS_NEEDS', 'LPT_INTAKE_DECISION', 'SEND_ADMISSION_NOTICE', 'ACKNOWLEDGE:ADMISSION_NOTICE', 'APPOINT_CARE_CONTACT',
  'JUDGMENT_FINAL', 'CALL_COORDINATION_MEETING', 'SEND_STATUS:discharge', 'CALL_SIP', 'ACKNOWLEDGE:SIP_CALL', 'CONFIRM', 'OPT_DECIDED', 'ORV_DECIDED',
  'DECLARE_READY', 'ACKNOWLEDGE:READY', 'ESTABLISH_SIP', 'DISCHARGE', 'FOLLOW_UP_CONTACT', 'CLOSE', 'FORENSIC_CARE_ENDED',
];

/** The step of a typical case an action is (acknowledgements and status messages by what they answer). */
export function progressKey(action: AllowedAction): string {
  const m = action.match ?? {};
  if (action.event === 'ACKNOWLEDGE') return `ACKNOWLEDGE:${String(m.of)}`;
  if (action.event === 'SEND_STATUS') return `SEND_STATUS:${String(m.phase)}`;
  return action.event;
}

/** A plausible payload for an allowed action (null: not one the demo driver sends). */
export function payloadFor(action: AllowedAction, view: CaseView, at: Instant, random: () => number): Record<string, unknown> | null {
  const later = (days: number) => new Date(Date.parse(at) + days * 86_400_000).toISOString();
  switch (action.event) {
    case 'RECORD_CONSENT': return { given: random() < 0.9 };
    case 'ASSESS_NEEDS': {
      if (view.pathway !== 'sth-bla') return null;
      const kommun = random() < 0.6;
      return { kommun, oppenvard: !kommun };
    }
    case 'SEND_ADMISSION_NOTICE':
      return { expectedDischargeDate: addDays(localDateOf(at), 2 + Math.floor(random() * 8)) };
    case 'APPOINT_CARE_CONTACT':
      return { name: `${FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)]} Vårdkontakt`, phone: '010-123 45 67', profession: 'sjuksköterska', licensedPhysician: random() < 0.3 };
    case 'CALL_SIP': return { meetingAt: later(2 + Math.floor(random() * 5)), place: 'Hemmet' };
    case 'CALL_COORDINATION_MEETING': return { meetingAt: later(2) };
    case 'CONFIRM': {
      const missing = (['written_information', 'information_transferred', 'aids_available'] as const).find((item) => view.criteria[item] === null);
      return missing ? { item: missing } : null;
    }
    case 'CLOSE': return { reason: 'Processen avslutad' };
    default: return { ...(action.match ?? {}) };
  }
}

export interface DemoOptions {
  count: number;
  seed?: number;
  /** Cases start up to this many days before now (LRV cases up to a year). */
  spreadDays?: number;
}

/** Seeds `count` synthetic cases ending at `now` in varied positions. Returns how many events were applied. */
export function seedDemo(engine: CaseEngine, options: DemoOptions): { cases: number; events: number } {
  const random = prng(options.seed ?? 2026);
  const now = engine.clock.now();
  const totalWeight = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  const pickPathway = (): PathwayId => {
    let r = random() * totalWeight;
    for (const id of PATHWAY_IDS) if ((r -= WEIGHTS[id]) <= 0) return id;
    return 'sth-gul';
  };
  let events = 0;
  for (let i = 0; i < options.count; i += 1) {
    const pathway = pickPathway();
    const region = pathway.startsWith('sth') ? 'sth' : 'vrm';
    const spread = (pathway === 'vrm-orange' ? 365 : options.spreadDays ?? 45) * 86_400_000;
    let at = new Date(Date.parse(now) - random() * spread).toISOString();
    const created = engine.create({
      pathway,
      patient: {
        personnummer: TEST_PERSONNUMMER[i % TEST_PERSONNUMMER.length]!,
        name: `${FIRST_NAMES[i % FIRST_NAMES.length]} Testsson`,
        address: `Testgatan ${1 + (i % 97)}, 123 45 Teststad`,
      },
      kommun: random() < HOME_KOMMUN[region].share ? HOME_KOMMUN[region].name : KOMMUNER[region][Math.floor(random() * KOMMUNER[region].length)]!,
      admittedAt: at,
    }, { ward: demoWard(pathway, random()) });
    if (!created.ok) throw new Error(`demo case ${i}: ${JSON.stringify(created)}`);
    const id = created.view.id;
    // Each case stops somewhere along its way: a spread over phases, states and deadlines.
    const stopAfter = Math.floor(random() * 24);
    const done = new Set<string>();
    let view = created.view;
    for (let step = 0; step < stopAfter && view.status === 'active'; step += 1) {
      const candidates = view.allowedActions
        .map((action) => ({ action, key: progressKey(action), rank: PROGRESS.indexOf(progressKey(action)) }))
        .filter(({ rank, key, action }) => rank >= 0 && !done.has(`${key}:${JSON.stringify(action.match ?? {})}`) || (key === 'CONFIRM' && rank >= 0))
        .sort((a, b) => a.rank - b.rank);
      const next = candidates.find(({ action }) => payloadFor(action, view, at, random) !== null);
      if (!next) break;
      // Mostly hours between moves; now and then a party is days late.
      const gap = random() < 0.12 ? (2 + random() * 3) * 86_400_000 : (0.5 + random() * 14) * 3_600_000;
      const when = new Date(Date.parse(at) + gap).toISOString();
      if (when > now) break;
      at = when;
      const result = engine.send(id, { type: next.action.event, at, ...payloadFor(next.action, view, at, random) });
      done.add(`${next.key}:${JSON.stringify(next.action.match ?? {})}`);
      if (!result.ok) continue;
      view = result.view;
      events += 1;
    }
  }
  return { cases: options.count, events };
}
