/**
 * Edit mode of a pathway (`#/process/<id>/edit`, issue 6), for the process owners of its region:
 * the server's draft on the canvas (states added green, changed amber, with errors red; drag from
 * one state to another to add a transition), beside it the validation (always in view) and tabs
 * for the parameters, the chosen state, the changes in words, the impact on active cases and the
 * versions (with migration). Publishing asks for a comment and adds the next version.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, clearApiCache } from '../api.ts';
import {
  addState, canConnect, issueTarget, issueText, issuesByState, removeState, sameDefinition, setParameter, splitStateId, stateAt, stateDiff,
  type Definition, type ParameterName,
} from '../editor.ts';
import { text } from '../graph.ts';
import { useEditorText } from '../i18n-editor.ts';
import { href, navigate } from '../router.ts';
import { useDraft } from '../useDraft.ts';
import { useDraftDiagram } from '../useDraftDiagram.ts';
import { useCount, usePositions } from '../usePositions.ts';
import { errorText, versionsApi, type Catalogue } from '../versionsApi.ts';
import type { StateMark } from './canvasContext.ts';
import { CompareView } from './CompareView.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { ImpactPanel } from './ImpactPanel.tsx';
import { ParameterPanel } from './ParameterPanel.tsx';
import { PathwayCanvas } from './PathwayCanvas.tsx';
import { PathwayTabs, usePathways } from './PathwayView.tsx';
import { NewStateForm, StateEditor } from './StateEditor.tsx';
import { useCanEdit } from './useCanEdit.ts';
import { ValidationList } from './ValidationList.tsx';
import { VersionsPanel } from './VersionsPanel.tsx';
import './editor.css';

type Tab = 'parameters' | 'state' | 'changes' | 'impact' | 'versions';

/** Rule ids → title and the routine's sentence, for the map's tooltips. */
function useRules(): Map<string, { title: string; sentence: string }> {
  const [rules, setRules] = useState(new Map<string, { title: string; sentence: string }>());
  useEffect(() => {
    api.rules().then((list) => setRules(new Map(list.map((r) => [r.id, { title: r.title, sentence: r.sentence }])))).catch(() => {});
  }, []);
  return rules;
}

function useCatalogue(): Catalogue | null {
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  useEffect(() => {
    versionsApi.catalogue().then(setCatalogue).catch(() => {});
  }, []);
  return catalogue;
}


function PublishDialog({ open, version, changes, onClose, onPublish }: {
  open: boolean; version: number; changes: string[]; onClose(): void; onPublish(comment: string): Promise<void>;
}) {
  const { e } = useEditorText();
  const ref = useRef<HTMLDialogElement>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setError(null);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="publish-dialog" aria-labelledby="publish-title" onClose={onClose}>
      <form method="dialog" onSubmit={(event) => {
        event.preventDefault();
        if (comment.trim().length < 3) return;
        setBusy(true);
        setError(null);
        onPublish(comment.trim())
          .then(() => setComment(''))
          .catch((err: unknown) => setError(errorText(err)))
          .finally(() => setBusy(false));
      }}>
        <h2 id="publish-title">{e.publishTitle}</h2>
        <p>{e.publishIntro(version)}</p>
        {changes.length > 0 && (
          <div className="publish-changes">
            <strong>{e.publishChanges(changes.length)}</strong>
            <ul>
              {changes.slice(0, 8).map((c, i) => <li key={i}>{c}</li>)}
              {changes.length > 8 && <li>…</li>}
            </ul>
          </div>
        )}
        <label className="form-field">
          <span>{e.publishComment}</span>
          <textarea required minLength={3} maxLength={2000} rows={3} value={comment} placeholder={e.publishCommentHint} onChange={(event) => setComment(event.target.value)} />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="form-actions">
          <button type="submit" disabled={busy || comment.trim().length < 3}>{busy ? e.publishing : e.publishConfirm}</button>
          <button type="button" className="secondary" onClick={onClose}>{e.cancel}</button>
        </div>
      </form>
    </dialog>
  );
}

