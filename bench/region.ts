/**
 * A synthetic region replayed through the engine on a manual clock: cases arrive at a region's
 * rate over all ten pathways (the demo's mix), and each moves on from its own allowed actions (the
 * demo driver's order of a typical case, run to completion) with delays typical of each move —
 * hours for notices and acknowledgements, days for a stay, weeks for psychiatric care, months for
 * forensic care — and now and then a party days late. Every move is `engine.send` at the clock's
 * time, in global time order over all cases; the scheduler's step (`engine.tick`) runs every
 * quarter of an hour of simulated time. Deterministic for a given seed.
 */
import { addDays, localDateOf, type Instant } from '../engine/calendar.ts';
import type { CaseView } from '../engine/caseView.ts';
import { FIRST_NAMES, payloadFor as demoPayloadFor, progressKey } from '../engine/demo.ts';
import { demoWard } from '../engine/demoDirectory.ts';
import type { CaseEngine, ManualClock } from '../engine/engine.ts';
import type { AllowedAction } from '../engine/explain.ts';
import { TEST_PERSONNUMMER } from '../engine/personnummer.ts';
import { PATHWAY_IDS, type PathwayId } from '../machines/events.ts';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How often each pathway occurs (the demo region's mix: somatic colours far more common). */
const WEIGHTS: Record<PathwayId, number> = {
  'sth-gra': 3, 'sth-bla': 5, 'sth-gron': 6, 'sth-gul': 6, 'sth-rod': 3, 'vrm-gron': 2, 'vrm-gul': 2, 'vrm-rod': 1.5, 'vrm-lila': 1.5, 'vrm-orange': 1,
};
const KOMMUNER = {
  sth: ['Stockholm', 'Solna', 'Sundbyberg', 'Nacka', 'Huddinge', 'Täby', 'Lidingö', 'Norrtälje', 'Södertälje', 'Järfälla'],
  vrm: ['Karlstad', 'Arvika', 'Kil', 'Hammarö', 'Torsby', 'Kristinehamn', 'Säffle'],
};
const HOME_KOMMUN = { sth: { name: 'Solna', share: 0.3 }, vrm: { name: 'Karlstad', share: 0.4 } };
const NAMES = FIRST_NAMES;

/** A typical case's order of moves; the driver takes the first allowed one not yet done. */
const PROGRESS = [
  'RECORD_CONSENT', 'ASSESS_NEEDS', 'LPT_INTAKE_DECISION', 'SEND_ADMISSION_NOTICE', 'ACKNOWLEDGE:ADMISSION_NOTICE', 'APPOINT_CARE_CONTACT',
  'SET_EXPECTED_DISCHARGE', 'SEND_STATUS:admission', 'JUDGMENT_FINAL', 'CALL_COORDINATION_MEETING', 'SEND_STATUS:discharge', 'CALL_SIP',
  'ACKNOWLEDGE:SIP_CALL', 'CONFIRM', 'OPT_DECIDED', 'ORV_DECIDED', 'DECLARE_READY', 'ACKNOWLEDGE:READY', 'ESTABLISH_SIP', 'DISCHARGE',
  'FOLLOW_UP_CONTACT', 'CLOSE', 'FORENSIC_CARE_ENDED',
];
const RANK = new Map(PROGRESS.map((k, i) => [k, i]));

/** Typical hours from the previous move to this one. */
const DELAY_HOURS: Record<string, number> = {
  RECORD_CONSENT: 2, ASSESS_NEEDS: 3, LPT_INTAKE_DECISION: 4, SEND_ADMISSION_NOTICE: 6, 'ACKNOWLEDGE:ADMISSION_NOTICE': 8,
  APPOINT_CARE_CONTACT: 12, SET_EXPECTED_DISCHARGE: 12, 'SEND_STATUS:admission': 12, JUDGMENT_FINAL: 21 * 24, CALL_COORDINATION_MEETING: 48,
  'SEND_STATUS:discharge': 24, CALL_SIP: 24, 'ACKNOWLEDGE:SIP_CALL': 8, CONFIRM: 20, OPT_DECIDED: 7 * 24, ORV_DECIDED: 30 * 24,
  DECLARE_READY: 36, 'ACKNOWLEDGE:READY': 6, ESTABLISH_SIP: 48, DISCHARGE: 20, FOLLOW_UP_CONTACT: 24, CLOSE: 72, FORENSIC_CARE_ENDED: 90 * 24,
};
/** Psychiatric stays are longer before the ready notice. */
const READY_HOURS: Partial<Record<PathwayId, number>> = { 'vrm-gron': 7 * 24, 'vrm-gul': 10 * 24, 'vrm-rod': 14 * 24, 'vrm-lila': 18 * 24, 'vrm-orange': 120 * 24 };

/** Moves done once per case; acknowledgements and status messages once per party. */
function doneKey(action: AllowedAction): string {
  return action.event === 'ACKNOWLEDGE' || action.event === 'SEND_STATUS' ? `${progressKey(action)}:${JSON.stringify(action.match ?? {})}` : progressKey(action);
}

/** The demo driver's payloads, plus the two moves a case run to completion also needs. */
function payloadFor(action: AllowedAction, view: CaseView, at: Instant, random: () => number): Record<string, unknown> | null {
  switch (action.event) {
    case 'SET_EXPECTED_DISCHARGE': return { date: addDays(localDateOf(at), 2 + Math.floor(random() * 6)) };
    case 'ESTABLISH_SIP': return { followUpAt: new Date(Date.parse(at) + 30 * 86_400_000).toISOString() };
    default: return demoPayloadFor(action, view, at, random);
  }
}

/** The next move of a case and when, or null when it has none left. */
function nextMove(view: CaseView, done: Set<string>, at: Instant, random: () => number): { event: Record<string, unknown>; key: string; at: Instant } | null {
  let best: { action: AllowedAction; key: string; rank: number; payload: Record<string, unknown> } | null = null;
  for (const action of view.allowedActions) {
    const key = progressKey(action);
    const rank = RANK.get(key);
    if (rank === undefined || (best && rank >= best.rank)) continue;
    if (key !== 'CONFIRM' && done.has(doneKey(action))) continue;
    const payload = payloadFor(action, view, at, random);
    if (payload) best = { action, key, rank, payload };
  }
  if (!best) return null;
  const typical = best.key === 'DECLARE_READY' ? (READY_HOURS[view.pathway as PathwayId] ?? DELAY_HOURS.DECLARE_READY!) : DELAY_HOURS[best.key] ?? 12;
  const late = random() < 0.08 ? 2 + random() * 2 : 1;
  const hours = typical * (0.3 + random() * 1.4) * late;
  const when = new Date(Date.parse(at) + hours * 3_600_000).toISOString();
  return { event: { type: best.action.event, ...best.payload }, key: doneKey(best.action), at: when };
}

/** A binary min-heap of (time, case index). */
class Agenda {
  private readonly times: number[] = [];
  private readonly items: number[] = [];
  get size(): number { return this.times.length; }
  push(time: number, item: number): void {
    let i = this.times.length;
    this.times.push(time);
    this.items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.times[p]! <= time) break;
      this.times[i] = this.times[p]!;
      this.items[i] = this.items[p]!;
      i = p;
    }
    this.times[i] = time;
    this.items[i] = item;
  }
  peekTime(): number { return this.times[0]!; }
  pop(): number {
    const top = this.items[0]!;
    const lastTime = this.times.pop()!;
    const lastItem = this.items.pop()!;
    const n = this.times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && this.times[l + 1]! < this.times[l]! ? l + 1 : l;
        if (this.times[c]! >= lastTime) break;
        this.times[i] = this.times[c]!;
        this.items[i] = this.items[c]!;
        i = c;
      }
      this.times[i] = lastTime;
      this.items[i] = lastItem;
    }
    return top;
  }
}

