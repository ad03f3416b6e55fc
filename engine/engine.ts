/**
 * The durable case engine: the pure case core inside one SQLite transaction per accepted event,
 * optimistic concurrency on the case's version, idempotency keys, a scheduler that notes overdue
 * deadlines from the deadline table (catching up after downtime), and a change feed. Compute
 * first, then persist snapshot + event + deadlines together; effects (the feed) only after commit.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { disclosureAllowed } from '../machines/context.ts';
import type { PathwayDefinition } from '../machines/definition.ts';
import type { PathwayId } from '../machines/events.ts';
import { caseAccessKeys, gateView, principalKeys, type CaseAccess, type Principal } from './access.ts';
import type { Instant } from './calendar.ts';
import { applyEvent, contextOf, createCase, replay, type Actor, type CaseState, type PathwayRegistry } from './cases.ts';
import { caseView, type CaseView } from './caseView.ts';
import type { Refusal } from './explain.ts';
import { Store, type CaseFilter, type Derived, type LiabilityRow, type StoredCase } from './store.ts';
import type { ImpactReport, ImpactSide, MigrationResult } from './versionReports.ts';
import { pinned } from './versions.ts';

export type { ImpactReport, ImpactSide, MigrationResult };
import { sortWorklist, worklistItems, type WorklistItem } from './worklist.ts';

export interface Clock {
  now(): Instant;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

/** A clock moved by hand: the simulator's and the tests'. */
export class ManualClock implements Clock {
  private current: Instant;
  constructor(start: Instant) {
    // Instants are compared as UTC ISO strings everywhere: normalise whatever offset was given.
    this.current = new Date(start).toISOString();
  }
  now(): Instant {
    return this.current;
  }
  set(instant: Instant): void {
    this.current = new Date(instant).toISOString();
  }
  advance(ms: number): void {
    this.current = new Date(Date.parse(this.current) + ms).toISOString();
  }
}

export type EngineFailure =
  | { ok: false; kind: 'invalid'; field: string; message: string }
  | { ok: false; kind: 'rejected'; rejected: Refusal }
  | { ok: false; kind: 'not_found' }
  | { ok: false; kind: 'conflict'; currentVersion: number }
  | { ok: false; kind: 'idempotency_mismatch' };

export type EngineResult = { ok: true; view: CaseView; replayed: boolean } | EngineFailure;

export interface CaseChange {
  kind: 'case';
  id: string;
  pathway: PathwayId;
  version: number;
  status: 'active' | 'closed';
  phase: string;
  /** Leaf states before and after, so live counts can be moved without a reload. */
  states: string[];
  previousStates: string[];
  previousPathway: PathwayId | null;
  sandbox: boolean;
  at: Instant;
}

export interface DeadlineOverdue {
  kind: 'deadline';
  caseId: string;
  pathway: PathwayId;
  deadlineId: string;
  rule: string;
  party: string;
  due: Instant;
  at: Instant;
}

export type EngineChange = CaseChange | DeadlineOverdue;


interface Cached extends StoredCase {
  version: number;
  /** What was last written for the case (positions, deadlines, todo), to write only changes. */
  derived?: Derived;
}

/** What the store keeps for positions, worklists, access and the scheduler; sandbox cases count nowhere. */
function derive(view: CaseView, sandbox: boolean, ward: string | null | undefined): Derived {
  const states = view.lanes.map((l) => ({ state: `${l.lane}.${l.state}`, party: l.party }));
  const todo = new Set<string>();
  for (const d of view.deadlines) if (d.status === 'pending' || d.status === 'overdue') todo.add(d.party);
  for (const b of view.blockers) if (b.advances) todo.add(b.party);
  return {
    state: JSON.stringify(view.state),
    phase: view.phase,
    status: view.status,
    states: sandbox ? [] : states,
    todo: sandbox ? [] : [...todo].sort(),
    deadlines: view.deadlines.map((d) => ({
      id: d.id, rule: d.rule, party: d.party, due: d.due, metAt: d.metAt ?? null,
      cancelledAt: d.cancelledAt ?? null,
    })),
    access: sandbox ? [] : caseAccessKeys({ ward, kommun: view.kommun, placeringskommun: view.placeringskommun }, view),
    liability: sandbox ? null : liabilityRow(view, ward ?? null),
  };
}

