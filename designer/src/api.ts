/** The server's HTTP API and event stream, as the designer uses them. Every call carries the signed-in user's token. */
import type { AccessEntry, AccessNote, GatedCaseView, Principal } from '../../engine/access.ts';
import type { CaseSummary } from '../../engine/caseView.ts';
import type { PathwayDefinition } from '../../machines/definition.ts';
import type { Rule } from '../../machines/rules.ts';
import type { WorklistItem } from '../../engine/worklist.ts';
import { authHeader, unauthorized } from './auth.ts';

/** A case as the server shows it to the signed-in user (fields they may not see are null). */
export type CaseView = GatedCaseView;
export type { AccessNote, Principal };

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

/** A case that moved; `id` and `version` are left out for cases the reader is not part of. */
export interface CaseChange {
  kind: 'case';
  id?: string;
  pathway: string;
  version?: number;
  status: 'active' | 'closed';
  phase: string;
  states: string[];
  previousStates: string[];
  previousPathway: string | null;
}

/** A deadline that passed; `caseId` and `deadlineId` are left out for cases the reader is not part of. */
export interface DeadlineChange {
  kind: 'deadline';
  caseId?: string;
  pathway: string;
  deadlineId?: string;
  rule: string;
  party: string;
  due: string;
}

export type DemoUser = Principal;

export type { WorklistItem };

/** GET /api/worklist: what the signed-in unit owes now (counts over every row, `items` filtered by `due`). */
export interface Worklist {
  unit: { id: string; name: string; party: string | null };
  generatedAt: string;
  counts: { total: number; overdue: number; dueToday: number; blocked: number };
  items: WorklistItem[];
}

export interface WorklistQuery {
  pathway?: string;
  kommun?: string;
  due?: 'today' | 'overdue';
}

/** One row of GET /api/worklist/escalation: the overdue duties of one owing unit under one rule. */
export interface EscalationRow {
  party: string;
  unit: string;
  unitLabel: string;
  rule: string;
  count: number;
  oldestDue: string;
  overdueMinutes: number;
  caseIds: string[];
}

export interface Escalation {
  generatedAt: string;
  total: number;
  rows: EscalationRow[];
}

/** An access log row as the server stores it. */
export type AccessLogEntry = AccessEntry & { id: number };

export interface AccessLogQuery {
  caseId?: string;
  userId?: string;
  unitId?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/** What an error answer's `details` may carry: the rules and parties behind a refusal. */
export interface ErrorDetails {
  rules?: string[];
  parties?: string[];
  retryAfter?: number;
  field?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: ErrorDetails) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: ErrorDetails } } | null;
  const error = new ApiError(response.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? response.statusText, body?.error?.details);
  if (response.status === 401) unauthorized(error.message);
  return error;
}

/** A request with the user's token; an error answer becomes an ApiError (and a 401 signs out). */
async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...authHeader(), ...(init.headers as Record<string, string> | undefined) } });
  if (!response.ok) throw await failure(response);
  return response;
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(path, signal ? { signal } : {})).json()) as T;
}

/** For views with calls of their own (the reports): a GET as the user, JSON. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return get<T>(path, signal);
}

/** A file the server makes (CSV), fetched as the user, with the file name the server suggests. */
export async function getFile(path: string, fallbackName: string): Promise<{ blob: Blob; name: string }> {
  const response = await request(path, { headers: { Accept: 'text/csv' } });
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  return { blob: await response.blob(), name };
}

/** randomUUID needs a secure context; getRandomValues does not. */
function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function query(params: object): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  return search.toString();
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
  cases: (params: Record<string, string | number | undefined>, signal?: AbortSignal) => get<CaseList>(`/api/cases?${query(params)}`, signal),
  caseView: (id: string, signal?: AbortSignal) => get<CaseView>(`/api/cases/${encodeURIComponent(id)}`, signal),
  /** Reports an event; `version` is the case version it was decided on (409 VERSION_CONFLICT if the case moved on). */
  sendEvent: async (id: string, event: Record<string, unknown>, version: number) => {
    const response = await request(`/api/cases/${encodeURIComponent(id)}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'If-Match': `"${version}"`, 'Idempotency-Key': idempotencyKey() },
      body: JSON.stringify(event),
    });
    return (await response.json()) as CaseView;
  },
  worklist: (params: WorklistQuery, signal?: AbortSignal) => get<Worklist>(`/api/worklist?${query(params)}`, signal),
  escalation: (signal?: AbortSignal) => get<Escalation>('/api/worklist/escalation', signal),
  accessLog: (params: AccessLogQuery, signal?: AbortSignal) => get<{ items: AccessLogEntry[]; total: number }>(`/api/access-log?${query(params)}`, signal),
  /** The access log as CSV, with the file name the server suggests. */
  accessLogCsv: async (params: AccessLogQuery) => {
    const response = await request(`/api/access-log.csv?${query(params)}`, { headers: { Accept: 'text/csv' } });
    const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'atkomstlogg.csv';
    return { blob: await response.blob(), name };
  },
};

/** Login screen: the demo users, or null outside demo mode (404). */
export async function demoUsers(): Promise<DemoUser[] | null> {
  const response = await fetch('/api/demo/users', { headers: { Accept: 'application/json' } });
  if (response.status === 404) return null;
  if (!response.ok) throw await failure(response);
  return (await response.json()) as DemoUser[];
}

/** Forgets what was fetched for the previous user. */
export function clearApiCache(): void {
  cache.clear();
  window.__pathwayPrefetch = undefined;
}

/** Starts the pathway definition download as early as possible (before React renders); needs a token. */
export function prefetchPathway(id: string): void {
  if (!authHeader().Authorization) return;
  void api.pathway(id).catch(() => {});
}