export interface RegionOptions {
  /** Cases arriving over the period. */
  cases: number;
  /** First arrival; arrivals are spread evenly at random over `days`. */
  start: Instant;
  days: number;
  /** Stop the clock here (cases still under way stay active); default: when every case is done. */
  until?: Instant;
  seed?: number;
  /** Simulated minutes between scheduler steps (default 15). */
  tickMinutes?: number;
}

export interface RegionRun {
  cases: number;
  events: number;
  refused: number;
  closed: number;
  ticks: number;
  deadlinesNoted: number;
  byPathway: Record<string, { cases: number; events: number; closed: number }>;
  /** Events applied per simulated day from `start`. */
  eventsByDay: number[];
  /** Wall-clock milliseconds spent per simulated day (creating, applying, ticking). */
  wallMsByDay: number[];
  simulatedUntil: Instant;
}

export function simulateRegion(engine: CaseEngine, clock: ManualClock, options: RegionOptions): RegionRun {
  const random = prng(options.seed ?? 60_000);
  const start = Date.parse(options.start);
  const until = options.until ? Date.parse(options.until) : Infinity;
  const tickMs = (options.tickMinutes ?? 15) * 60_000;
  const totalWeight = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  const pickPathway = (): PathwayId => {
    let r = random() * totalWeight;
    for (const id of PATHWAY_IDS) if ((r -= WEIGHTS[id]) <= 0) return id;
    return 'sth-gul';
  };
  // Case i: before creation its pathway and arrival; afterwards its id, view and moves done.
  interface Live { id: string | null; pathway: PathwayId; view: CaseView | null; done: Set<string>; next: Record<string, unknown> | null; nextKey: string }
  const cases: Live[] = [];
  const agenda = new Agenda();
  for (let i = 0; i < options.cases; i += 1) {
    cases.push({ id: null, pathway: pickPathway(), view: null, done: new Set(), next: null, nextKey: '' });
    agenda.push(start + random() * options.days * 86_400_000, i);
  }
  const run: RegionRun = { cases: 0, events: 0, refused: 0, closed: 0, ticks: 0, deadlinesNoted: 0, byPathway: {}, eventsByDay: [], wallMsByDay: [], simulatedUntil: options.start };
  const wallStart = performance.now();
  let wallDay = 0;
  let wallMark = wallStart;
  const markWall = (time: number) => {
    const day = Math.floor((time - start) / 86_400_000);
    while (wallDay < day) {
      const now = performance.now();
      run.wallMsByDay[wallDay] = Math.round(now - wallMark);
      wallMark = now;
      wallDay += 1;
    }
  };
  const stats = (p: string) => (run.byPathway[p] ??= { cases: 0, events: 0, closed: 0 });
  let nextTick = Math.ceil(start / tickMs) * tickMs;
  const schedule = (i: number, live: Live, view: CaseView, at: Instant) => {
    live.view = view;
    if (view.status !== 'active') {
      run.closed += 1;
      stats(live.pathway).closed += 1;
      cases[i] = { ...live, view: null, done: new Set() };
      return;
    }
    const move = nextMove(view, live.done, at, random);
    if (!move) return;
    live.next = move.event;
    live.nextKey = move.key;
    agenda.push(Date.parse(move.at), i);
  };
  while (agenda.size > 0 && agenda.peekTime() <= until) {
    const time = agenda.peekTime();
    markWall(time);
    while (nextTick <= time) {
      clock.set(new Date(nextTick).toISOString());
      run.deadlinesNoted += engine.tick();
      run.ticks += 1;
      nextTick += tickMs;
    }
    const i = agenda.pop();
    const at = new Date(time).toISOString();
    clock.set(at);
    const live = cases[i]!;
    if (live.id === null) {
      const region = live.pathway.startsWith('sth') ? 'sth' : 'vrm';
      const created = engine.create({
        pathway: live.pathway,
        patient: { personnummer: TEST_PERSONNUMMER[i % TEST_PERSONNUMMER.length]!, name: `${NAMES[i % NAMES.length]} Testsson`, address: `Testgatan ${1 + (i % 97)}, 123 45 Teststad` },
        kommun: random() < HOME_KOMMUN[region].share ? HOME_KOMMUN[region].name : KOMMUNER[region][Math.floor(random() * KOMMUNER[region].length)]!,
        admittedAt: at,
      }, { ward: demoWard(live.pathway, random()) });
      if (!created.ok) throw new Error(`region case ${i}: ${JSON.stringify(created).slice(0, 300)}`);
      live.id = created.view.id;
      run.cases += 1;
      stats(live.pathway).cases += 1;
      schedule(i, live, created.view, at);
      continue;
    }
    const result = engine.send(live.id, { ...live.next, at });
    live.done.add(live.nextKey);
    if (!result.ok) {
      // Another move came first and this one no longer applies: pick again from the current view.
      run.refused += 1;
      schedule(i, live, live.view!, at);
      continue;
    }
    run.events += 1;
    stats(live.pathway).events += 1;
    const day = Math.floor((time - start) / 86_400_000);
    run.eventsByDay[day] = (run.eventsByDay[day] ?? 0) + 1;
    schedule(i, live, result.view, at);
  }
  const end = Number.isFinite(until) ? until : Date.parse(clock.now());
  while (nextTick <= end) {
    clock.set(new Date(nextTick).toISOString());
    run.deadlinesNoted += engine.tick();
    run.ticks += 1;
    nextTick += tickMs;
  }
  clock.set(new Date(end).toISOString());
  markWall(end);
  run.wallMsByDay[wallDay] = Math.round(performance.now() - wallMark);
  run.simulatedUntil = clock.now();
  return run;
}
