/**
 * Pathway versions as data (issue 6): the registry the durable engine runs on reads published,
 * immutable definitions from the database; the shipped definitions are the version-1 seeds. New
 * cases start on the newest version; a case keeps the version it started on until it is migrated.
 * One draft per pathway is where a process owner edits; publishing validates it and adds the
 * next version.
 */
import type { PathwayDefinition } from '../machines/definition.ts';
import { PATHWAY_IDS, type PathwayId } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { validateDefinition, type Validation } from '../machines/validate.ts';
import type { Instant } from './calendar.ts';
import type { PathwayRegistry } from './cases.ts';
import type { Store } from './store.ts';

export interface VersionInfo {
  version: number;
  author: string;
  comment: string;
  publishedAt: Instant;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class VersionedRegistry implements PathwayRegistry {
  /** One object per (pathway, version): compiled machines are cached by identity. */
  private readonly definitions = new Map<string, PathwayDefinition>();
  private readonly latest = new Map<string, number>();
  private readonly info = new Map<string, VersionInfo[]>();

  constructor(private readonly store: Store, now: Instant = new Date().toISOString()) {
    const rows = store.versionRows();
    store.transaction(() => {
      for (const id of PATHWAY_IDS) {
        if (rows.some((r) => r.pathway === id)) continue;
        store.insertVersion({
          pathway: id, version: 1, definition: JSON.stringify(PATHWAYS[id]), author: 'Samverkan',
          comment: 'Levererad version: rutinens utgåva som den står i källdokumenten', publishedAt: now,
        });
      }
    });
    for (const row of store.versionRows()) this.remember(row.pathway, row.version, JSON.parse(row.definition) as PathwayDefinition, row);
  }

  private remember(id: string, version: number, definition: PathwayDefinition, meta: Omit<VersionInfo, 'version'>): void {
    // The shipped object itself for an unchanged version 1, so its compiled machine is shared.
    const shipped = PATHWAYS[id as PathwayId];
    const stored = shipped && version === shipped.version && JSON.stringify(shipped) === JSON.stringify(definition) ? shipped : deepFreeze({ ...definition, version });
    this.definitions.set(`${id}@${version}`, stored);
    this.latest.set(id, Math.max(this.latest.get(id) ?? 0, version));
    this.info.set(id, [...(this.info.get(id) ?? []).filter((v) => v.version !== version), { version, author: meta.author, comment: meta.comment, publishedAt: meta.publishedAt }]);
  }

  definition(id: PathwayId, version?: number): PathwayDefinition {
    const v = version ?? this.latest.get(id);
    const definition = v === undefined ? undefined : this.definitions.get(`${id}@${v}`);
    if (!definition) throw new Error(`No definition for ${id} version ${version}`);
    return definition;
  }

  has(id: string, version: number): boolean {
    return this.definitions.has(`${id}@${version}`);
  }

  latestVersion(id: PathwayId): number {
    return this.latest.get(id)!;
  }

  versions(id: PathwayId): VersionInfo[] {
    return [...(this.info.get(id) ?? [])].sort((a, b) => a.version - b.version);
  }

  /**
   * Publishes `candidate` as the next version of its pathway, if it validates. The version number
   * is the registry's, whatever the candidate says.
   */
  publish(id: PathwayId, candidate: unknown, meta: { author: string; comment: string; at: Instant }): { ok: true; version: number; definition: PathwayDefinition } | { ok: false; validation: Validation } {
    const version = this.latestVersion(id) + 1;
    const proposed = candidate && typeof candidate === 'object' ? { ...(candidate as object), id, version } : candidate;
    const validation = validateDefinition(proposed);
    if (!validation.ok) return { ok: false, validation };
    const definition = proposed as PathwayDefinition;
    this.store.transaction(() => {
      this.store.insertVersion({ pathway: id, version, definition: JSON.stringify(definition), author: meta.author, comment: meta.comment, publishedAt: meta.at });
      this.store.deleteDraft(id);
    });
    this.remember(id, version, definition, { author: meta.author, comment: meta.comment, publishedAt: meta.at });
    return { ok: true, version, definition: this.definition(id, version) };
  }

  /** The pathway's draft, or a fresh copy of the newest version when there is none. */
  draft(id: PathwayId): { baseVersion: number; definition: unknown; author: string | null; updatedAt: Instant | null; saved: boolean } {
    const row = this.store.draftRow(id);
    if (row) return { baseVersion: row.baseVersion, definition: JSON.parse(row.definition), author: row.author, updatedAt: row.updatedAt, saved: true };
    const latest = this.latestVersion(id);
    return { baseVersion: latest, definition: structuredClone(this.definition(id, latest)), author: null, updatedAt: null, saved: false };
  }

  saveDraft(id: PathwayId, definition: unknown, author: string, at: Instant): Validation {
    const draft = definition && typeof definition === 'object' ? { ...(definition as object), id, version: this.latestVersion(id) + 1 } : definition;
    this.store.saveDraft(id, this.latestVersion(id), JSON.stringify(draft), author, at);
    return validateDefinition(draft);
  }

  discardDraft(id: PathwayId): void {
    this.store.deleteDraft(id);
  }
}

/** A registry that answers `pathway` with `definition` (a draft or a target version) and the rest from `base`. */
export function pinned(base: PathwayRegistry, definition: PathwayDefinition): PathwayRegistry {
  return {
    definition(id, version) {
      if (id === definition.id && (version === undefined || version === definition.version)) return definition;
      return base.definition(id, version);
    },
  };
}
