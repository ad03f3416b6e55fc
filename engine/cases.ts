/**
 * The case core: create a case, apply an event, replay a log, reclassify. Pure functions over
 * plain data (no clock, no storage): the durable store calls them inside its transaction, the
 * simulator and the tests call them directly, and all get the same answers.
 */
import { createActor, initialTransition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { z } from 'zod';
import { compileMachine } from '../machines/compile.ts';
import type { CaseContext, CaseInput } from '../machines/context.ts';
import type { PathwayDefinition } from '../machines/definition.ts';
import { instantSchema, parseEvent, PATHWAY_IDS, type CaseEvent, type PathwayId } from '../machines/events.ts';
import type { PartyId } from '../machines/parties.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { localDateOf, type Instant } from './calendar.ts';
import { explainRefusal, type Refusal } from './explain.ts';
import { checkIdentityNumber } from './personnummer.ts';

/** Where definitions come from: the shipped ones now, stored versions later. */
export interface PathwayRegistry {
  definition(id: PathwayId, version?: number): PathwayDefinition;
}

const machines = new WeakMap<PathwayDefinition, AnyStateMachine>();

export function machineFor(definition: PathwayDefinition): AnyStateMachine {
  let machine = machines.get(definition);
  if (!machine) {
    machine = compileMachine(definition);
    machines.set(definition, machine);
  }
  return machine;
}

export const shippedPathways: PathwayRegistry = {
  definition(id, version) {
    const definition = PATHWAYS[id];
    if (!definition || (version !== undefined && version !== definition.version)) {
      throw new Error(`No definition for ${id} version ${version}`);
    }
    return definition;
  },
};

export interface Patient {
  personnummer: string;
  name: string;
  address: string;
}

export interface CaseInfo {
  id: string;
  patient: Patient;
  kommun: string;
  placeringskommun: string | null;
  admittedAt: Instant;
  /** The admitting ward's unit id (from the signed-in user who created the case); none for sandbox cases. */
  ward?: string | null;
  /** The version of the first pathway the log replays from (absent before versions: the first). */
  firstVersion?: number;
  /** Moves to newer versions of the pathway (issue 6), for the case's history. */
  migrations?: Migration[];
}

export interface Migration {
  at: Instant;
  from: number;
  to: number;
  /** Old leaf state → new leaf state, as the process owner mapped them. */
  mapping: Record<string, string>;
  by: string;
}

/** Who reported an event: the signed-in user and unit (absent for events from before identity). */
export interface Actor {
  user: string;
  unit: string;
  unitName: string;
}

export interface LoggedEvent {
  seq: number;
  at: Instant;
  type: string;
  /** The party whose move it was (from the transition's meta). */
  by: PartyId;
  /** The validated event as applied. */
  event: CaseEvent;
  /** The pathway the event was applied under. */
  pathway: PathwayId;
  actor?: Actor;
}

export interface CaseState {
  info: CaseInfo;
  pathway: PathwayId;
  pathwayVersion: number;
  /** XState's persisted snapshot (JSON-safe). */
  snapshot: unknown;
  log: LoggedEvent[];
}

export type Failure =
  | { ok: false; kind: 'invalid'; field: string; message: string }
  | { ok: false; kind: 'rejected'; rejected: Refusal };

const text = (max: number) => z.string().trim().min(1, 'Får inte vara tomt').max(max, `Högst ${max} tecken`);

export const createCaseSchema = z.object({
  pathway: z.enum(PATHWAY_IDS),
  patient: z.object({ personnummer: text(20), name: text(200), address: text(300) }),
  kommun: text(100),
  placeringskommun: text(100).nullish(),
  admittedAt: instantSchema,
});
export type CreateCaseInput = z.input<typeof createCaseSchema>;

function firstIssue(error: z.ZodError, prefix = ''): { field: string; message: string } {
  const issue = error.issues[0]!;
  return { field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || 'body', message: issue.message };
}

/** Live snapshots of states computed in this process, so they need not be restored again. */
const live = new WeakMap<CaseState, AnyMachineSnapshot>();

function snapshotOf(machine: AnyStateMachine, state: CaseState): AnyMachineSnapshot {
  let snapshot = live.get(state);
  if (!snapshot) {
    snapshot = restore(machine, state.snapshot);
    live.set(state, snapshot);
  }
  return snapshot;
}

/**
 * One inert actor scope per machine, as XState's own pure `transition()` builds for every call
 * (where building it dominates the cost). Our actions are `assign` and `raise` only, which XState
 * resolves inside the macrostep, so nothing is ever executed through the scope.
 */
const scopes = new WeakMap<AnyStateMachine, Parameters<AnyStateMachine['transition']>[2]>();
const SCOPE_INPUT: CaseInput = { admittedAt: '2000-01-01T00:00:00.000Z', kommun: '-', placeringskommun: null };

function scopeFor(machine: AnyStateMachine): Parameters<AnyStateMachine['transition']>[2] {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine, { input: SCOPE_INPUT });
    const noop = () => {};
    scope = { self, defer: noop, id: '', logger: noop, sessionId: '', stopChild: noop, system: self.system, emit: noop, actionExecutor: noop } as never;
    scopes.set(machine, scope);
  }
  return scope;
}