function liabilityRow(view: CaseView, ward: string | null): LiabilityRow {
  const l = view.paymentLiability;
  return {
    pathway: view.pathway, kommun: l.liableKommun, ward, dayZero: l.dayZero, endedOn: l.endedOn, discharged: view.dischargedAt !== null, kommunConcerned: l.kommunConcerned,
    readyDays: l.readyDays, applies: l.applies, chargeableDays: l.chargeableDays, threshold: l.thresholdDays, reasons: l.reasons,
  };
}

export interface EngineOptions {
  cacheSize?: number;
}

export class CaseEngine {
  readonly changes = new EventEmitter();
  private readonly cache = new Map<string, Cached>();
  private readonly cacheSize: number;

  constructor(
    readonly store: Store,
    readonly registry: PathwayRegistry,
    readonly clock: Clock,
    options: EngineOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 2000;
    this.changes.setMaxListeners(0);
    if (store.pendingRebuild('case_access') || store.pendingRebuild('case_liability')) this.rebuildDerived();
  }

  /** Writes every case's access keys and liability row (after the migrations that introduced them). */
  private rebuildDerived(): void {
    const ids = this.store.allCaseIds();
    const now = this.clock.now();
    for (let i = 0; i < ids.length; i += 1000) {
      this.store.transaction(() => {
        for (const id of ids.slice(i, i + 1000)) {
          const current = this.load(id);
          if (!current) continue;
          const derived = derive(caseView(this.registry, current.state, now), current.sandbox, current.state.info.ward);
          this.store.writeAccess(id, derived.access);
          this.store.writeLiability(id, derived.liability);
        }
      });
    }
    this.store.rebuildDone('case_access');
    this.store.rebuildDone('case_liability');
  }

  /** How a case is visible (for `lensFor`) and whether its data may be disclosed now (I-2, I-4). */
  accessOf(id: string): (CaseAccess & { disclosure: boolean }) | null {
    const current = this.load(id);
    if (!current) return null;
    const { context } = contextOf(this.registry, current.state);
    return {
      keys: current.derived?.access ?? caseAccessKeys(current.state.info, context),
      sandbox: current.sandbox, pathway: current.state.pathway, disclosure: disclosureAllowed(context),
    };
  }

  /** The definition a case runs on (its pathway and version). */
  definitionOf(id: string): PathwayDefinition | null {
    const current = this.load(id);
    return current ? this.registry.definition(current.state.pathway, current.state.pathwayVersion) : null;
  }

