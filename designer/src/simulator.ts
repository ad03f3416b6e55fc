/**
 * The simulator's sandbox: a case run in the browser on the project's pure core (engine/scenario.ts
 * `memoryDriver`, the same create/apply code as the server) on a virtual clock. Nothing is sent to
 * the server, so a sandbox case never mixes with real ones. Every step is a command that can be
 * undone (the run is replayed without it) and the run exports as a scenario file in the contract's
 * format, the same file `samverkan simulate` runs. XState's inspection API reports each step.
 */
import { createActor, type InspectionEvent } from 'xstate';
import { addWeekdays, localDateOf, localDateTime, localTimeOf, parseInstant } from '../../engine/calendar.ts';
import { machineFor, shippedPathways, type CaseState } from '../../engine/cases.ts';
import type { CaseView } from '../../engine/caseView.ts';
import { memoryDriver, parseScenario } from '../../engine/scenario.ts';
import { eventJsonSchema, parseEvent, type EventType } from '../../machines/events.ts';
import type { PathwayId } from '../../machines/events.ts';

export { eventJsonSchema };

export interface SimSetup {
  pathway: PathwayId;
  patient: { personnummer: string; name: string; address: string };
  kommun: string;
  placeringskommun?: string | null;
  admittedAt: string;
}

export interface SimStep {
  at?: string;
  send?: Record<string, unknown>;
  expect?: Record<string, unknown>;
  expectRejected?: boolean | Record<string, unknown>;
  note?: string;
}

export interface InspectionRecord {
  type: InspectionEvent['type'];
  summary: string;
}

export interface StepResult {
  step: SimStep;
  outcome: 'accepted' | 'rejected' | 'clock' | 'expect';
  at: string;
  rejected?: { code: string; message: string; rules: string[] };
  inspection: InspectionRecord[];
}

export interface Session {
  setup: SimSetup;
  results: StepResult[];
  now: string;
  view: CaseView;
  /** The driver's case (for inspection); replaced, never mutated, by each step. */
  state: CaseState;
}

type Driver = ReturnType<typeof memoryDriver>;

const HOUR = 3_600_000;

export function toInstant(text: string): string {
  const instant = parseInstant(text);
  if (instant === null) throw new RangeError(`Not a time: ${text}`);
  return instant;
}

/** 'YYYY-MM-DDTHH:MM' (Stockholm wall clock, as in <input type="datetime-local">) → instant. */
export function localInputToInstant(value: string): string {
  const [date, time] = value.split('T');
  if (!date || !time) throw new RangeError(`Not a local date-time: ${value}`);
  return localDateTime(date, time.slice(0, 5));
}

export function instantToLocalInput(instant: string): string {
  return `${localDateOf(instant)}T${localTimeOf(instant)}`;
}

