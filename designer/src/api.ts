/** The server's HTTP API and event stream, as the designer uses them. */
import type { CaseSummary, CaseView } from '../../engine/caseView.ts';
import type { PathwayDefinition } from '../../machines/definition.ts';
import type { Rule } from '../../machines/rules.ts';

export type { CaseView };

export interface PathwaySummary {
  id: string;
  version: number;
  region: 'sth' | 'vrm';
  label: string;
  labelEn: string;
  colour: { name: string; hex: string };
  description: string;
}

export type PathwayDto = PathwayDefinition & {
  ruleCatalogue: Rule[];
};

export interface Position {
  state: string;
  active: number;
  overdue: number;
}

export interface PositionsDto {
  pathway: string;
  version: number;
  states: Position[];
}

export type CaseRow = CaseSummary;

export interface CaseList {
  items: CaseRow[];
  total: number;
}

export interface CaseChange {
  kind: 'case';
  id: string;
  pathway: string;
  version: number;
  status: 'active' | 'closed';
  phase: string;
  states: string[];
  previousStates: string[];
  previousPathway: string | null;
}

export interface DeadlineChange {
  kind: 'deadline';
  caseId: string;
  pathway: string;
  deadlineId: string;
  rule: string;
  party: string;
  due: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
    throw new ApiError(response.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? response.statusText, body?.error?.details);
  }
  return (await response.json()) as T;
}

const cache = new Map<string, Promise<unknown>>();

/** Definitions and catalogues do not change while the page is open: fetch each once. */
function once<T>(path: string): Promise<T> {
  let hit = cache.get(path) as Promise<T> | undefined;
  if (!hit) {
    hit = get<T>(path);
    hit.catch(() => cache.delete(path));
    cache.set(path, hit);
  }
  return hit;
}

declare global {
  interface Window {
    /** Started by index.html before the application loads. */
    __pathwayPrefetch?: { id: string; body: Promise<PathwayDto | null> };
  }
}

function pathway(id: string): Promise<PathwayDto> {
  const path = `/api/pathways/${encodeURIComponent(id)}`;
  const early = window.__pathwayPrefetch;
  if (early && early.id === id && !cache.has(path)) {
    window.__pathwayPrefetch = undefined;
    const body = early.body.then((dto) => dto ?? get<PathwayDto>(path));
    body.catch(() => cache.delete(path));
    cache.set(path, body);
  }
  return once<PathwayDto>(path);
}

export const api = {
  pathways: () => once<PathwaySummary[]>('/api/pathways'),
  pathway,
  rules: () => once<(Rule & { implementedIn: string[] })[]>('/api/rules'),
  eventTypes: () => once<{ type: string; sv: string; en: string; schema: unknown }[]>('/api/event-types'),
  health: () => get<{ status: string; cases: number }>('/api/health'),
  positions: (pathway: string, signal?: AbortSignal) => get<PositionsDto>(`/api/positions?pathway=${encodeURIComponent(pathway)}`, signal),
  cases: (query: Record<string, string | number | undefined>, signal?: AbortSignal) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    return get<CaseList>(`/api/cases?${params.toString()}`, signal);
  },
  caseView: (id: string, signal?: AbortSignal) => get<CaseView>(`/api/cases/${encodeURIComponent(id)}`, signal),
};

/** Starts the pathway definition download as early as possible (before React renders). */
export function prefetchPathway(id: string): void {
  void api.pathway(id).catch(() => {});
}