  private remember(id: string, entry: Cached): void {
    this.cache.delete(id);
    this.cache.set(id, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }

  private load(id: string): Cached | null {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const stored = this.store.loadCase(id);
    if (stored) this.remember(id, stored);
    return stored;
  }

  private emit(change: EngineChange): void {
    this.changes.emit('change', change);
  }

  private withIdempotency(key: string | undefined, scope: string, run: () => EngineResult): EngineResult {
    if (!key) return run();
    const known = this.store.idempotent(key);
    if (known) {
      if (known.scope !== scope) return { ok: false, kind: 'idempotency_mismatch' };
      return { ok: true, view: JSON.parse(known.body) as CaseView, replayed: true };
    }
    return run();
  }

  create(body: unknown, options: { idempotencyKey?: string; sandbox?: boolean; id?: string; ward?: string | null; scope?: string } = {}): EngineResult {
    const scope = `${options.scope ?? ''}POST /api/cases`;
    return this.withIdempotency(options.idempotencyKey, scope, () => {
      const now = this.clock.now();
      const created = createCase(this.registry, options.id ?? randomUUID(), body, options.sandbox ? null : options.ward ?? null);
      if (!created.ok) return created;
      const view = caseView(this.registry, created.state, now);
      const derived = derive(view, options.sandbox ?? false, created.state.info.ward);
      this.store.transaction(() => {
        this.store.insertCase(created.state, derived, options.sandbox ?? false, now);
        if (options.idempotencyKey) this.store.rememberIdempotent(options.idempotencyKey, scope, 201, JSON.stringify(view), now);
      });
      this.remember(view.id, { state: created.state, firstPathway: created.state.pathway, sandbox: options.sandbox ?? false, version: 0, derived });
      this.emit({
        kind: 'case', id: view.id, pathway: view.pathway, version: 0, status: view.status, phase: view.phase, states: derived.states.map((s) => s.state),
        previousStates: [], previousPathway: null, sandbox: options.sandbox ?? false, at: now,
      });
      return { ok: true, view, replayed: false };
    });
  }

  /** `scope` keeps one user's idempotency keys apart from another's. */
  send(id: string, body: unknown, options: { expectedVersion?: number; idempotencyKey?: string; actor?: Actor; scope?: string } = {}): EngineResult {
    const scope = `${options.scope ?? ''}POST /api/cases/${id}/events`;
    return this.withIdempotency(options.idempotencyKey, scope, () => {
      const current = this.load(id);
      if (!current) return { ok: false, kind: 'not_found' };
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        return { ok: false, kind: 'conflict', currentVersion: current.version };
      }
      const now = this.clock.now();
      const result = applyEvent(this.registry, current.state, body, now, options.actor);
      if (!result.ok) return result;
      const { ward } = current.state.info;
      const previousStates = (current.derived ?? derive(caseView(this.registry, current.state, now), current.sandbox, ward)).states.map((s) => s.state);
      const previousPathway = current.state.pathway;
      const view = caseView(this.registry, result.state, now);
      const derived = derive(view, current.sandbox, ward);
      const written = this.store.transaction(() => {
        const ok = this.store.appendEvent(result.state, result.entry, derived, current.version, options.idempotencyKey ?? null, now, current.derived);
        if (ok && options.idempotencyKey) this.store.rememberIdempotent(options.idempotencyKey, scope, 200, JSON.stringify(view), now);
        return ok;
      });
      if (!written) {
        this.cache.delete(id);
        return { ok: false, kind: 'conflict', currentVersion: this.store.loadCase(id)?.version ?? current.version };
      }
      this.remember(id, { ...current, state: result.state, version: current.version + 1, derived });
      this.emit({
        kind: 'case', id, pathway: view.pathway, version: current.version + 1, status: view.status, phase: view.phase,
        states: derived.states.map((s) => s.state), previousStates, previousPathway,
        sandbox: current.sandbox, at: now,
      });
      return { ok: true, view, replayed: false };
    });
  }

  view(id: string): CaseView | null {
    const current = this.load(id);
    return current ? caseView(this.registry, current.state, this.clock.now()) : null;
  }

  list(filter: CaseFilter) {
    return this.store.listCases(filter, this.clock.now());
  }

  /**
   * What the user's unit owes now on the cases it is part of, in order (overdue first), from each
   * case's view as the unit may see it (consent-gated).
   */
  worklist(principal: Principal, filter: { pathway?: string; kommun?: string } = {}): WorklistItem[] {
    const party = principal.unit.party;
    if (!party || !principal.roles.includes('staff')) return [];
    const now = this.clock.now();
    const items: WorklistItem[] = [];
    for (const id of this.store.todoCases(party, principalKeys(principal), filter)) {
      const view = this.view(id);
      if (view) items.push(...worklistItems(gateView(view, { kind: 'party', party }), party, now));
    }
    return sortWorklist(items);
  }

