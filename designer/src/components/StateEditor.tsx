/**
 * Editing one state of the draft (issue 6): its names, phase, party, rules, whether it is a lane's
 * intended end or its start; its transitions (event from the catalogue, routing values, target,
 * guards and actions from the catalogues, label, whose move, rules) — added, changed, removed; and
 * removing the state itself. Also the form for a new state.
 */
import { useEffect, useMemo, useState } from 'react';
import { PARTY_IDS, PARTY_LABELS, PHASE_IDS, PHASE_LABELS, type PartyId, type PhaseId } from '../../../machines/parties.ts';
import {
  addTransition, formatPairs, isValidKey, keyFromLabel, leafRegions, newTransition, parseList, parsePairs, regionAt, removeTransition, setInitial, stateAt, updateStateMeta, updateTransition,
  type Definition, type Issue, type StateMeta, type TransitionDef,
} from '../editor.ts';
import { INTERNAL_EVENTS } from '../graph.ts';
import { useEditorText } from '../i18n-editor.ts';
import type { Catalogue } from '../versionsApi.ts';

type Ref = { type: string; params?: Record<string, string | number | boolean | null> };

const partyName = (p: string, lang: 'sv' | 'en') => (PARTY_LABELS as Record<string, { sv: string; en: string }>)[p]?.[lang] ?? p;
const phaseName = (p: string, lang: 'sv' | 'en') => (PHASE_LABELS as Record<string, { sv: string; en: string }>)[p]?.[lang] ?? p;

/** A text field whose value is committed as typed but parsed (lists, pairs) only when it parses. */
function ParsedField<T>({ label, hint, value, format, parse, onChange, invalidText }: {
  label: string; hint?: string; value: T; format(v: T): string; parse(text: string): T | null; onChange(v: T): void; invalidText?: string;
}) {
  const [text, setText] = useState(() => format(value));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText((current) => {
      const parsed = parse(current);
      return parsed !== null && JSON.stringify(parsed) === JSON.stringify(value) ? current : format(value);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(value)]);
  return (
    <label className="form-field">
      <span>{label}</span>
      <input value={text} aria-invalid={bad || undefined} placeholder={hint} onChange={(event) => {
        setText(event.target.value);
        const parsed = parse(event.target.value);
        setBad(parsed === null);
        if (parsed !== null) onChange(parsed);
      }} />
      {bad && invalidText && <small className="field-error">{invalidText}</small>}
      {hint && !bad && <small className="muted">{hint}</small>}
    </label>
  );
}

function RefList({ label, refs, options, onChange, addLabel }: {
  label: string; refs: Ref[]; options: { value: string; text: string }[]; onChange(refs: Ref[]): void; addLabel: string;
}) {
  const { e } = useEditorText();
  return (
    <div className="ref-list">
      <span className="ref-list-label">{label}</span>
      {refs.length > 0 && (
        <ul>
          {refs.map((r, i) => (
            <li key={`${r.type}:${i}`}>
              <code className="ref-name" title={options.find((o) => o.value === r.type)?.text}>{r.type}</code>
              <input
                className="ref-params"
                aria-label={`${r.type}: ${e.params}`}
                placeholder={e.params}
                defaultValue={formatPairs(r.params)}
                onBlur={(event) => {
                  const params = parsePairs(event.target.value);
                  if (params === null) return;
                  onChange(refs.map((x, j) => (j === i ? { type: x.type, ...(Object.keys(params).length > 0 ? { params } : {}) } : x)));
                }}
              />
              <button type="button" className="icon" aria-label={`${e.remove} ${r.type}`} onClick={() => onChange(refs.filter((_, j) => j !== i))}>✕</button>
            </li>
          ))}
        </ul>
      )}
      <select aria-label={addLabel} value="" onChange={(event) => event.target.value && onChange([...refs, { type: event.target.value }])}>
        <option value="">{addLabel}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
      </select>
    </div>
  );
}

interface TransitionFormProps {
  initial: TransitionDef;
  siblings: { key: string; label: string }[];
  catalogue: Catalogue | null;
  submitLabel: string;
  onSubmit(t: TransitionDef): void;
  onCancel(): void;
}