export function VersionEditor({ pathway, selected }: { pathway: string; selected: string | null }) {
  const { lang, e } = useEditorText();
  const allowed = useCanEdit(pathway);
  const pathways = usePathways();
  const summary = pathways.find((p) => p.id === pathway);
  const draft = useDraft(allowed ? pathway : null);
  const definition = draft.definition;
  const { diagram, error: layoutError } = useDraftDiagram(definition, lang);
  const catalogue = useCatalogue();
  const rules = useRules();
  const store = usePositions(pathway);
  const [tab, setTab] = useState<Tab>(selected ? 'state' : 'parameters');
  const [creating, setCreating] = useState(false);
  const [connectTo, setConnectTo] = useState<{ target: string; at: number } | null>(null);
  const [openTarget, setOpenTarget] = useState<{ target: string; at: number } | null>(null);
  const [paramFocus, setParamFocus] = useState<{ name: ParameterName; at: number } | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [publishedNotice, setPublishedNotice] = useState<number | null>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const select = useCallback((state: string | null) => navigate({ page: 'process', pathway, state, edit: true }, true), [pathway]);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const openState = useCallback((id: string) => {
    setCreating(false);
    setTab('state');
    select(id === selectedRef.current && tab === 'state' ? null : id);
  }, [select, tab]);

  useEffect(() => {
    if (selected) {
      setTab('state');
      setCreating(false);
    }
  }, [selected]);

  // Ctrl+Z outside text fields undoes the last change.
  const undo = draft.undo;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z' || event.shiftKey) return;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      event.preventDefault();
      undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);

  const diff = useMemo(() => (draft.published && definition ? stateDiff(draft.published, definition) : { added: new Set<string>(), removed: [], changed: new Set<string>() }), [draft.published, definition]);
  // Schema issues (zod's words) told by the parameter's or state's name, in Swedish and English.
  const issues = useMemo(() => {
    const raw = draft.validation?.issues ?? [];
    const named = (l: 'sv' | 'en') => ({
      parameter: (name: ParameterName) => {
        const p = catalogue?.parameters.find((x) => x.name === name);
        return p ? (l === 'en' ? p.en : p.sv) : name;
      },
      state: (id: string) => {
        const meta = definition ? stateAt(definition, id)?.state.meta : undefined;
        const label = meta ? (l === 'en' ? meta.labelEn : meta.label).trim() : '';
        return label ? `${label} (${id})` : id;
      },
    });
    return raw.map((i) => (i.code === 'schema' ? { ...i, message: issueText(i, 'sv', named('sv')), messageEn: issueText(i, 'en', named('en')) } : i));
  }, [draft.validation, catalogue, definition]);
  const marks = useMemo(() => {
    const out = new Map<string, StateMark>();
    for (const id of diff.added) out.set(id, { diff: 'added' });
    for (const id of diff.changed) out.set(id, { diff: 'changed' });
    for (const [id, issue] of issuesByState(issues)) out.set(id, { ...out.get(id), issue });
    return out;
  }, [diff, issues]);
  const names = useMemo(() => new Map((diagram?.states ?? []).map((s) => [s.state.id, text(s.state, lang)])), [diagram, lang]);
  const stateName = useCallback((id: string) => names.get(id) ?? id, [names]);
  const parameterName = useCallback((name: ParameterName) => {
    const p = catalogue?.parameters.find((x) => x.name === name);
    return p ? (lang === 'en' ? p.en : p.sv) : name;
  }, [catalogue, lang]);
  const goToParameter = useCallback((name: ParameterName) => {
    setTab('parameters');
    setParamFocus({ name, at: Date.now() });
  }, []);

  const errors = issues.filter((i) => i.severity === 'error').length;
  const unchanged = !!definition && !!draft.published && sameDefinition({ ...definition, version: 0 }, { ...draft.published, version: 0 }) && (draft.comparison?.changes.length ?? 0) === 0;
  const selectedCount = useCount(store, selected ?? '');

  if (!allowed) {
    return (
      <div className="pathway-page editor-page">
        <PathwayTabs pathways={pathways} current={pathway} />
        <div className="page"><p className="notice" role="note">{e.notOwner}</p><p><a href={href({ page: 'process', pathway, state: null })}>← {summary ? text(summary, lang) : pathway}</a></p></div>
      </div>
    );
  }

  const publish = async (comment: string) => {
    if (!definition) return;
    await draft.flush();
    const answer = await versionsApi.publish(pathway, comment, definition);
    clearApiCache();
    setPublishing(false);
    setPublishedNotice(answer.version);
    setVersionsKey((k) => k + 1);
    setTab('versions');
    select(null);
    draft.reload();
  };

  const importFile = async (file: File) => {
    setMessage(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setMessage({ kind: 'error', text: `${e.importFailed}: ${e.importNotJson}` });
      return;
    }
    try {
      await draft.flush();
      draft.replace(await versionsApi.importDraft(pathway, parsed));
      setMessage({ kind: 'ok', text: e.importDone(file.name) });
    } catch (err) {
      setMessage({ kind: 'error', text: `${e.importFailed}: ${errorText(err)}` });
    }
  };

  const saveText = draft.save === 'saving' ? e.saving
    : draft.save === 'pending' ? e.unsaved
      : draft.save === 'failed' ? `${e.saveFailed}: ${draft.saveError ?? ''}`
        : draft.updatedAt && draft.author ? e.editorSavedBy(draft.author, new Date(draft.updatedAt).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' }))
          : e.editorFresh;

  const tabs: [Tab, string, string | null][] = [
    ['parameters', e.tabParameters, null],
    ['state', e.tabState, null],
    ['changes', e.tabChanges, draft.comparison && !draft.comparisonStale ? String(draft.comparison.changes.length) : null],
    ['impact', e.tabImpact, null],
    ['versions', e.tabVersions, null],
  ];

  const selectedRef_ = selected && definition ? stateAt(definition, selected) : null;

  return (
    <div className="pathway-page editor-page">
      <PathwayTabs pathways={pathways} current={pathway} />
      <div className="editor-heading">
        <div className="editor-title">
          <h1>
            {summary && <span className="swatch large" style={{ background: summary.colour.hex }} aria-hidden="true" />}
            {summary && <span className="region-prefix">{summary.region === 'sth' ? 'Region Stockholm' : 'Region Värmland'} · </span>}
            {definition ? text(definition, lang) : summary ? text(summary, lang) : pathway}
            <span className="draft-badge">{e.editorHeading}</span>
          </h1>
          <p className="editor-status" aria-live="polite">
            {draft.status === 'ready' && <>{e.editorBase(draft.latestVersion)} · <span className={`save-status ${draft.save}`}>{saveText}</span></>}
          </p>
        </div>
        <div className="editor-actions">
          <button type="button" className="secondary" onClick={draft.undo} disabled={!draft.canUndo} title={e.undoTitle}>↶ {e.undo}</button>
          <button type="button" className="secondary" onClick={() => { setCreating(true); setTab('state'); }} disabled={!definition}>+ {e.newState}</button>
          <span className="toolbar-sep" aria-hidden="true" />
          <ExportButtons pathway={pathway} version="draft" before={draft.flush} disabled={!definition || errors > 0} />
          <button type="button" className="secondary" onClick={() => fileInput.current?.click()}>{e.importJson}</button>
          <input ref={fileInput} type="file" accept=".json,application/json" className="sr-only" aria-label={e.importJson} tabIndex={-1}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void importFile(file);
            }} />
          {!confirmDiscard ? (
            <button type="button" className="secondary" onClick={() => setConfirmDiscard(true)} disabled={!definition}>{e.discard}</button>
          ) : (
            <span className="confirm-row" role="group" aria-label={e.discard}>
              <span>{e.discardConfirm}</span>
              <button type="button" className="danger" onClick={() => { setConfirmDiscard(false); void draft.discard().catch((err: unknown) => setMessage({ kind: 'error', text: errorText(err) })); }}>{e.discard}</button>
              <button type="button" className="secondary" onClick={() => setConfirmDiscard(false)}>{e.cancel}</button>
            </span>
          )}
          <span className="toolbar-sep" aria-hidden="true" />
          <button type="button" className="publish-button" onClick={() => setPublishing(true)} disabled={!definition || errors > 0 || unchanged}
            title={errors > 0 ? e.publishBlocked(errors) : unchanged ? e.publishNothing : undefined}>{e.publish}</button>
          <a className="button-link" href={href({ page: 'process', pathway, state: null })}>{e.leaveEdit}</a>
        </div>
      </div>
      {message && <p className={message.kind === 'ok' ? 'success editor-message' : 'error editor-message'} role={message.kind === 'ok' ? 'status' : 'alert'}>{message.text}</p>}
      {draft.status === 'error' && <p className="error editor-message" role="alert">{draft.error}</p>}
      {draft.status === 'ready' && draft.saved && draft.baseVersion < draft.latestVersion && (
        <p className="older-version stale-base" role="note">{e.staleBase(draft.baseVersion, draft.latestVersion)}</p>
      )}
      <div className="editor-body">
        <div className="canvas-wrap">
          <div className="canvas-area">
            {layoutError && <p role="alert" className="error">{layoutError}</p>}
            {!diagram && !layoutError && <p className="loading">{e.loading}</p>}
            {diagram && (
              <PathwayCanvas
                key={pathway}
                diagram={diagram}
                title={definition ? text(definition, lang) : pathway}
                store={store}
                selected={selected}
                onOpen={openState}
                rules={rules}
                editable
                marks={marks}
                canConnect={(source, target) => canConnect(source, target) && !!definition && !!stateAt(definition, source)}
                onConnect={(source, target) => {
                  if (!definition || !stateAt(definition, source)) return;
                  if (!canConnect(source, target)) {
                    setHint(e.connectOtherLane);
                    return;
                  }
                  setHint(null);
                  setCreating(false);
                  setTab('state');
                  select(source);
                  setConnectTo({ target: splitStateId(target).key, at: Date.now() });
                }}
                onEdge={(edgeId, source) => {
                  if (!definition || !stateAt(definition, source)) return;
                  const target = edgeId.split('->')[1]?.split(':')[0] ?? '';
                  setCreating(false);
                  setTab('state');
                  select(source);
                  setOpenTarget({ target, at: Date.now() });
                }}
              />
            )}
            <p className={`canvas-hint ${hint ? 'warn' : ''}`} role="note">{hint ?? e.connectHint}</p>
          </div>
        </div>
        <aside className="editor-side" aria-label={e.tabsLabel}>
          <ValidationList
            validation={draft.validation ? { ok: draft.validation.ok, issues } : null}
            pending={draft.save === 'pending' || draft.save === 'saving'}
            stateName={stateName}
            parameterName={parameterName}
            onState={(id) => { setCreating(false); setTab('state'); select(id); }}
            onParameter={goToParameter}
          />
          <div className="editor-tabs" role="tablist" aria-label={e.tabsLabel}>
            {tabs.map(([id, label, count]) => (
              <button key={id} type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls="editor-tabpanel" className={tab === id ? 'active' : ''}
                onClick={() => setTab(id)}>
                {label}{count !== null && <span className="tab-count">{count}</span>}
              </button>
            ))}
          </div>
          <div className="editor-tabpanel" role="tabpanel" id="editor-tabpanel" aria-labelledby={`tab-${tab}`}>
            {!definition && <p className="loading">{e.loading}</p>}
            {definition && tab === 'parameters' && (
              <ParameterPanel
                definition={definition}
                published={draft.published}
                catalogue={catalogue}
                issues={issues.filter((i) => issueTarget(i)?.kind === 'parameter')}
                focus={paramFocus}
                onChange={(name, value) => draft.edit((d) => setParameter(d, name, value))}
              />
            )}
            {definition && tab === 'state' && creating && (
              <NewStateForm
                definition={definition}
                regionPath={selected ? splitStateId(selected).regionPath : null}
                onCancel={() => setCreating(false)}
                onAdd={(regionPath, key, meta) => {
                  draft.edit((d) => addState(d, regionPath, key, meta));
                  setCreating(false);
                  select(`${regionPath}.${key}`);
                }}
              />
            )}
            {definition && tab === 'state' && !creating && selectedRef_ && (
              <StateEditor
                definition={definition}
                stateId={selectedRef_.id}
                catalogue={catalogue}
                issues={issues.filter((i) => { const t = issueTarget(i); return t?.kind === 'state' && t.id === selectedRef_.id; })}
                mark={marks.get(selectedRef_.id)}
                activeCases={selectedCount.active}
                connectTo={connectTo}
                openTarget={openTarget}
                stateName={stateName}
                onChange={(update) => draft.edit(update)}
                onClose={() => select(null)}
                onRemove={() => {
                  const id = selectedRef_.id;
                  select(null);
                  draft.edit((d: Definition) => removeState(d, id));
                }}
              />
            )}
            {definition && tab === 'state' && !creating && !selectedRef_ && (
              <div className="empty-tab">
                <p>{e.chooseState}</p>
                <button type="button" className="secondary" onClick={() => setCreating(true)}>+ {e.newState}</button>
              </div>
            )}
            {definition && tab === 'changes' && (
              <CompareView
                comparison={draft.comparison}
                stale={draft.comparisonStale}
                error={draft.comparisonStale ? null : draft.comparisonError}
                diff={diff}
                version={draft.latestVersion}
                stateName={stateName}
                onState={(id) => { if (stateAt(definition, id)) { setCreating(false); setTab('state'); select(id); } }}
                onParameter={goToParameter}
              />
            )}
            {definition && tab === 'impact' && <ImpactPanel pathway={pathway} definition={definition} valid={errors === 0} />}
            {tab === 'versions' && (
              <>
                {publishedNotice !== null && (
                  <div className="success published-notice" role="status">
                    <strong>{e.published_(publishedNotice)}</strong> {e.publishedNext}
                  </div>
                )}
                <VersionsPanel pathway={pathway} refreshKey={versionsKey} owner showing={null} editing onChanged={() => setVersionsKey((k) => k + 1)} />
              </>
            )}
          </div>
        </aside>
      </div>
      <PublishDialog
        open={publishing}
        version={draft.latestVersion + 1}
        changes={(draft.comparison?.changes ?? []).map((c) => (lang === 'en' ? c.messageEn : c.message))}
        onClose={() => setPublishing(false)}
        onPublish={publish}
      />
    </div>
  );
}
