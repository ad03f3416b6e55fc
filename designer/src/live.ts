/**
 * One connection to the server's event stream (GET /api/stream), shared by every view. The stream
 * needs the Authorization header, which EventSource cannot send, so it is read with fetch and
 * parsed by `SseParser`: reconnects with backoff (from the server's `retry:`, doubled per failure,
 * with jitter, at most 30 s), reconnects when the connection goes silent past the server's
 * heartbeat, and stops when the user signs out.
 */
import { useSyncExternalStore } from 'react';
import type { CaseChange, DeadlineChange } from './api.ts';
import { auth, getToken, unauthorized } from './auth.ts';
import { SseParser, type SseMessage } from './sse.ts';

type Listener<T> = (change: T) => void;

export type LiveStatus = 'connecting' | 'open' | 'closed';

/** The server sends a comment every 15 s; this long without a byte means the connection is gone. */
const SILENCE_MS = 45_000;
const MAX_DELAY_MS = 30_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}

class LiveFeed {
  private controller: AbortController | null = null;
  private caseListeners = new Set<Listener<CaseChange>>();
  private deadlineListeners = new Set<Listener<DeadlineChange>>();
  private statusListeners = new Set<(status: LiveStatus) => void>();
  /** The server's reconnection time (`retry:`). */
  private retryMs = 2000;
  private failures = 0;
  status: LiveStatus = 'closed';
  /** Messages received (the bench reads this). */
  received = 0;

  constructor() {
    auth.subscribe(() => {
      if (auth.state.status === 'signed-out') this.disconnect();
      else if (auth.state.status === 'signed-in' && this.wanted()) this.connect();
    });
  }

  private wanted(): boolean {
    return this.caseListeners.size + this.deadlineListeners.size + this.statusListeners.size > 0;
  }

  private connect(): void {
    if (this.controller || typeof fetch === 'undefined' || !getToken()) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller.signal);
  }

  /** Closes the stream (on sign-out); the next listener opens it again. */
  disconnect(): void {
    if (!this.controller) return;
    this.controller.abort();
    this.controller = null;
    this.setStatus('closed');
  }

  private async run(signal: AbortSignal): Promise<void> {
    const parser = new SseParser((m) => this.dispatch(m), (ms) => (this.retryMs = ms));
    while (!signal.aborted) {
      const token = getToken();
      if (!token) break;
      this.setStatus('connecting');
      let waitMs: number | null = null;
      const attempt = new AbortController();
      const abort = () => attempt.abort();
      signal.addEventListener('abort', abort, { once: true });
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const alive = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(abort, SILENCE_MS);
      };
      try {
        alive();
        const response = await fetch('/api/stream', {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}`, ...(parser.lastEventId ? { 'Last-Event-ID': parser.lastEventId } : {}) },
          cache: 'no-store',
          signal: attempt.signal,
        });
        if (response.status === 401) {
          const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          unauthorized(body?.error?.message ?? 'Inloggning krävs');
          break;
        }
        if (response.status === 429) waitMs = Number(response.headers.get('Retry-After') ?? 0) * 1000 || null;
        if (!response.ok || !response.body) throw new Error(`stream: ${response.status}`);
        this.failures = 0;
        this.setStatus('open');
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          alive();
          parser.push(decoder.decode(value, { stream: true }));
        }
      } catch {
        // Dropped, refused or silent: reconnect below unless stopped.
      } finally {
        clearTimeout(watchdog);
        signal.removeEventListener('abort', abort);
      }
      parser.reset();
      if (signal.aborted) break;
      this.failures += 1;
      this.setStatus('connecting');
      await sleep(waitMs ?? this.backoff(), signal);
    }
    if (this.controller?.signal === signal) {
      this.controller = null;
      this.setStatus('closed');
    }
  }

  private backoff(): number {
    const base = Math.min(MAX_DELAY_MS, this.retryMs * 2 ** Math.max(0, this.failures - 1));
    return base / 2 + Math.random() * (base / 2);
  }

  private dispatch(message: SseMessage): void {
    let change: unknown;
    try {
      change = JSON.parse(message.data);
    } catch {
      return;
    }
    this.received += 1;
    if (message.event === 'case') for (const l of this.caseListeners) l(change as CaseChange);
    else if (message.event === 'deadline') for (const l of this.deadlineListeners) l(change as DeadlineChange);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }

  onCase(listener: Listener<CaseChange>): () => void {
    this.caseListeners.add(listener);
    this.connect();
    return () => this.caseListeners.delete(listener);
  }

  onDeadline(listener: Listener<DeadlineChange>): () => void {
    this.deadlineListeners.add(listener);
    this.connect();
    return () => this.deadlineListeners.delete(listener);
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    this.connect();
    return () => this.statusListeners.delete(listener);
  }
}

export const live = new LiveFeed();

/**
 * The stream's status for a view (subscribing keeps the stream open). Read through
 * useSyncExternalStore, so a change between render and subscription is not missed.
 */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribeStatus, () => live.status);
}

const subscribeStatus = (onChange: () => void) => live.onStatus(onChange);
