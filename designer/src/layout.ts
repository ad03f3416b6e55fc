/**
 * ELK in a Web Worker, started only when a pathway's layout is not already known: the build
 * bundles ELK's layouts of the shipped definitions (`virtual:elk-cache`, keyed by ELK's input), so a
 * changed definition is still laid out live.
 */
import ELK from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import known from 'virtual:elk-cache';
import type { PathwayDefinition } from '../../machines/definition.ts';
import { layoutPathway, type Diagram, type ElkLike, type Lang } from './graph.ts';

let elk: InstanceType<typeof ELK> | null = null;

function instance(): ElkLike {
  elk ??= new ELK({ workerUrl });
  return elk;
}

const diagrams = new Map<string, Promise<Diagram>>();

export function diagramFor(definition: PathwayDefinition, lang: Lang): Promise<Diagram> {
  const key = `${definition.id}@${definition.version}:${lang}`;
  let hit = diagrams.get(key);
  if (!hit) {
    hit = layoutPathway(definition, instance, lang, known);
    hit.catch(() => diagrams.delete(key));
    diagrams.set(key, hit);
  }
  return hit;
}

/** A draft being edited: laid out afresh (drafts share a version number, so they are not cached here). */
export function layoutDraft(definition: PathwayDefinition, lang: Lang): Promise<Diagram> {
  return layoutPathway(definition, instance, lang, known);
}
