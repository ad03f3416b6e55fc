/**
 * The draft against the published version (issue 6), in words: the server's comparison
 * (GET /api/pathways/:id/compare?from=N&to=draft), one line per change, each linked to the state or
 * parameter it concerns; above it, the states added, removed and changed (marked on the map too).
 */
import { isParameterName, type ParameterName, type StateDiff } from '../editor.ts';
import { useEditorText } from '../i18n-editor.ts';
import type { Change, Comparison } from '../versionsApi.ts';

interface Props {
  comparison: Comparison | null;
  /** The draft has errors: the comparison is of the last valid draft. */
  stale: boolean;
  error: string | null;
  diff: StateDiff;
  version: number;
  stateName(id: string): string;
  onState(id: string): void;
  onParameter(name: ParameterName): void;
}

const TONE: Record<Change['kind'], string> = {
  parameter: 'param', policy: 'param', meta: 'param',
  'state-added': 'added', 'transition-added': 'changed',
  'state-removed': 'removed', 'transition-removed': 'changed',
  'state-changed': 'changed', 'transition-changed': 'changed',
};

export function CompareView({ comparison, stale, error, diff, version, stateName, onState, onParameter }: Props) {
  const { lang, e } = useEditorText();
  const changes = comparison?.changes ?? [];
  const link = (change: Change) => {
    if (change.kind === 'state-removed') return null;
    if (change.path.startsWith('parameters.')) {
      const name = change.path.slice('parameters.'.length);
      return isParameterName(name) ? () => onParameter(name) : null;
    }
    if (change.kind.startsWith('state-') || change.kind.startsWith('transition-')) return () => onState(change.path);
    return null;
  };
  return (
    <div className="compare-view">
      <h2 className="panel-title">{e.compareTitle(version)}</h2>
      <ul className="diff-summary" aria-label={e.compareTitle(version)}>
        <li className="diff-chip added"><strong>{diff.added.size}</strong> {e.compareAdded.toLowerCase()}</li>
        <li className="diff-chip removed"><strong>{diff.removed.length}</strong> {e.compareRemoved.toLowerCase()}</li>
        <li className="diff-chip changed"><strong>{diff.changed.size}</strong> {e.compareChanged.toLowerCase()}</li>
      </ul>
      <p className="muted small-note">{e.compareLegend}</p>
      {diff.removed.length > 0 && (
        <div className="removed-states">
          <h3>{e.compareRemoved}</h3>
          <ul>
            {diff.removed.map((s) => (
              <li key={s.id}><del>{lang === 'en' ? s.labelEn : s.label}</del> <code>{s.id}</code></li>
            ))}
          </ul>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {stale && <p className="notice">{e.compareStale}</p>}
      {comparison && changes.length === 0 && !stale && <p className="compare-none">{e.compareNone}</p>}
      {changes.length > 0 && (
        <ol className="change-list">
          {changes.map((change, i) => {
            const open = link(change);
            const message = lang === 'en' ? change.messageEn : change.message;
            return (
              <li key={i} className={`change tone-${TONE[change.kind]}`}>
                <span className="change-kind">{e.changeKinds[change.kind] ?? change.kind}</span>
                {open ? (
                  <button type="button" className="link-button change-message" onClick={open}
                    title={change.path.startsWith('parameters.') ? undefined : e.goToState(stateName(change.path))}>
                    {message}
                  </button>
                ) : <span className="change-message">{message}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
