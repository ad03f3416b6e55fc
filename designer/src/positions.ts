/**
 * Live case counts per state: the server's positions, moved by the event stream (each change names
 * the leaf states a case left and entered). Pure and framework-free; components subscribe per state
 * so a burst of updates re-renders only the states whose counts changed, once per frame.
 */
import type { CaseChange, Position } from './api.ts';

export interface Count {
  active: number;
  overdue: number;
}

const ZERO: Count = Object.freeze({ active: 0, overdue: 0 });

export type Scheduler = (flush: () => void) => void;

export class PositionsStore {
  private counts = new Map<string, Count>();
  private listeners = new Set<() => void>();
  private scheduled = false;
  private maxActive = 0;
  /** Stream changes applied since the last snapshot (for the bench and the live marker). */
  applied = 0;

  constructor(readonly pathway: string, private readonly schedule: Scheduler = (flush) => flush()) {}

  /** Replaces every count with the server's snapshot. */
  set(states: Position[]): void {
    const next = new Map<string, Count>();
    for (const s of states) next.set(s.state, { active: s.active, overdue: Math.min(s.overdue, s.active) });
    // Keep the object of an unchanged count, so its subscribers do not re-render.
    for (const [state, count] of next) {
      const old = this.counts.get(state);
      if (old && old.active === count.active && old.overdue === count.overdue) next.set(state, old);
    }
    this.counts = next;
    this.recomputeMax();
    this.notify();
  }

  /**
   * Takes only the overdue counts of a snapshot (the stream carries no overdue news) and keeps the
   * active counts the stream has kept exact, for a snapshot taken while changes were arriving.
   */
  setOverdue(states: Position[]): void {
    const overdue = new Map(states.map((s) => [s.state, s.overdue]));
    let changed = false;
    for (const [state, count] of this.counts) {
      const next = Math.min(overdue.get(state) ?? 0, count.active);
      if (next !== count.overdue) {
        this.counts.set(state, { active: count.active, overdue: next });
        changed = true;
      }
    }
    if (changed) this.notify();
  }

  /**
   * Moves one case: out of the states it left (when it was on this pathway), into the states it
   * entered (when it is still active here). Returns whether any count changed.
   */
  apply(change: CaseChange): boolean {
    let changed = false;
    const from = change.previousPathway ?? change.pathway;
    if (from === this.pathway) {
      for (const state of change.previousStates) changed = this.add(state, -1) || changed;
    }
    if (change.pathway === this.pathway && change.status === 'active') {
      for (const state of change.states) changed = this.add(state, 1) || changed;
    }
    if (changed) {
      this.applied += 1;
      this.notify();
    }
    return changed;
  }

  private add(state: string, delta: number): boolean {
    const old = this.counts.get(state) ?? ZERO;
    const active = Math.max(0, old.active + delta);
    if (active === old.active) return false;
    this.counts.set(state, { active, overdue: Math.min(old.overdue, active) });
    if (active > this.maxActive) this.maxActive = active;
    else if (old.active === this.maxActive && delta < 0) this.recomputeMax();
    return true;
  }

  private recomputeMax(): void {
    this.maxActive = 0;
    for (const c of this.counts.values()) if (c.active > this.maxActive) this.maxActive = c.active;
  }

  get = (state: string): Count => this.counts.get(state) ?? ZERO;

  max = (): number => this.maxActive;

  /** Active cases on the pathway: every case has exactly one state in the inpatient lane. */
  total(lane = 'slutenvard'): number {
    let active = 0;
    for (const [state, c] of this.counts) if (state.startsWith(`${lane}.`)) active += c.active;
    return active;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      for (const l of [...this.listeners]) l();
    });
  }
}

/** Heat level 0 (no cases) … 5 (the busiest state), on a square-root scale so small counts show. */
export function heatLevel(active: number, max: number): number {
  if (active <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil(5 * Math.sqrt(active / max))));
}
