/**
 * The draft's diagram, laid out again when its structure changes (states, transitions, labels) —
 * not when only a parameter does. The previous diagram stays on screen while ELK works.
 */
import { useEffect, useState } from 'react';
import type { Definition } from './editor.ts';
import type { Diagram, Lang } from './graph.ts';
import { layoutDraft } from './layout.ts';

export function useDraftDiagram(definition: Definition | null, lang: Lang): { diagram: Diagram | null; error: string | null } {
  const [state, setState] = useState<{ diagram: Diagram | null; error: string | null }>({ diagram: null, error: null });
  const key = definition ? `${lang}:${JSON.stringify(definition.lanes)}:${JSON.stringify(definition.on)}` : null;
  useEffect(() => {
    if (!definition || key === null) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      layoutDraft(definition, lang)
        .then((diagram) => !cancelled && setState({ diagram, error: null }))
        .catch((error: unknown) => !cancelled && setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) })));
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // Only the structure matters for the layout.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
