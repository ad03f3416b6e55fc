import { useMemo } from 'react';
import { PHASE_TEXTS, text, type Diagram, type TransitionInfo } from '../graph.ts';
import { partyText, useLang } from '../i18n.ts';
import type { PositionsStore } from '../positions.ts';
import { useCount } from '../usePositions.ts';
import { CaseList } from './CaseList.tsx';

interface Props {
  diagram: Diagram;
  stateId: string;
  store: PositionsStore | null;
  rules: Map<string, { title: string; sentence: string }>;
  onClose(): void;
}

function RuleList({ ids, rules }: { ids: string[]; rules: Props['rules'] }) {
  return (
    <ul className="rule-list">
      {ids.map((id) => {
        const rule = rules.get(id);
        return (
          <li key={id}>
            <span className="rule-id">{id}</span> {rule?.title}
            {rule && <blockquote>{rule.sentence}</blockquote>}
          </li>
        );
      })}
    </ul>
  );
}

/** A state's details: its rules with the routine's sentences, its transitions, and the cases there. */
export function StatePanel({ diagram, stateId, store, rules, onClose }: Props) {
  const { lang, t } = useLang();
  const count = useCount(store, stateId);
  const placed = diagram.states.find((s) => s.state.id === stateId);
  const outgoing = useMemo(() => diagram.edges.filter((e) => e.edge.source === stateId).flatMap((e) => e.edge.transitions), [diagram, stateId]);
  const names = useMemo(() => new Map(diagram.states.map((s) => [s.state.id, text(s.state, lang)])), [diagram, lang]);
  if (!placed) return null;
  const state = placed.state;
  // Each transition opens (mouse or keyboard) to the routine's sentences behind it.
  const line = (x: TransitionInfo) => (
    <li key={`${x.event}:${JSON.stringify(x.match ?? {})}:${x.target ?? ''}`}>
      <details>
        <summary>
          <span className={`transition-kind ${x.internal ? 'reaction' : 'action'}`} aria-hidden="true">{x.internal ? '↯' : '→'}</span>{' '}
          <strong>{text(x, lang)}</strong>
          {x.target && <> → {names.get(x.target) ?? x.target}</>}
          <span className="muted"> · {x.internal ? t.reaction : partyText(x.party, lang)} · {x.rules.join(', ')}</span>
        </summary>
        <RuleList ids={x.rules} rules={rules} />
        {x.guards.length > 0 && <p className="muted">{t.guards}: {x.guards.join(', ')}</p>}
      </details>
    </li>
  );
  return (
    <aside className="side-panel" aria-labelledby="state-panel-title">
      <div className="side-panel-head">
        <div>
          <div className="eyebrow">{partyText(state.party, lang)} · {text(PHASE_TEXTS[state.phase], lang)}</div>
          <h2 id="state-panel-title">{text(state, lang)}</h2>
        </div>
        <button type="button" className="icon" onClick={onClose} aria-label={t.close}>✕</button>
      </div>
      {store && state.kind === 'state' && (
        <p className="state-summary">
          <strong>{t.activeCases(count.active)}</strong>
          {count.overdue > 0 && <span className="badge overdue">⚠ {t.overdueCases(count.overdue)}</span>}
        </p>
      )}
      {state.description && <p>{state.description}</p>}
      {state.rules.length > 0 && (
        <>
          <h3>{t.rules}</h3>
          <RuleList ids={state.rules} rules={rules} />
        </>
      )}
      {(outgoing.length > 0 || state.records.length > 0) && (
        <>
          <h3>{t.transitions}</h3>
          <ul className="transition-list">
            {outgoing.map(line)}
            {state.records.map(line)}
          </ul>
        </>
      )}
      {store && state.kind === 'state' && <CaseList pathway={diagram.pathway} state={stateId} version={count.active} />}
    </aside>
  );
}