  /**
   * Moves open cases of `pathway` to version `to` (issue 6): each case's log is replayed under the
   * new definition; a case is refused when the new version refuses one of its events, when it was
   * reclassified from another pathway, or when it lands elsewhere than the owner's `mapping` of
   * its current states says. A dry run computes exactly what the real run writes.
   */
  migrate(pathway: PathwayId, options: { to: number; from?: number; caseIds?: string[]; mapping?: Record<string, string>; dryRun: boolean; by: string }): MigrationResult[] {
    const target = this.registry.definition(pathway, options.to);
    const registry = pinned(this.registry, target);
    const ids = options.caseIds ?? this.store.caseIdsOn(pathway, options.from);
    const mapping = options.mapping ?? {};
    const now = this.clock.now();
    const results: MigrationResult[] = [];
    for (const id of ids) {
      const current = this.load(id);
      const base = { caseId: id, fromVersion: current?.state.pathwayVersion ?? null, toVersion: options.to };
      if (!current || current.sandbox || current.state.pathway !== pathway) {
        results.push({ ...base, ok: false, reason: `Ärendet finns inte i processen ${pathway}`, reasonEn: `The case is not in the pathway ${pathway}`, from: [], to: [] });
        continue;
      }
      const before = caseView(this.registry, current.state, now);
      const from = before.lanes.map((l) => `${l.lane}.${l.state}`);
      if (before.status !== 'active') {
        results.push({ ...base, ok: false, reason: 'Ärendet är avslutat', reasonEn: 'The case is closed', from, to: [] });
        continue;
      }
      if (current.state.pathwayVersion === options.to) {
        results.push({ ...base, ok: false, reason: `Ärendet är redan på version ${options.to}`, reasonEn: `The case is already on version ${options.to}`, from, to: from });
        continue;
      }
      if (current.firstPathway !== pathway) {
        results.push({ ...base, ok: false, reason: 'Ärendet har bytt process (C-9) och flyttas inte mellan versioner', reasonEn: 'The case changed pathway (C-9) and is not moved between versions', from, to: [] });
        continue;
      }
      let migrated: CaseState;
      try {
        migrated = replay(registry, current.state.info, pathway, current.state.log, options.to);
      } catch (error) {
        results.push({ ...base, ok: false, reason: `Version ${options.to} tar inte emot ärendets händelser: ${(error as Error).message}`, reasonEn: `Version ${options.to} refuses the case's events: ${(error as Error).message}`, from, to: [] });
        continue;
      }
      const after = caseView(this.registry, migrated, now);
      const to = after.lanes.map((l) => `${l.lane}.${l.state}`);
      const mismatches = from.flatMap((state) => {
        const expected = mapping[state];
        const lane = state.slice(0, state.lastIndexOf('.'));
        const landed = to.find((s) => s.startsWith(`${lane}.`));
        return expected !== undefined && landed !== expected ? [`${state} skulle bli ${expected} men blir ${landed ?? '–'}`] : [];
      });
      if (mismatches.length > 0) {
        results.push({ ...base, ok: false, reason: `Hamnar inte enligt mappningen: ${mismatches.join('; ')}`, reasonEn: `Does not land as mapped: ${mismatches.join('; ')}`, from, to });
        continue;
      }
      results.push({ ...base, ok: true, reason: null, reasonEn: null, from, to });
      if (options.dryRun) continue;
      const used = Object.fromEntries(Object.entries(mapping).filter(([state]) => from.includes(state)));
      const info = { ...current.state.info, firstVersion: options.to, migrations: [...(current.state.info.migrations ?? []), { at: now, from: current.state.pathwayVersion, to: options.to, mapping: used, by: options.by }] };
      const state: CaseState = { ...migrated, info };
      const view = caseView(this.registry, state, now);
      const derived = derive(view, false, info.ward);
      const written = this.store.transaction(() => this.store.migrateCase(state, derived, current.version, now, current.derived));
      if (!written) {
        this.cache.delete(id);
        results[results.length - 1] = { ...results.at(-1)!, ok: false, reason: 'Ärendet ändrades under flytten: försök igen', reasonEn: 'The case changed during the move: try again' };
        continue;
      }
      this.remember(id, { ...current, state, derived });
      this.emit({
        kind: 'case', id, pathway, version: current.version, status: view.status, phase: view.phase, states: derived.states.map((x) => x.state),
        previousStates: from, previousPathway: pathway, sandbox: false, at: now,
      });
    }
    return results;
  }

