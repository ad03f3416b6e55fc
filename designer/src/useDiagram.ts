/** A pathway's definition (GET /api/pathways/:id) and its laid-out diagram in the current language. */
import { useEffect, useMemo, useState } from 'react';
import type { PathwayDefinition } from '../../machines/definition.ts';
import { api, type PathwayDto } from './api.ts';
import type { Diagram, Lang } from './graph.ts';
import { diagramFor } from './layout.ts';
import { versionsApi } from './versionsApi.ts';

export interface DiagramState {
  definition: PathwayDto | null;
  diagram: Diagram | null;
  rules: Map<string, { title: string; sentence: string }>;
  error: string | null;
}

/**
 * With `definition` given (the simulator runs the shipped definitions in the browser), no request
 * is made; otherwise the server's definition is drawn.
 */
export function useDiagram(pathway: string | null, lang: Lang, local?: PathwayDefinition, version?: number | null): DiagramState {
  const [state, setState] = useState<{ key: string; definition: PathwayDto | null; diagram: Diagram | null; error: string | null }>({ key: '', definition: null, diagram: null, error: null });
  const [allRules, setAllRules] = useState<{ id: string; title: string; sentence: string }[]>([]);
  const key = `${pathway}:${lang}${version ? `@${version}` : ''}`;

  useEffect(() => {
    let cancelled = false;
    api.rules().then((r) => !cancelled && setAllRules(r)).catch(() => {});
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!pathway) return;
    let cancelled = false;
    // An older version (?version=N, issue 6) is fetched as such; the newest is cached.
    const load = local ? Promise.resolve({ ...local, ruleCatalogue: [] } as PathwayDto) : version ? versionsApi.pathway(pathway, version) : api.pathway(pathway);
    load
      .then(async (definition) => {
        performance.mark('samverkan:definition');
        const diagram = await diagramFor(definition, lang);
        performance.mark('samverkan:layout');
        if (!cancelled) setState({ key, definition, diagram, error: null });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ key, definition: null, diagram: null, error: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [pathway, lang, key, local, version]);

  const rules = useMemo(() => {
    const map = new Map<string, { title: string; sentence: string }>();
    for (const r of allRules) map.set(r.id, { title: r.title, sentence: r.sentence });
    for (const r of state.definition?.ruleCatalogue ?? []) map.set(r.id, { title: r.title, sentence: r.sentence });
    return map;
  }, [allRules, state.definition]);

  const current = state.key === key;
  return { definition: current ? state.definition : null, diagram: current ? state.diagram : null, rules, error: current ? state.error : null };
}