/** An ISO time with Stockholm's offset ("2026-03-06T16:00:00+01:00"), as people write scenarios. */
export function toLocalIso(instant: string): string {
  const ms = Date.parse(instant);
  const local = Date.parse(`${localDateOf(instant)}T${localTimeOf(instant)}:00Z`);
  const offset = Math.round((local - Math.floor(ms / 60_000) * 60_000) / 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const text = `${localDateOf(instant)}T${localTimeOf(instant)}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return Date.parse(text) === ms ? text : new Date(ms).toISOString();
}

export function plusHour(now: string): string {
  return new Date(Date.parse(now) + HOUR).toISOString();
}

/** K-1: the same wall-clock time on the next weekday. */
export function plusWeekday(now: string): string {
  return localDateTime(addWeekdays(localDateOf(now), 1), localTimeOf(now));
}

function summarizeValue(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => summarizeValue(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

function describeEvent(event: { type: string } & Record<string, unknown>): string {
  const rest = Object.entries(event).filter(([k]) => k !== 'type' && k !== 'at').map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return rest.length > 0 ? `${event.type} { ${rest.join(', ')} }` : event.type;
}

function summarize(e: InspectionEvent): InspectionRecord {
  switch (e.type) {
    case '@xstate.event':
      return { type: e.type, summary: describeEvent(e.event as { type: string }) };
    case '@xstate.microstep': {
      const transitions = e._transitions.map((t) => {
        const source = String(t.source.id).replace(/^[^.]+\.aktiv\./, '');
        const targets = (t.target ?? []).map((n) => String(n.id).replace(/^[^.]+\.aktiv\./, ''));
        return targets.length > 0 ? `${source} → ${targets.join(', ')}` : `${source} (${t.eventType})`;
      });
      return { type: e.type, summary: `${e.event.type}: ${transitions.join('; ') || '–'}` };
    }
    case '@xstate.action': {
      const params = e.action.params && typeof e.action.params === 'object' && Object.keys(e.action.params).length > 0 ? ` ${JSON.stringify(e.action.params)}` : '';
      return { type: e.type, summary: `${e.action.type}${params}` };
    }
    case '@xstate.snapshot': {
      const snapshot = e.snapshot as { value?: unknown; status?: string };
      const leaves = summarizeValue(snapshot.value).map((s) => s.replace(/^aktiv\./, ''));
      return { type: e.type, summary: `${snapshot.status ?? ''}: ${leaves.join(' · ')}` };
    }
    case '@xstate.transition':
      return { type: e.type, summary: e.event.type };
    default:
      return { type: e.type, summary: '' };
  }
}

/**
 * Runs the event through a live XState actor restored from the case's persisted snapshot, with
 * XState v5's inspection API, and reports what the actor saw (events, microsteps, actions, snapshots).
 */
export function inspectEvent(state: CaseState, event: Record<string, unknown>): InspectionRecord[] {
  const machine = machineFor(shippedPathways.definition(state.pathway, state.pathwayVersion));
  const records: InspectionRecord[] = [];
  let recording = false;
  const actor = createActor(machine, {
    snapshot: state.snapshot as never,
    inspect: (e) => {
      if (recording && e.type !== '@xstate.actor') records.push(summarize(e));
    },
  });
  actor.start();
  recording = true;
  try {
    actor.send(event as never);
  } finally {
    actor.stop();
  }
  return records;
}

function driverFor(setup: SimSetup): { driver: Driver; view: CaseView } | { error: string } {
  const driver = memoryDriver(shippedPathways);
  const created = driver.create({ ...setup, placeringskommun: setup.placeringskommun ?? null }, toInstant(setup.admittedAt));
  if (!created.ok) return { error: created.message };
  return { driver, view: created.view };
}

const drivers = new WeakMap<Session, Driver>();

export function startSession(setup: SimSetup): { ok: true; session: Session } | { ok: false; message: string } {
  const made = driverFor(setup);
  if ('error' in made) return { ok: false, message: made.error };
  const session: Session = { setup, results: [], now: toInstant(setup.admittedAt), view: made.view, state: made.driver.state() };
  drivers.set(session, made.driver);
  return { ok: true, session };
}

function next(session: Session, driver: Driver, result: StepResult, now: string): Session {
  const updated: Session = { ...session, results: [...session.results, result], now, view: driver.view(now), state: driver.state() };
  drivers.delete(session);
  drivers.set(updated, driver);
  return updated;
}

function driverOf(session: Session): Driver {
  const driver = drivers.get(session);
  if (driver) return driver;
  // An older session object (e.g. after undo): rebuild it.
  const rebuilt = replaySteps(session.setup, session.results.map((r) => r.step));
  const d = drivers.get(rebuilt);
  if (!d) throw new Error('Could not rebuild the sandbox run');
  return d;
}

/** Sends an event at the virtual clock's time (or its own `at`). */
export function sendEvent(session: Session, event: Record<string, unknown>, extra: Pick<SimStep, 'expect' | 'expectRejected' | 'note'> = {}): Session {
  const driver = driverOf(session);
  const parsed = parseEvent(event);
  const at = parsed.ok && parsed.event.at ? parsed.event.at : session.now;
  const now = at > session.now ? at : session.now;
  const inspection = parsed.ok ? inspectEvent(driver.state(), { ...parsed.event, at }) : [];
  const result = driver.send(event, now);
  const step: SimStep = { at: now, send: event, ...extra };
  if (result.ok) return next(session, driver, { step, outcome: 'accepted', at: now, inspection }, now);
  const rejected = { code: result.rejected.code, message: result.rejected.message, rules: result.rejected.rules };
  if (step.expectRejected === undefined) step.expectRejected = true;
  return next(session, driver, { step, outcome: 'rejected', at: now, rejected, inspection }, now);
}

/** Moves the virtual clock forward (deadlines fall due; nothing else happens). */
export function moveClock(session: Session, to: string): Session {
  const at = toInstant(to);
  if (at < session.now) throw new RangeError('The clock only moves forward');
  return next(session, driverOf(session), { step: { at }, outcome: 'clock', at, inspection: [] }, at);
}

export function replaySteps(setup: SimSetup, steps: SimStep[]): Session {
  const started = startSession(setup);
  if (!started.ok) throw new Error(started.message);
  let session = started.session;
  for (const step of steps) {
    const extra = {
      ...(step.expect ? { expect: step.expect } : {}),
      ...(step.expectRejected !== undefined ? { expectRejected: step.expectRejected } : {}),
      ...(step.note ? { note: step.note } : {}),
    };
    if (step.send) {
      const at = step.at && toInstant(step.at) > session.now ? toInstant(step.at) : session.now;
      if (at > session.now) session = { ...moveClockSilently(session, at) };
      session = sendEvent(session, step.send, extra);
    } else if (step.at) {
      session = moveClock(session, step.at);
      if (step.expect) session.results[session.results.length - 1]!.step.expect = step.expect;
    } else if (step.expect) {
      const driver = driverOf(session);
      session = next(session, driver, { step: { expect: step.expect, ...(step.note ? { note: step.note } : {}) }, outcome: 'expect', at: session.now, inspection: [] }, session.now);
    }
  }
  return session;
}

function moveClockSilently(session: Session, at: string): Session {
  const driver = driverOf(session);
  const updated: Session = { ...session, now: at, view: driver.view(at) };
  drivers.delete(session);
  drivers.set(updated, driver);
  return updated;
}

/** Undo: the run replayed without its last step. */
export function undo(session: Session): Session {
  return replaySteps(session.setup, session.results.slice(0, -1).map((r) => r.step));
}

/** The run as a scenario file (the contract's format): `{ pathway, case, steps: [{ at, send }] }`. */
export function toScenario(session: Session, options: { expectFinal?: boolean; description?: string } = {}): Record<string, unknown> {
  const { pathway, ...rest } = session.setup;
  const steps: SimStep[] = session.results.map(({ step }) => ({
    ...(step.at ? { at: toLocalIso(step.at) } : {}),
    ...(step.send ? { send: step.send } : {}),
    ...(step.expectRejected !== undefined ? { expectRejected: step.expectRejected } : {}),
    ...(step.expect ? { expect: step.expect } : {}),
    ...(step.note ? { note: step.note } : {}),
  }));
  if (options.expectFinal) {
    steps.push({ expect: { status: session.view.status, phase: session.view.phase }, note: 'Slutläge i simulatorn' });
  }
  return {
    ...(options.description ? { description: options.description } : {}),
    pathway,
    case: { ...rest, admittedAt: toLocalIso(toInstant(rest.admittedAt)), ...(rest.placeringskommun ? {} : { placeringskommun: undefined }) },
    steps,
  };
}

/** Reads a scenario file (as `samverkan simulate` does) and replays it in the sandbox. */
export function fromScenario(json: unknown): { ok: true; session: Session } | { ok: false; field: string; message: string } {
  const parsed = parseScenario(json);
  if (!parsed.ok) return parsed;
  const { scenario } = parsed;
  const setup: SimSetup = {
    pathway: scenario.pathway,
    patient: scenario.case.patient,
    kommun: scenario.case.kommun,
    placeringskommun: scenario.case.placeringskommun ?? null,
    admittedAt: scenario.case.admittedAt,
  };
  try {
    return { ok: true, session: replaySteps(setup, scenario.steps as SimStep[]) };
  } catch (error) {
    return { ok: false, field: 'scenario', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Convenient starting values for an event's form in the sandbox. */
export function formDefaults(type: EventType | string, now: string): Record<string, string> {
  const inDays = (days: number, time = '10:00') => `${localDateOf(new Date(Date.parse(now) + days * 86_400_000).toISOString())}T${time}`;
  const dateIn = (days: number) => localDateOf(new Date(Date.parse(now) + days * 86_400_000).toISOString());
  switch (type) {
    case 'APPOINT_CARE_CONTACT':
      return { name: 'Test Vårdkontakt', phone: '010-123 45 67', profession: 'sjuksköterska', licensedPhysician: 'false' };
    case 'CALL_SIP':
      return { meetingAt: inDays(2), place: 'Avdelningen' };
    case 'CALL_COORDINATION_MEETING':
      return { meetingAt: inDays(2) };
    case 'SET_EXPECTED_DISCHARGE':
      return { date: dateIn(5) };
    case 'SEND_ADMISSION_NOTICE':
      return { expectedDischargeDate: dateIn(5) };
    case 'ASSESS_NEEDS':
      return { kommun: 'true', oppenvard: 'true' };
    case 'RECORD_CONSENT':
      return { given: 'true' };
    case 'RECORD_MENPROVNING':
      return { disclosureAllowed: 'true' };
    case 'CLOSE':
      return { reason: 'Processen avslutad' };
    case 'LPT_EXTENDED':
      return { until: dateIn(28) };
    case 'RECORD_PERMISSION':
      return { from: inDays(1, '08:00'), to: inDays(1, '21:00') };
    default:
      return {};
  }
}
