import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useRef, useSyncExternalStore } from 'react';
import { PHASE_TEXTS, text, type StateNode } from '../graph.ts';
import { partyText, useLang } from '../i18n.ts';
import { heatLevel } from '../positions.ts';
import { useCount, useMax } from '../usePositions.ts';
import { EDITOR_TEXTS } from '../i18n-editor.ts';
import { useCanvas } from './canvasContext.ts';

/** A state: its Swedish label, rule ids, and the live number of cases there. */
function StateNodeView({ id, data }: NodeProps<StateNode>) {
  const { lang, t } = useLang();
  const canvas = useCanvas();
  const count = useCount(canvas.store, id);
  const max = useMax(canvas.store);
  const ref = useRef<HTMLButtonElement>(null);
  const selected = useSyncExternalStore(canvas.selection.subscribe, () => canvas.selection.get() === id);
  const state = data.state;
  const label = text(state, lang);
  const here = canvas.highlight?.has(id) ?? false;
  const level = canvas.store ? heatLevel(count.active, max) : 0;
  const tooltip = () => ({
    title: label,
    subtitle: `${partyText(state.party, lang)}${state.kind === 'state' ? ` · ${t.phase}: ${text(PHASE_TEXTS[state.phase], lang)}` : ''}`,
    lines: [
      ...(state.description ? [state.description] : []),
      ...(state.records.length > 0 ? [`${t.recordsInState}: ${[...new Set(state.records.map((r) => text(r, lang)))].join(' · ')}`] : []),
    ],
    rules: state.rules.map(canvas.ruleInfo),
  });
  const show = () => ref.current && canvas.showTooltip(tooltip(), ref.current);
  // Edit mode (issue 6): how the draft differs here, and its worst validation issue — in words too.
  const mark = canvas.marks?.get(id);
  const e = EDITOR_TEXTS[lang];
  const markWords = [mark?.diff === 'added' ? e.markAdded : mark?.diff === 'changed' ? e.markChanged : '', mark?.issue === 'error' ? e.markError : mark?.issue === 'warning' ? e.markWarning : ''].filter(Boolean);
  const classes = ['state-node', `kind-${state.kind}`, `heat-${level}`, here ? 'is-here' : '', selected ? 'is-selected' : '', mark?.diff ? `diff-${mark.diff}` : '', mark?.issue ? `issue-${mark.issue}` : '', canvas.editable ? 'editable' : ''].join(' ');
  const counts = canvas.store && state.kind === 'state';
  const aria = counts
    ? t.stateAria(partyText(state.party, lang), label, count.active, count.overdue)
    : `${label}${here ? ` (${t.here})` : ''}`;
  return (
    <div className={classes} data-heat={level}>
      <Handle type="target" position={Position.Left} isConnectable={canvas.editable ?? false} className="handle" />
      <button
        ref={ref}
        type="button"
        className="state-button nodrag nopan"
        aria-label={`${here && counts ? `${aria} (${t.here})` : aria}${markWords.length > 0 ? ` (${markWords.join(', ')})` : ''}`}
        aria-pressed={selected}
        onClick={() => canvas.onOpen?.(id)}
        onMouseEnter={show}
        onMouseLeave={canvas.hideTooltip}
        onFocus={() => {
          canvas.focusNode(id);
          show();
        }}
        onBlur={canvas.hideTooltip}
      >
        {state.kind === 'state' && state.rules.length > 0 && <span className="state-rules">{state.rules.join(' · ')}</span>}
        {here && <span className="here-marker">● {t.here}</span>}
        {markWords.length > 0 && <span className="mark-badges" aria-hidden="true">{markWords.map((w) => <span key={w} className="mark-badge">{w}</span>)}</span>}
        <span className="state-label">{state.kind === 'any' ? `✱ ${label}` : label}</span>
        {counts && (
          <span className="state-counts">
            <span className="count-active"><strong>{count.active}</strong> {count.active === 1 ? (lang === 'en' ? 'case' : 'ärende') : lang === 'en' ? 'cases' : 'ärenden'}</span>
            {count.overdue > 0 && <span className="count-overdue">⚠ {t.overdueCases(count.overdue)}</span>}
          </span>
        )}
      </button>
      <Handle type="source" position={Position.Right} isConnectable={canvas.editable ?? false} className="handle" />
    </div>
  );
}

export default memo(StateNodeView);