export function TransitionForm({ initial, siblings, catalogue, submitLabel, onSubmit, onCancel }: TransitionFormProps) {
  const { lang, e } = useEditorText();
  const [t, setT] = useState<TransitionDef>(initial);
  const [labelTouched, setLabelTouched] = useState(initial.meta.label !== '');
  const events = catalogue?.events ?? [];
  const set = (patch: Partial<TransitionDef>) => setT({ ...t, ...patch });
  const setMeta = (patch: Partial<TransitionDef['meta']>) => setT({ ...t, meta: { ...t.meta, ...patch } });
  const guardOptions = (catalogue?.guards ?? []).map((g) => ({ value: g.name, text: `${g.name} – ${lang === 'en' ? g.reasonEn : g.reason} (${g.rule})` }));
  const actionOptions = [
    { value: 'raise', text: `raise – ${e.raiseHint}` },
    ...(catalogue?.actions ?? []).map((a) => ({ value: a.name, text: `${a.name} – ${a.label}${a.rules.length ? ` (${a.rules.join(', ')})` : ''}` })),
  ];
  return (
    <form className="transition-form" onSubmit={(event) => {
      event.preventDefault();
      onSubmit(t);
    }}>
      <label className="form-field">
        <span>{e.event}</span>
        <select required value={t.event} onChange={(event) => {
          const type = event.target.value;
          const known = events.find((x) => x.type === type);
          setT({
            ...t, event: type as TransitionDef['event'],
            meta: labelTouched || !known ? t.meta : { ...t.meta, label: known.sv, labelEn: known.en },
          });
        }}>
          <option value="">–</option>
          <optgroup label={e.eventExternal}>
            {events.map((x) => <option key={x.type} value={x.type}>{x.type} – {lang === 'en' ? x.en : x.sv}</option>)}
          </optgroup>
          <optgroup label={e.eventInternal}>
            {[...INTERNAL_EVENTS].map((x) => <option key={x} value={x}>{x}</option>)}
          </optgroup>
        </select>
      </label>
      <label className="form-field">
        <span>{e.target}</span>
        <select value={t.target ?? ''} onChange={(event) => {
          const { target: _old, ...rest } = t;
          setT(event.target.value ? { ...rest, target: event.target.value } : rest);
        }}>
          <option value="">{e.stays}</option>
          {siblings.map((s) => <option key={s.key} value={s.key}>{s.label} ({s.key})</option>)}
          <option value="#avslutad">{e.closesCase}</option>
        </select>
      </label>
      <div className="form-pair">
        <label className="form-field">
          <span>{e.transitionLabel}</span>
          <input required value={t.meta.label} onChange={(event) => { setLabelTouched(true); setMeta({ label: event.target.value }); }} />
        </label>
        <label className="form-field">
          <span>{e.transitionLabelEn}</span>
          <input required value={t.meta.labelEn} onChange={(event) => { setLabelTouched(true); setMeta({ labelEn: event.target.value }); }} />
        </label>
      </div>
      <div className="form-pair">
        <label className="form-field">
          <span>{e.transitionParty}</span>
          <select value={t.meta.party} onChange={(event) => setMeta({ party: event.target.value as PartyId })}>
            {PARTY_IDS.map((p) => <option key={p} value={p}>{partyName(p, lang)}</option>)}
          </select>
        </label>
        <ParsedField label={e.transitionRules} value={t.meta.rules} format={(v) => v.join(', ')} parse={parseList} onChange={(rules) => setMeta({ rules })} />
      </div>
      <ParsedField<Record<string, string | boolean>> label={e.match} hint={e.matchHint} invalidText={e.matchInvalid} value={t.match ?? {}} format={formatPairs} parse={parsePairs}
        onChange={(match) => {
          const { match: _old, ...rest } = t;
          setT(Object.keys(match).length > 0 ? { ...rest, match } : rest);
        }} />
      <RefList label={e.guards} refs={t.guards ?? []} options={guardOptions} addLabel={e.addGuard}
        onChange={(guards) => {
          const { guards: _old, ...rest } = t;
          setT(guards.length > 0 ? { ...rest, guards: guards as TransitionDef['guards'] } : rest);
        }} />
      <RefList label={e.actions} refs={t.actions ?? []} options={actionOptions} addLabel={e.addAction}
        onChange={(actions) => {
          const { actions: _old, ...rest } = t;
          setT(actions.length > 0 ? { ...rest, actions } : rest);
        }} />
      <div className="form-actions">
        <button type="submit" disabled={!t.event}>{submitLabel}</button>
        <button type="button" className="secondary" onClick={onCancel}>{e.cancel}</button>
      </div>
    </form>
  );
}

interface StateEditorProps {
  definition: Definition;
  stateId: string;
  catalogue: Catalogue | null;
  issues: Issue[];
  mark: { diff?: 'added' | 'changed' } | undefined;
  activeCases: number;
  /** A transition to start adding (from dragging on the canvas): its target key. */
  connectTo: { target: string; at: number } | null;
  /** A transition to open (from choosing its label on the canvas): its target state id. */
  openTarget: { target: string; at: number } | null;
  onChange(update: (d: Definition) => Definition): void;
  onRemove(): void;
  onClose(): void;
  stateName(id: string): string;
}

