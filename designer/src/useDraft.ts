/**
 * A pathway's draft as the editor holds it (issue 6): loaded from GET /api/pathways/:id/draft,
 * changed locally (every edit is a new definition, so there is undo), saved 500 ms after the last
 * edit with PUT (whose answer carries the validation), and compared with the newest published
 * version after each save that validates (GET /api/pathways/:id/compare?to=draft).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Definition } from './editor.ts';
import { errorText, versionsApi, type Comparison, type DraftDto, type Validation } from './versionsApi.ts';

const SAVE_AFTER_MS = 500;
const UNDO_DEPTH = 100;

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'failed';

export interface DraftState {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  definition: Definition | null;
  /** The newest published version, as the draft is compared with it. */
  published: Definition | null;
  latestVersion: number;
  baseVersion: number;
  validation: Validation | null;
  save: SaveStatus;
  saveError: string | null;
  author: string | null;
  updatedAt: string | null;
  /** The server keeps a saved draft (not a fresh copy of the newest version). */
  saved: boolean;
  comparison: Comparison | null;
  comparisonStale: boolean;
  comparisonError: string | null;
  canUndo: boolean;
}

export interface DraftEditor extends DraftState {
  edit(update: (d: Definition) => Definition): void;
  undo(): void;
  /** Saves now (if anything waits) and resolves once the server has the draft. */
  flush(): Promise<void>;
  /** The server's answer to an import replaces the draft. */
  replace(dto: DraftDto): void;
  reload(): void;
  discard(): Promise<void>;
}

const initial: DraftState = {
  status: 'loading', error: null, definition: null, published: null, latestVersion: 0, baseVersion: 0, validation: null,
  save: 'idle', saveError: null, author: null, updatedAt: null, saved: false, comparison: null, comparisonStale: false, comparisonError: null, canUndo: false,
};

/** `pathway` null: nothing is fetched (the user may not edit). */
export function useDraft(pathway: string | null): DraftEditor {
  const [state, setState] = useState<DraftState>(initial);
  const [generation, setGeneration] = useState(0);
  const current = useRef<Definition | null>(null);
  const history = useRef<Definition[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sequence = useRef(0);
  const inFlight = useRef<Promise<void> | null>(null);
  const latest = useRef(0);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const compare = useCallback(async (valid: boolean) => {
    if (!valid) {
      setState((s) => ({ ...s, comparisonStale: true }));
      return;
    }
    try {
      if (!pathway) return;
      const comparison = await versionsApi.compare(pathway, latest.current, 'draft');
      if (alive.current) setState((s) => ({ ...s, comparison, comparisonStale: false, comparisonError: null }));
    } catch (error) {
      if (alive.current) setState((s) => ({ ...s, comparisonStale: true, comparisonError: errorText(error) }));
    }
  }, [pathway]);

  useEffect(() => {
    let cancelled = false;
    setState(initial);
    history.current = [];
    if (!pathway) return;
    Promise.all([versionsApi.draft(pathway), versionsApi.pathway(pathway)])
      .then(([draft, published]) => {
        if (cancelled) return;
        latest.current = published.latestVersion;
        current.current = draft.definition;
        const { ruleCatalogue: _r, latestVersion: _l, ...definition } = published as typeof published & Record<string, unknown>;
        for (const extra of ['parties', 'phases', 'deadlines']) delete (definition as Record<string, unknown>)[extra];
        setState({
          ...initial, status: 'ready', definition: draft.definition, published: definition as Definition, latestVersion: published.latestVersion,
          baseVersion: draft.baseVersion, validation: draft.validation, author: draft.author, updatedAt: draft.updatedAt, saved: draft.saved, save: draft.saved ? 'saved' : 'idle',
        });
        void compare(draft.validation.ok);
      })
      .catch((error: unknown) => !cancelled && setState({ ...initial, status: 'error', error: errorText(error) }));
    return () => {
      cancelled = true;
    };
  }, [pathway, generation, compare]);

  const save = useCallback(async (): Promise<void> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const definition = current.current;
    if (!definition || !pathway) return;
    const seq = ++sequence.current;
    setState((s) => ({ ...s, save: 'saving', saveError: null }));
    const request = (async () => {
      try {
        const answer = await versionsApi.saveDraft(pathway, definition);
        if (!alive.current || seq !== sequence.current) return;
        setState((s) => ({ ...s, save: 'saved', saved: true, validation: answer.validation, author: answer.author, updatedAt: answer.updatedAt, baseVersion: answer.baseVersion }));
        await compare(answer.validation.ok);
      } catch (error) {
        if (alive.current && seq === sequence.current) setState((s) => ({ ...s, save: 'failed', saveError: errorText(error) }));
        throw error;
      }
    })();
    inFlight.current = request.catch(() => {});
    return request;
  }, [pathway, compare]);

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    setState((s) => ({ ...s, save: 'pending' }));
    timer.current = setTimeout(() => void save().catch(() => {}), SAVE_AFTER_MS);
  }, [save]);

  useEffect(() => () => {
    // Leaving the editor: what waits is saved all the same.
    if (timer.current) {
      clearTimeout(timer.current);
      if (current.current && pathway) void versionsApi.saveDraft(pathway, current.current).catch(() => {});
    }
  }, [pathway]);

  const edit = useCallback((update: (d: Definition) => Definition) => {
    const before = current.current;
    if (!before) return;
    const after = update(before);
    if (after === before) return;
    history.current = [...history.current.slice(-(UNDO_DEPTH - 1)), before];
    current.current = after;
    setState((s) => ({ ...s, definition: after, canUndo: true }));
    schedule();
  }, [schedule]);

  const undo = useCallback(() => {
    const previous = history.current.pop();
    if (!previous) return;
    current.current = previous;
    setState((s) => ({ ...s, definition: previous, canUndo: history.current.length > 0 }));
    schedule();
  }, [schedule]);

  const flush = useCallback(async () => {
    if (timer.current) await save();
    else if (inFlight.current) await inFlight.current;
  }, [save]);

  const replace = useCallback((dto: DraftDto) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    sequence.current += 1;
    if (current.current) history.current = [...history.current.slice(-(UNDO_DEPTH - 1)), current.current];
    current.current = dto.definition;
    setState((s) => ({
      ...s, definition: dto.definition, validation: dto.validation, author: dto.author, updatedAt: dto.updatedAt, baseVersion: dto.baseVersion, saved: true,
      save: 'saved', saveError: null, canUndo: history.current.length > 0,
    }));
    void compare(dto.validation.ok);
  }, [compare]);

  const reload = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setGeneration((g) => g + 1);
  }, []);

  const discard = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    await inFlight.current;
    if (pathway) await versionsApi.discardDraft(pathway);
    reload();
  }, [pathway, reload]);

  return { ...state, edit, undo, flush, replace, reload, discard };
}
