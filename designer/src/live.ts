/** One connection to the server's event stream (GET /api/stream), shared by every view. */
import type { CaseChange, DeadlineChange } from './api.ts';

type Listener<T> = (change: T) => void;

export type LiveStatus = 'connecting' | 'open' | 'closed';

class LiveFeed {
  private source: EventSource | null = null;
  private caseListeners = new Set<Listener<CaseChange>>();
  private deadlineListeners = new Set<Listener<DeadlineChange>>();
  private statusListeners = new Set<(status: LiveStatus) => void>();
  status: LiveStatus = 'closed';
  /** Messages received (the bench reads this). */
  received = 0;

  private connect(): void {
    if (this.source || typeof EventSource === 'undefined') return;
    this.setStatus('connecting');
    const source = new EventSource('/api/stream');
    source.onopen = () => this.setStatus('open');
    source.onerror = () => this.setStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    source.addEventListener('case', (e) => {
      this.received += 1;
      const change = JSON.parse((e as MessageEvent<string>).data) as CaseChange;
      for (const l of this.caseListeners) l(change);
    });
    source.addEventListener('deadline', (e) => {
      this.received += 1;
      const change = JSON.parse((e as MessageEvent<string>).data) as DeadlineChange;
      for (const l of this.deadlineListeners) l(change);
    });
    this.source = source;
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }

  onCase(listener: Listener<CaseChange>): () => void {
    this.connect();
    this.caseListeners.add(listener);
    return () => this.caseListeners.delete(listener);
  }

  onDeadline(listener: Listener<DeadlineChange>): () => void {
    this.connect();
    this.deadlineListeners.add(listener);
    return () => this.deadlineListeners.delete(listener);
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.connect();
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
}

export const live = new LiveFeed();