function nextSnapshot(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: { type: string }): AnyMachineSnapshot {
  return machine.transition(snapshot, event as never, scopeFor(machine)) as AnyMachineSnapshot;
}

/** Restores a persisted snapshot (status, history and context as stored). */
export function restore(machine: AnyStateMachine, persisted: unknown): AnyMachineSnapshot {
  return machine.restoreSnapshot(persisted as never, scopeFor(machine)) as AnyMachineSnapshot;
}

function persist(machine: AnyStateMachine, snapshot: AnyMachineSnapshot): unknown {
  return JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot)));
}

function caseInput(info: CaseInfo): CaseInput {
  return { admittedAt: info.admittedAt, kommun: info.kommun, placeringskommun: info.placeringskommun };
}

export type NewCase = z.output<typeof createCaseSchema>;

/** Validates a new case's body, personnummer checksum included; the personnummer comes back normalised. */
export function parseCaseInput(body: unknown): { ok: true; input: NewCase } | { ok: false; field: string; message: string } {
  const parsed = createCaseSchema.safeParse(body);
  if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
  const input = parsed.data;
  const identity = checkIdentityNumber(input.patient.personnummer, localDateOf(input.admittedAt));
  if (!identity.ok) return { ok: false, field: 'patient.personnummer', message: identity.reason };
  return { ok: true, input: { ...input, patient: { ...input.patient, personnummer: identity.normalized } } };
}

export function createCase(registry: PathwayRegistry, id: string, body: unknown, ward: string | null = null): { ok: true; state: CaseState } | Failure {
  const parsed = parseCaseInput(body);
  if (!parsed.ok) return { ok: false, kind: 'invalid', field: parsed.field, message: parsed.message };
  const { input } = parsed;
  const definition = registry.definition(input.pathway);
  const info: CaseInfo = {
    id,
    patient: input.patient,
    kommun: input.kommun,
    placeringskommun: input.placeringskommun ?? null,
    admittedAt: input.admittedAt,
    ward,
    firstVersion: definition.version,
  };
  const machine = machineFor(definition);
  const [snapshot] = initialTransition(machine, caseInput(info));
  const state: CaseState = { info, pathway: definition.id, pathwayVersion: definition.version, snapshot: persist(machine, snapshot), log: [] };
  live.set(state, snapshot);
  return { ok: true, state };
}

function accepts(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: { type: string }): boolean {
  return snapshot.status === 'active' && machine.getTransitionData(snapshot, event as never).length > 0;
}

/**
 * C-9: the case under `target` is its log replayed there (events the new pathway has no use for
 * are passed over), then marked reclassified. The new pathway thus starts in the phase its own
 * rules give the same facts.
 */