  /**
   * "What would this change do?" (issue 6): the open cases of the pathway replayed under
   * `draft`, beside their published views: per party, how many cases are blocked on it or have
   * an overdue deadline of it, and how many cases would be payment-liable.
   */
  impact(pathway: PathwayId, draft: PathwayDefinition): ImpactReport {
    const registry = pinned(this.registry, draft);
    const now = this.clock.now();
    const empty = (): ImpactSide => ({ cases: 0, blocked: {}, overdue: {}, liable: 0, refused: 0 });
    const published = empty();
    const proposed = empty();
    const tally = (side: ImpactSide, view: CaseView) => {
      side.cases += 1;
      for (const party of new Set(view.blockers.filter((b) => b.advances).map((b) => b.party))) side.blocked[party] = (side.blocked[party] ?? 0) + 1;
      for (const party of new Set(view.deadlines.filter((d) => d.status === 'overdue' && !d.cancelledAt).map((d) => d.party))) side.overdue[party] = (side.overdue[party] ?? 0) + 1;
      if (view.paymentLiability.applies) side.liable += 1;
    };
    const changed: { caseId: string; changes: string[]; changesEn: string[] }[] = [];
    for (const id of this.store.caseIdsOn(pathway)) {
      const current = this.load(id);
      if (!current || current.firstPathway !== pathway) continue;
      const before = caseView(this.registry, current.state, now);
      tally(published, before);
      let after: CaseView;
      try {
        after = caseView(registry, replay(registry, current.state.info, pathway, current.state.log, draft.version), now);
      } catch {
        proposed.refused += 1;
        continue;
      }
      tally(proposed, after);
      const dues = new Map(before.deadlines.map((d) => [d.id, d]));
      const changes: { sv: string; en: string }[] = after.deadlines.flatMap((d) => {
        const old = dues.get(d.id);
        if (!old) return [{ sv: `ny tidsgräns ${d.rule} (${d.label})`, en: `new deadline ${d.rule}` }];
        if (old.due === d.due && old.status === d.status) return [];
        return [{ sv: `${d.rule} ${d.label}: ${old.status} → ${d.status}`, en: `${d.rule}: ${old.status} → ${d.status}` }];
      });
      const lanes = (v: CaseView) => v.lanes.map((l) => `${l.lane}.${l.state}`).join(' ');
      if (lanes(before) !== lanes(after)) changes.push({ sv: `läge: ${lanes(before)} → ${lanes(after)}`, en: `state: ${lanes(before)} → ${lanes(after)}` });
      if (changes.length > 0) changed.push({ caseId: id, changes: changes.map((c) => c.sv), changesEn: changes.map((c) => c.en) });
    }
    return { pathway, draftVersion: draft.version, at: now, published, draft: proposed, changed: changed.slice(0, 500) };
  }

  positions(pathway: PathwayId) {
    const definition = this.registry.definition(pathway);
    return { pathway, version: definition.version, states: this.store.positions(pathway) };
  }

  /**
   * The scheduler's step: notes every open deadline that has passed (also those that passed while
   * the server was down) and announces it. Returns how many it noted.
   */
  tick(): number {
    const now = this.clock.now();
    let noted = 0;
    for (;;) {
      const due = this.store.dueDeadlines(now);
      if (due.length === 0) break;
      this.store.transaction(() => due.forEach((d) => this.store.noteOverdue(d.caseId, d.id, now)));
      for (const d of due) this.emit({ kind: 'deadline', caseId: d.caseId, pathway: d.pathway, deadlineId: d.id, rule: d.rule, party: d.party, due: d.due, at: now });
      noted += due.length;
    }
    return noted;
  }

  /** Rebuilds a case from its log and compares it with the stored snapshot. */
  verify(id: string): boolean {
    const stored = this.store.loadCase(id);
    if (!stored) return false;
    const rebuilt: CaseState = replay(this.registry, stored.state.info, stored.firstPathway, stored.state.log);
    return JSON.stringify(rebuilt.snapshot) === JSON.stringify(stored.state.snapshot) && rebuilt.pathway === stored.state.pathway;
  }
}
