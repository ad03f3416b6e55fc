/**
 * Turns a pathway definition (data) into an XState v5 machine. The machine config stays plain data:
 * guards and actions are referenced by name with params and implemented from the catalogues, so
 * the definition the designer draws and the machine the engine runs are the same thing.
 */
import { and, assign, raise, setup, type AnyStateMachine } from 'xstate';
import { ACTIONS, type ActionSpec } from './actions.ts';
import { initialContext, type CaseContext, type CaseInput } from './context.ts';
import type { ActionRef, GuardRef, PathwayDefinition, RegionDef, StateDef, TransitionDef } from './definition.ts';
import type { CaseEvent, EngineEvent } from './events.ts';
import { GUARDS, type GuardEnv, type GuardSpec } from './guards.ts';

/** Guard refs of a transition, the routing `match` first. */
export function transitionGuards(transition: TransitionDef): GuardRef[] {
  const match = transition.match ? [{ type: 'eventMatches', params: transition.match }] : [];
  return [...match, ...(transition.guards ?? [])];
}

function compileGuard(refs: GuardRef[]): unknown {
  if (refs.length === 0) return undefined;
  if (refs.length === 1) return refs[0];
  return and(refs as unknown as Parameters<typeof and>[0]);
}

function compileTransition(t: TransitionDef): Record<string, unknown> {
  const guard = compileGuard(transitionGuards(t));
  return {
    ...(t.target ? { target: t.target } : {}),
    ...(guard ? { guard } : {}),
    actions: (t.actions ?? []).map((ref: ActionRef) => ref),
    meta: t.meta,
  };
}

function compileOn(transitions: TransitionDef[] | undefined): Record<string, unknown[]> {
  const on: Record<string, unknown[]> = {};
  for (const t of transitions ?? []) (on[t.event] ??= []).push(compileTransition(t));
  return on;
}

function compileState(s: StateDef): Record<string, unknown> {
  return { meta: s.meta, tags: [s.meta.phase], on: compileOn(s.on) };
}

function compileRegion(region: RegionDef): Record<string, unknown> {
  const base = { meta: region.meta, on: compileOn(region.on) };
  if (region.regions) {
    return { ...base, type: 'parallel', states: mapValues(region.regions, compileRegion) };
  }
  return { ...base, initial: region.initial, states: mapValues(region.states, compileState) };
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

/** The XState machine config of a definition: plain, serialisable data. */
export function machineConfig(definition: PathwayDefinition): Record<string, unknown> {
  return {
    id: definition.id,
    initial: 'aktiv',
    context: ({ input }: { input: CaseInput }) => initialContext(definition, input),
    meta: { pathway: definition.id, version: definition.version, label: definition.label },
    states: {
      aktiv: {
        type: 'parallel',
        meta: { label: 'Pågående', labelEn: 'Active' },
        on: compileOn(definition.on),
        states: mapValues(definition.lanes, compileRegion),
      },
      avslutad: { id: 'avslutad', type: 'final', meta: { label: 'Avslutat', labelEn: 'Closed' } },
    },
  };
}

type AnyEvent = CaseEvent | EngineEvent | { type: string; at: string };
type Params = Record<string, never>;

export function compileMachine(definition: PathwayDefinition): AnyStateMachine {
  const env: GuardEnv = { definition };
  const guards = mapValues(GUARDS as Record<string, GuardSpec>, (spec) =>
    ({ context, event }: { context: CaseContext; event: AnyEvent }, params: Params) => spec.check(context, event as CaseEvent, env, params));
  const actions: Record<string, unknown> = mapValues(ACTIONS as Record<string, ActionSpec>, (spec) =>
    assign(({ context, event }: { context: CaseContext; event: AnyEvent }, params: Params) => spec.run(context, event as CaseEvent, env, params)));
  actions.raise = raise(({ event }: { event: AnyEvent }, params: { event: string }) => ({ type: params.event, at: event.at }));

  // The catalogues are typed by name; XState's setup types cannot follow a config built as data.
  const machineSetup = setup({
    types: {} as { context: CaseContext; events: AnyEvent; input: CaseInput },
    guards: guards as never,
    actions: actions as never,
  });
  return machineSetup.createMachine(machineConfig(definition) as never) as unknown as AnyStateMachine;
}