function reclassified(registry: PathwayRegistry, info: CaseInfo, log: LoggedEvent[], from: PathwayId, target: PathwayId, at: Instant) {
  const definition = registry.definition(target);
  const machine = machineFor(definition);
  let [snapshot] = initialTransition(machine, caseInput(info));
  for (const entry of log) {
    const event = entry.type === 'RECLASSIFY'
      ? { type: 'case.reclassified', at: entry.at, from: entry.pathway, to: (entry.event as { pathway: PathwayId }).pathway }
      : entry.event;
    if (accepts(machine, snapshot, event)) snapshot = nextSnapshot(machine, snapshot, event);
  }
  snapshot = nextSnapshot(machine, snapshot, { type: 'case.reclassified', at, from, to: target } as never);
  return { definition, machine, snapshot };
}

/** Applies one already-validated event; the single code path of live application and replay. */
function step(registry: PathwayRegistry, state: CaseState, event: CaseEvent, actor?: Actor): { ok: true; state: CaseState; entry: LoggedEvent } | Failure {
  const definition = registry.definition(state.pathway, state.pathwayVersion);
  const machine = machineFor(definition);
  const snapshot = snapshotOf(machine, state);
  const context = snapshot.context as CaseContext;
  const taken = snapshot.status === 'active' ? machine.getTransitionData(snapshot, event as never) : [];
  if (taken.length === 0) {
    return { ok: false, kind: 'rejected', rejected: explainRefusal(definition, context, snapshot.value, event) };
  }
  const by = ((taken[0]?.meta as { party?: PartyId } | undefined)?.party) ?? 'slutenvard';
  const entry: LoggedEvent = { seq: state.log.length + 1, at: event.at, type: event.type, by, event, pathway: state.pathway, ...(actor ? { actor } : {}) };
  if (event.type === 'RECLASSIFY') {
    const next = reclassified(registry, state.info, state.log, state.pathway, event.pathway, event.at);
    const nextState: CaseState = { ...state, pathway: next.definition.id, pathwayVersion: next.definition.version, snapshot: persist(next.machine, next.snapshot), log: [...state.log, entry] };
    live.set(nextState, next.snapshot);
    return { ok: true, entry, state: nextState };
  }
  const next = nextSnapshot(machine, snapshot, event);
  const nextState: CaseState = { ...state, snapshot: persist(machine, next), log: [...state.log, entry] };
  live.set(nextState, next);
  return { ok: true, entry, state: nextState };
}

/** Validates and applies a client's event at `now` (the engine's clock) unless it carries `at`. */
export function applyEvent(registry: PathwayRegistry, state: CaseState, raw: unknown, now: Instant, actor?: Actor): { ok: true; state: CaseState; entry: LoggedEvent } | Failure {
  const parsed = parseEvent(raw);
  if (!parsed.ok) return { ok: false, kind: 'invalid', field: parsed.field, message: parsed.message };
  const at = parsed.event.at ?? now;
  const last = state.log.at(-1)?.at ?? state.info.admittedAt;
  if (at < last) {
    return { ok: false, kind: 'invalid', field: 'at', message: 'Tidpunkten ligger före ärendets senaste händelse' };
  }
  return step(registry, state, { ...parsed.event, at } as CaseEvent, actor);
}

/** Rebuilds a case from its log: how a case is explained and how stored snapshots are verified. */
export function replay(registry: PathwayRegistry, info: CaseInfo, firstPathway: PathwayId, log: LoggedEvent[], version = info.firstVersion): CaseState {
  const definition = registry.definition(firstPathway, version);
  const machine = machineFor(definition);
  const [snapshot] = initialTransition(machine, caseInput(info));
  let state: CaseState = { info, pathway: definition.id, pathwayVersion: definition.version, snapshot: persist(machine, snapshot), log: [] };
  for (const entry of log) {
    const result = step(registry, state, entry.event, entry.actor);
    if (!result.ok) throw new Error(`Replay of ${info.id} refused event ${entry.seq} (${entry.type})`);
    state = result.state;
  }
  return state;
}

export function contextOf(registry: PathwayRegistry, state: CaseState): { definition: PathwayDefinition; snapshot: AnyMachineSnapshot; context: CaseContext } {
  const definition = registry.definition(state.pathway, state.pathwayVersion);
  const snapshot = snapshotOf(machineFor(definition), state);
  return { definition, snapshot, context: snapshot.context as CaseContext };
}
