import { createContext, useContext } from 'react';
import type { PositionsStore } from '../positions.ts';

export interface TooltipContent {
  title: string;
  subtitle?: string;
  lines?: string[];
  rules: { id: string; title?: string; sentence?: string }[];
}

/** A value components subscribe to without re-rendering every node when it changes. */
export class ValueStore<T> {
  private listeners = new Set<() => void>();
  constructor(private value: T) {}
  get = (): T => this.value;
  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const l of [...this.listeners]) l();
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export interface CanvasState {
  store: PositionsStore | null;
  /** States to mark as the case's current position (inspector, simulator). */
  highlight: Set<string> | null;
  selection: ValueStore<string | null>;
  onOpen: ((stateId: string) => void) | null;
  showTooltip(content: TooltipContent, anchor: HTMLElement): void;
  hideTooltip(): void;
  ruleInfo(id: string): { id: string; title?: string; sentence?: string };
  focusNode(stateId: string): void;
  /** Edit mode (issue 6): states can be connected by dragging from one to another. */
  editable?: boolean;
  /** Edit mode: per state, how the draft differs from the published version and its worst issue. */
  marks?: Map<string, StateMark> | null;
  /** Edit mode: a transition's label was chosen (opens its source state's transitions). */
  onEdge?: ((edgeId: string, source: string) => void) | null;
}

export interface StateMark {
  diff?: 'added' | 'changed';
  issue?: 'error' | 'warning';
}

export const CanvasContext = createContext<CanvasState>({
  store: null,
  highlight: null,
  selection: new ValueStore<string | null>(null),
  onOpen: null,
  showTooltip: () => {},
  hideTooltip: () => {},
  ruleInfo: (id) => ({ id }),
  focusNode: () => {},
});

export const useCanvas = (): CanvasState => useContext(CanvasContext);
