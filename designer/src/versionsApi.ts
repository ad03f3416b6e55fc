/**
 * The pathway version routes (issue 6) as the designer uses them: the draft, validation,
 * publishing, the version list, compare, impact, migration, export and import. Every call carries
 * the signed-in user's token; an error answer becomes an ApiError (a 401 signs out).
 */
import type { ImpactReport, ImpactSide, MigrationResult } from '../../engine/versionReports.ts';
import type { Change, Comparison } from '../../machines/compare.ts';
import type { PathwayDefinition } from '../../machines/definition.ts';
import type { Validation } from '../../machines/validate.ts';

export type { Change, Comparison, ImpactReport, ImpactSide, MigrationResult, Validation };
import { ApiError, type PathwayDto } from './api.ts';
import { authHeader, unauthorized } from './auth.ts';
import type { Issue } from './editor.ts';
import { saveBlob } from './download.ts';


export interface DraftDto {
  baseVersion: number;
  definition: PathwayDefinition;
  author: string | null;
  updatedAt: string | null;
  saved: boolean;
  validation: Validation;
}

export interface VersionRow {
  version: number;
  author: string;
  comment: string;
  publishedAt: string;
  activeCases: number;
  cases: number;
}



export interface Catalogue {
  guards: { name: string; rule: string; party: string; kind: string; reason: string; reasonEn: string; milestone: boolean }[];
  actions: { name: string; label: string; rules: string[] }[];
  parameters: { name: string; sv: string; en: string; rule: string }[];
  events: { type: string; sv: string; en: string }[];
}

export interface MigrationResponse {
  dryRun: boolean;
  to: number;
  moved: number;
  refused: number;
  results: MigrationResult[];
}




export type ExportFormat = 'json' | 'bpmn' | 'scxml';

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null;
  const error = new ApiError(response.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? response.statusText, body?.error?.details as ConstructorParameters<typeof ApiError>[3]);
  if (response.status === 401) unauthorized(error.message);
  return error;
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeader(), ...(init.headers as Record<string, string> | undefined) };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) throw await failure(response);
  return response;
}

const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await call(path, init)).json()) as T;
const base = (id: string) => `/api/pathways/${encodeURIComponent(id)}`;
const send = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

let catalogue: Promise<Catalogue> | null = null;

export const versionsApi = {
  /** One published version (GET /api/pathways/:id?version=N), or the newest. */
  pathway: (id: string, version?: number | null) => json<PathwayDto & { latestVersion: number }>(`${base(id)}${version ? `?version=${version}` : ''}`),
  versions: (id: string) => json<VersionRow[]>(`${base(id)}/versions`),
  /** The guards, actions, parameters and events a definition may name; fetched once. */
  catalogue: () => {
    catalogue ??= json<Catalogue>('/api/pathway-catalogue');
    catalogue.catch(() => (catalogue = null));
    return catalogue;
  },
  draft: (id: string) => json<DraftDto>(`${base(id)}/draft`),
  saveDraft: (id: string, definition: PathwayDefinition) => json<DraftDto>(`${base(id)}/draft`, send('PUT', definition)),
  importDraft: (id: string, definition: unknown) => json<DraftDto>(`${base(id)}/import`, send('POST', definition)),
  discardDraft: async (id: string) => {
    await call(`${base(id)}/draft`, { method: 'DELETE' });
  },
  validate: (id: string, definition: PathwayDefinition) => json<Validation>(`${base(id)}/validate`, send('POST', definition)),
  publish: (id: string, comment: string, definition?: PathwayDefinition) =>
    json<{ id: string; version: number; author: string; comment: string }>(`${base(id)}/versions`, send('POST', { comment, ...(definition ? { definition } : {}) })),
  compare: (id: string, from: number, to: number | 'draft') => json<Comparison>(`${base(id)}/compare?from=${from}&to=${to}`),
  impact: (id: string, definition?: PathwayDefinition) => json<ImpactReport>(`${base(id)}/impact`, send('POST', definition ? { definition } : {})),
  migrate: (id: string, body: { to: number; from?: number; caseIds?: string[]; mapping?: Record<string, string>; dryRun: boolean }) =>
    json<MigrationResponse>(`${base(id)}/migrations`, send('POST', body)),
  /** A download: the file and the name the server suggests. */
  exportFile: async (id: string, version: number | 'draft', format: ExportFormat) => {
    const response = await call(`${base(id)}/export?version=${version}&format=${format}`, { headers: { Accept: format === 'json' ? 'application/json' : 'application/xml' } });
    const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `${id}-${version}.${format}`;
    return { blob: await response.blob(), name };
  },
};

/** Saves a blob under `name` (the browser's download). */
export const download = (blob: Blob, name: string): void => saveBlob(blob, name);

/** The message of an API refusal (with the state or field it names), or of any other error. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
