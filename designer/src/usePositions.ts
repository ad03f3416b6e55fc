/** Live positions of one pathway: the server's snapshot, moved by the stream, refreshed now and then. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { api } from './api.ts';
import { live } from './live.ts';
import { PositionsStore, type Count } from './positions.ts';

/** Refresh at most this often while changes stream in (overdue counts come only from the server). */
const REFRESH_AFTER_CHANGES_MS = 4000;
const REFRESH_EVERY_MS = 30_000;

declare global {
  interface Window {
    __samverkan?: { stores: Record<string, PositionsStore>; received: () => number };
  }
}

/**
 * The server's snapshot first; then every change on the stream moves the counts exactly. Later
 * snapshots (after deadlines, after changes, now and then) bring the overdue counts; they replace
 * the active counts too when no change arrived while they were on their way, since a change that
 * crossed a snapshot in flight may or may not be in it.
 */
export function usePositions(pathway: string): PositionsStore {
  const store = useMemo(() => new PositionsStore(pathway, (flush) => requestAnimationFrame(flush)), [pathway]);

  useEffect(() => {
    let stopped = false;
    let loaded = false;
    let changes = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastDuration = 0;
    const controller = new AbortController();

    const refresh = async () => {
      const seen = changes;
      const started = performance.now();
      try {
        const positions = await api.positions(pathway, controller.signal);
        if (stopped) return;
        if (!loaded || changes === seen) store.set(positions.states);
        else store.setOverdue(positions.states);
        loaded = true;
      } catch {
        // The stream and the next refresh carry on.
      } finally {
        lastDuration = performance.now() - started;
      }
    };
    // Gentle with a busy server: never more often than twenty times the last snapshot's cost.
    const refreshSoon = (delay = REFRESH_AFTER_CHANGES_MS) => {
      timer ??= setTimeout(() => {
        timer = null;
        void refresh();
      }, Math.max(delay, 20 * lastDuration));
    };

    void refresh();
    const offCase = live.onCase((change) => {
      if (change.pathway !== pathway && change.previousPathway !== pathway) return;
      changes += 1;
      store.apply(change);
      refreshSoon();
    });
    const offDeadline = live.onDeadline((change) => (change.pathway === pathway ? refreshSoon(1000) : undefined));
    // After a reconnect the stream may have missed changes.
    const offStatus = live.onStatus((status) => {
      if (status === 'open' && loaded) refreshSoon(0);
    });
    const interval = setInterval(() => refreshSoon(0), REFRESH_EVERY_MS);

    window.__samverkan ??= { stores: {}, received: () => live.received };
    window.__samverkan.stores[pathway] = store;
    return () => {
      stopped = true;
      controller.abort();
      offCase();
      offDeadline();
      offStatus();
      clearInterval(interval);
      if (timer) clearTimeout(timer);
    };
  }, [pathway, store]);

  return store;
}

export function useCount(store: PositionsStore | null, state: string): Count {
  return useSyncExternalStore(
    store ? store.subscribe : noopSubscribe,
    () => (store ? store.get(state) : NONE),
  );
}

export function useMax(store: PositionsStore | null): number {
  return useSyncExternalStore(store ? store.subscribe : noopSubscribe, () => (store ? store.max() : 0));
}

export function useTotal(store: PositionsStore | null): number {
  return useSyncExternalStore(store ? store.subscribe : noopSubscribe, () => (store ? store.total() : 0));
}

const NONE: Count = { active: 0, overdue: 0 };
const noopSubscribe = () => () => {};