export function StateEditor({ definition, stateId, catalogue, issues, mark, activeCases, connectTo, openTarget, onChange, onRemove, onClose, stateName }: StateEditorProps) {
  const { lang, e } = useEditorText();
  const ref = stateAt(definition, stateId);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [newTarget, setNewTarget] = useState<string | undefined>(undefined);
  const [confirmRemove, setConfirmRemove] = useState(false);

  useEffect(() => {
    setEditing(null);
    setConfirmRemove(false);
  }, [stateId]);
  useEffect(() => {
    if (!connectTo) return;
    setNewTarget(connectTo.target);
    setEditing('new');
  }, [connectTo]);
  useEffect(() => {
    if (!openTarget || !ref) return;
    const { key } = { key: openTarget.target.slice(openTarget.target.lastIndexOf('.') + 1) };
    const index = (ref.state.on ?? []).findIndex((t) => t.target === key || (openTarget.target === 'avslutad' && t.target === '#avslutad'));
    if (index >= 0) setEditing(index);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openTarget]);

  const siblings = useMemo(() => {
    if (!ref) return [];
    return Object.entries(ref.region.states).filter(([k]) => k !== ref.key).map(([k, s]) => ({ key: k, label: lang === 'en' ? s.meta.labelEn : s.meta.label }));
  }, [ref, lang]);
  if (!ref) return null;
  const { state, region, key, regionPath } = ref;
  const meta = state.meta;
  const setMeta = (patch: Partial<StateMeta>) => onChange((d) => updateMetaSafe(d, stateId, patch));
  const incoming = Object.values(region.states).reduce((n, s) => n + (s.on ?? []).filter((t) => t.target === key).length, 0);
  const targetName = (t: TransitionDef) => {
    if (!t.target) return e.stays;
    if (t.target === '#avslutad') return e.closesCase;
    return stateName(`${regionPath}.${t.target.replace(/^\./, '')}`);
  };
  const regionLabel = (() => {
    const parts = regionPath.split('.');
    return parts.map((_, i) => {
      const r = regionAt(definition, parts.slice(0, i + 1).join('.'));
      return r ? (lang === 'en' ? r.meta.labelEn : r.meta.label) : parts[i];
    }).join(' › ');
  })();

  return (
    <div className="state-editor">
      <div className="side-panel-head">
        <div>
          <div className="eyebrow">{regionLabel} · {phaseName(meta.phase, lang)}</div>
          <h2 id="state-editor-title">{lang === 'en' ? meta.labelEn : meta.label}</h2>
          <div className="state-editor-id">
            <code>{stateId}</code>
            {mark?.diff && <span className={`chip diff-${mark.diff}`}>{mark.diff === 'added' ? e.markAdded : e.markChanged}</span>}
            {region.initial === key && <span className="chip">{e.stateIsInitial}</span>}
          </div>
        </div>
        <button type="button" className="icon" onClick={onClose} aria-label={e.cancel}>✕</button>
      </div>
      {issues.length > 0 && (
        <ul className="state-issues">
          {issues.map((issue, i) => <li key={i} className={`param-issue ${issue.severity}`}><span className={`sev-icon ${issue.severity}`} aria-hidden="true">{issue.severity === 'error' ? '!' : '⚠'}</span> {lang === 'en' ? issue.messageEn : issue.message}</li>)}
        </ul>
      )}
      <div className="state-form">
        <div className="form-pair">
          <label className="form-field">
            <span>{e.stateLabel}</span>
            <input value={meta.label} onChange={(event) => setMeta({ label: event.target.value })} aria-invalid={meta.label.trim() === '' || undefined} />
          </label>
          <label className="form-field">
            <span>{e.stateLabelEn}</span>
            <input value={meta.labelEn} onChange={(event) => setMeta({ labelEn: event.target.value })} aria-invalid={meta.labelEn.trim() === '' || undefined} />
          </label>
        </div>
        <div className="form-pair">
          <label className="form-field">
            <span>{e.statePhase}</span>
            <select value={meta.phase} onChange={(event) => setMeta({ phase: event.target.value as PhaseId })}>
              {PHASE_IDS.map((p) => <option key={p} value={p}>{phaseName(p, lang)}</option>)}
            </select>
          </label>
          <label className="form-field">
            <span>{e.stateParty}</span>
            <select value={meta.party} onChange={(event) => setMeta({ party: event.target.value as PartyId })}>
              {PARTY_IDS.map((p) => <option key={p} value={p}>{partyName(p, lang)}</option>)}
            </select>
          </label>
        </div>
        <ParsedField label={e.stateRules} hint={e.stateRulesHint} value={meta.rules} format={(v) => v.join(', ')} parse={parseList} onChange={(rules) => setMeta({ rules })} />
        <label className="form-field">
          <span>{e.stateDescription}</span>
          <textarea rows={2} value={meta.description ?? ''} onChange={(event) => setMeta({ description: event.target.value })} />
        </label>
        <label className="checkbox-field">
          <input type="checkbox" checked={meta.terminal === true} onChange={(event) => setMeta({ terminal: event.target.checked })} />
          {e.stateTerminal}
        </label>
        {region.initial !== key && (
          <label className="checkbox-field">
            <input type="checkbox" checked={false} onChange={() => onChange((d) => setInitialSafe(d, stateId))} />
            {e.stateInitial}
          </label>
        )}
      </div>

      <h3>{e.transitionsTitle}</h3>
      {(state.on ?? []).length === 0 && <p className="muted">{e.noTransitions}</p>}
      <ul className="edit-transitions">
        {(state.on ?? []).map((t, i) => (
          <li key={i} className={editing === i ? 'editing' : ''}>
            <div className="edit-transition-line">
              <span className="transition-kind" aria-hidden="true">{INTERNAL_EVENTS.has(t.event) ? '↯' : '→'}</span>
              <div className="edit-transition-text">
                <strong>{lang === 'en' ? t.meta.labelEn : t.meta.label}</strong>
                <span className="muted"> · <code>{t.event}</code>{t.match ? ` {${formatPairs(t.match)}}` : ''} → {targetName(t)}</span>
                {(t.guards ?? []).length > 0 && <div className="muted small-note">{e.guards}: {(t.guards ?? []).map((g) => g.type).join(', ')}</div>}
              </div>
              <div className="edit-transition-buttons">
                <button type="button" className="secondary small" aria-expanded={editing === i} onClick={() => setEditing(editing === i ? null : i)}
                  aria-label={`${e.editTransition}: ${lang === 'en' ? t.meta.labelEn : t.meta.label}`}>{e.editTransition}</button>
                <button type="button" className="icon" aria-label={`${e.removeTransition}: ${lang === 'en' ? t.meta.labelEn : t.meta.label}`}
                  onClick={() => {
                    onChange((d) => removeTransitionSafe(d, stateId, i));
                    setEditing(null);
                  }}>✕</button>
              </div>
            </div>
            {editing === i && (
              <TransitionForm key={`edit:${i}`} initial={t} siblings={siblings} catalogue={catalogue} submitLabel={e.save}
                onCancel={() => setEditing(null)}
                onSubmit={(next) => {
                  onChange((d) => updateTransitionSafe(d, stateId, i, next));
                  setEditing(null);
                }} />
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <div className="new-transition">
          <h4>{e.addTransition}{newTarget ? `: ${e.fromTo(lang === 'en' ? meta.labelEn : meta.label, siblings.find((s) => s.key === newTarget)?.label ?? newTarget)}` : ''}</h4>
          <TransitionForm key={`new:${newTarget ?? ''}`} initial={newTransition('', meta.party, newTarget, '', '')} siblings={siblings} catalogue={catalogue} submitLabel={e.addTransitionButton}
            onCancel={() => setEditing(null)}
            onSubmit={(t) => {
              onChange((d) => addTransitionSafe(d, stateId, t));
              setEditing(null);
            }} />
        </div>
      ) : (
        <button type="button" className="secondary small" onClick={() => { setNewTarget(undefined); setEditing('new'); }}>+ {e.addTransition}</button>
      )}

      <div className="danger-zone">
        {activeCases > 0 && <p className="notice">{e.casesInState(activeCases)}. {e.casesInStateNote}</p>}
        {!confirmRemove ? (
          <button type="button" className="danger secondary" onClick={() => setConfirmRemove(true)}>{e.removeState}</button>
        ) : (
          <div className="confirm-row" role="group" aria-label={e.removeState}>
            <span>{e.removeStateConfirm(lang === 'en' ? meta.labelEn : meta.label, incoming)}</span>
            <button type="button" className="danger" onClick={onRemove}>{e.removeState}</button>
            <button type="button" className="secondary" onClick={() => setConfirmRemove(false)}>{e.cancel}</button>
          </div>
        )}
      </div>
    </div>
  );
}

// The edits, tolerant of a state that went away meanwhile (undo, import): the definition is kept.
const safe = <A extends unknown[]>(f: (d: Definition, ...a: A) => Definition) => (d: Definition, ...a: A): Definition => {
  try {
    return f(d, ...a);
  } catch {
    return d;
  }
};
const updateMetaSafe = safe(updateStateMeta);
const setInitialSafe = safe(setInitial);
const addTransitionSafe = safe(addTransition);
const updateTransitionSafe = safe(updateTransition);
const removeTransitionSafe = safe(removeTransition);

interface NewStateFormProps {
  definition: Definition;
  /** The lane to start in (the selected state's). */
  regionPath: string | null;
  onAdd(regionPath: string, key: string, meta: StateMeta): void;
  onCancel(): void;
}

export function NewStateForm({ definition, regionPath, onAdd, onCancel }: NewStateFormProps) {
  const { lang, e } = useEditorText();
  const regions = leafRegions(definition);
  const [path, setPath] = useState(regionPath && regions.some((r) => r.path === regionPath) ? regionPath : regions[0]?.path ?? '');
  const region = regions.find((r) => r.path === path);
  const [label, setLabel] = useState('');
  const [labelEn, setLabelEn] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [phase, setPhase] = useState<PhaseId>('vardtid');
  const [party, setParty] = useState<PartyId>(region?.region.meta.party ?? 'slutenvard');
  const [terminal, setTerminal] = useState(false);
  const taken = Object.keys(region?.region.states ?? {});
  const effectiveKey = keyTouched ? key : keyFromLabel(label || 'nyttLage', taken);
  const keyOk = isValidKey(effectiveKey) && !taken.includes(effectiveKey);
  const regionName = (p: string) => p.split('.').map((_, i, parts) => {
    const r = regionAt(definition, parts.slice(0, i + 1).join('.'));
    return r ? (lang === 'en' ? r.meta.labelEn : r.meta.label) : parts[i];
  }).join(' › ');
  return (
    <form className="new-state-form" aria-labelledby="new-state-title" onSubmit={(event) => {
      event.preventDefault();
      if (!keyOk || !label.trim()) return;
      onAdd(path, effectiveKey, { label: label.trim(), labelEn: (labelEn || label).trim(), party, phase, rules: [], ...(terminal ? { terminal: true } : {}) });
    }}>
      <div className="side-panel-head">
        <h2 id="new-state-title">{e.newStateTitle}</h2>
        <button type="button" className="icon" onClick={onCancel} aria-label={e.cancel}>✕</button>
      </div>
      <p className="muted small-note">{e.newStateHint}</p>
      <label className="form-field">
        <span>{e.lane}</span>
        <select value={path} onChange={(event) => {
          setPath(event.target.value);
          const r = regions.find((x) => x.path === event.target.value);
          if (r) setParty(r.region.meta.party);
        }}>
          {regions.map((r) => <option key={r.path} value={r.path}>{regionName(r.path)}</option>)}
        </select>
      </label>
      <div className="form-pair">
        <label className="form-field">
          <span>{e.stateLabel}</span>
          <input required value={label} onChange={(event) => setLabel(event.target.value)} />
        </label>
        <label className="form-field">
          <span>{e.stateLabelEn}</span>
          <input value={labelEn} placeholder={label} onChange={(event) => setLabelEn(event.target.value)} />
        </label>
      </div>
      <label className="form-field">
        <span>{e.stateKey}</span>
        <input value={effectiveKey} aria-invalid={!keyOk || undefined} onChange={(event) => { setKeyTouched(true); setKey(event.target.value); }} />
      </label>
      <div className="form-pair">
        <label className="form-field">
          <span>{e.statePhase}</span>
          <select value={phase} onChange={(event) => setPhase(event.target.value as PhaseId)}>
            {PHASE_IDS.map((p) => <option key={p} value={p}>{phaseName(p, lang)}</option>)}
          </select>
        </label>
        <label className="form-field">
          <span>{e.stateParty}</span>
          <select value={party} onChange={(event) => setParty(event.target.value as PartyId)}>
            {PARTY_IDS.map((p) => <option key={p} value={p}>{partyName(p, lang)}</option>)}
          </select>
        </label>
      </div>
      <label className="checkbox-field">
        <input type="checkbox" checked={terminal} onChange={(event) => setTerminal(event.target.checked)} />
        {e.stateTerminal}
      </label>
      <div className="form-actions">
        <button type="submit" disabled={!keyOk || !label.trim()}>{e.addState}</button>
        <button type="button" className="secondary" onClick={onCancel}>{e.cancel}</button>
      </div>
    </form>
  );
}
