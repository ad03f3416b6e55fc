/**
 * Live lists (the worklist, the escalation view): one request per user and query, shared by every
 * component that shows it (the menu's badge and the page read the same answer), fetched again —
 * debounced, 300 ms after the last change, at most 2 s late under a steady stream — when the event
 * stream reports a change to one of the reader's cases or a deadline passing on one, when the stream
 * reconnects (changes may have been missed) and every five minutes.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { api, type Escalation, type Worklist } from './api.ts';
import { live } from './live.ts';
import type { WorklistFilters } from './router.ts';

const DEBOUNCE_MS = 300;
const MAX_WAIT_MS = 2000;
const FALLBACK_MS = 5 * 60_000;

export interface LiveState<T> {
  data: T | null;
  error: Error | null;
  /** A request is on its way (the first, or a refresh). */
  loading: boolean;
  /** When the data was last answered (client clock, ms). */
  at: number | null;
}

const EMPTY: LiveState<never> = { data: null, error: null, loading: true, at: null };

class LiveQuery<T> {
  state: LiveState<T> = EMPTY;
  refs = 0;
  private listeners = new Set<() => void>();
  private controller: AbortController | null = null;
  private rerun = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstWish: number | null = null;
  private stops: (() => void)[] = [];

  constructor(private readonly load: (signal: AbortSignal) => Promise<T>) {}

  start(): void {
    // Only changes that name a case (the reader's own) can change the reader's list.
    this.stops.push(
      live.onCase((c) => (c.id ? this.soon() : undefined)),
      live.onDeadline((d) => (d.caseId ? this.soon() : undefined)),
      live.onStatus((s) => (s === 'open' && this.state.data ? this.soon() : undefined)),
    );
    const interval = setInterval(() => this.refresh(), FALLBACK_MS);
    this.stops.push(() => clearInterval(interval));
    this.refresh();
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: Partial<LiveState<T>>): void {
    this.state = { ...this.state, ...next };
    for (const l of [...this.listeners]) l();
  }

  /** Debounced refresh: 300 ms after the last wish, but no later than 2 s after the first. */
  soon(): void {
    const now = Date.now();
    this.firstWish ??= now;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstWish + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.firstWish = null;
      this.refresh();
    }, wait);
  }

  /** Fetches now; a refresh asked for while one is on its way runs once it is answered. */
  refresh(): void {
    if (this.controller) {
      this.rerun = true;
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    if (!this.state.loading) this.set({ loading: true });
    this.load(controller.signal).then(
      (data) => this.controller === controller && this.set({ data, error: null, loading: false, at: Date.now() }),
      (error: unknown) => this.controller === controller && this.set({ error: error instanceof Error ? error : new Error(String(error)), loading: false }),
    ).finally(() => {
      if (this.controller !== controller) return;
      this.controller = null;
      if (this.rerun) {
        this.rerun = false;
        this.refresh();
      }
    });
  }
}

const registry = new Map<string, LiveQuery<unknown>>();

function acquire<T>(key: string, load: (signal: AbortSignal) => Promise<T>): LiveQuery<T> {
  let query = registry.get(key) as LiveQuery<T> | undefined;
  if (!query) {
    query = new LiveQuery(load);
    registry.set(key, query as LiveQuery<unknown>);
    query.start();
  }
  query.refs += 1;
  return query;
}

function release(key: string): void {
  const query = registry.get(key);
  if (!query) return;
  query.refs -= 1;
  if (query.refs <= 0) {
    query.stop();
    registry.delete(key);
  }
}

/** A shared live query under `key` (null: none); `load` is used by whoever asks first. */
function useLiveQuery<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): LiveState<T> & { refresh(): void } {
  const subscribe = useCallback((onChange: () => void) => {
    if (!key) return () => {};
    const query = acquire(key, load);
    const off = query.listen(onChange);
    onChange();
    return () => {
      off();
      release(key);
    };
    // `load` is fixed by the key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const state = useSyncExternalStore(subscribe, () => (key ? ((registry.get(key) as LiveQuery<T> | undefined)?.state ?? EMPTY) : EMPTY));
  const refresh = useCallback(() => {
    if (key) registry.get(key)?.refresh();
  }, [key]);
  return { ...state, refresh };
}

/** Every live worklist fetched again now (after this user reported an event). */
export function refreshWorklists(): void {
  for (const [key, query] of registry) if (key.startsWith('worklist ')) query.refresh();
}

const filterKey = (f: WorklistFilters) => JSON.stringify([f.pathway ?? '', f.kommun ?? '', f.due ?? '']);

/** The signed-in unit's worklist with `filters` (null user: none, e.g. not staff). */
export function useWorklist(userId: string | null, filters: WorklistFilters): LiveState<Worklist> & { refresh(): void } {
  const key = userId ? `worklist ${userId} ${filterKey(filters)}` : null;
  return useLiveQuery(key, (signal) => api.worklist(filters, signal));
}

/** The process owners' escalation view (null user: none). */
export function useEscalation(userId: string | null): LiveState<Escalation> & { refresh(): void } {
  return useLiveQuery(userId ? `escalation ${userId}` : null, (signal) => api.escalation(signal));
}

/** The time, moved on at each whole minute (relative times and "due today" follow it). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(Date.now());
      timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
    };
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
    return () => clearTimeout(timer);
  }, []);
  return now;
}
