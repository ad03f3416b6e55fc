/**
 * "What would this change do?" (issue 6): the pathway's active cases replayed under the draft
 * (POST /api/pathways/:id/impact) beside how they stand now — per party the cases it holds back and
 * those with its time limit passed, payment liability, cases the draft cannot replay — and the
 * cases that would change, each with what changes.
 */
import { useState } from 'react';
import { PARTY_IDS } from '../../../machines/parties.ts';
import type { Definition } from '../editor.ts';
import { partyText } from '../i18n.ts';
import { useEditorText } from '../i18n-editor.ts';
import { href } from '../router.ts';
import { errorText, versionsApi, type ImpactReport } from '../versionsApi.ts';

interface Props {
  pathway: string;
  definition: Definition;
  valid: boolean;
}

function Delta({ now, next, label }: { now: number; next: number; label: string }) {
  const delta = next - now;
  return (
    <span className={`delta ${delta > 0 ? 'worse' : delta < 0 ? 'better' : 'same'}`} aria-label={`${label}: ${now} → ${next}`}>
      <span className="delta-now">{now}</span>
      <span aria-hidden="true"> → </span>
      <strong className="delta-next">{next}</strong>
      {delta !== 0 && <span className="delta-diff" aria-hidden="true"> ({delta > 0 ? '+' : '−'}{Math.abs(delta)})</span>}
    </span>
  );
}

export function ImpactPanel({ pathway, definition, valid }: Props) {
  const { lang, e } = useEditorText();
  const [report, setReport] = useState<ImpactReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(20);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setReport(await versionsApi.impact(pathway, definition));
      setShown(20);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRunning(false);
    }
  };

  const parties = report ? PARTY_IDS.filter((p) => [report.published.blocked, report.published.overdue, report.draft.blocked, report.draft.overdue].some((m) => (m[p] ?? 0) > 0)) : [];
  const time = report ? new Date(report.at).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' }) : '';
  return (
    <div className="impact-panel">
      <h2 className="panel-title">{e.impactTitle}</h2>
      <p className="muted panel-intro">{e.impactIntro}</p>
      <div className="impact-run">
        <button type="button" onClick={() => void run()} disabled={running || !valid} aria-busy={running}>
          {running ? e.impactRunning : report ? e.impactRerun : e.impactRun}
        </button>
        {!valid && <span className="muted">{e.impactInvalid}</span>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {report && (
        <div className="impact-result" aria-live="polite">
          <p className="muted small-note">{e.impactAt(time, report.published.cases)}</p>
          <dl className="impact-tiles">
            <div className="impact-tile">
              <dt>{e.impactCases}</dt>
              <dd><strong>{report.published.cases}</strong></dd>
            </div>
            <div className="impact-tile">
              <dt>{e.impactLiable}</dt>
              <dd><Delta now={report.published.liable} next={report.draft.liable} label={e.impactLiable} /></dd>
            </div>
            <div className={`impact-tile ${report.draft.refused > 0 ? 'alert' : ''}`}>
              <dt>{e.impactRefused}</dt>
              <dd><strong>{report.draft.refused}</strong></dd>
            </div>
          </dl>
          <table className="impact-table">
            <caption className="sr-only">{e.impactTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{e.impactParty}</th>
                <th scope="col">{e.impactBlocked}<br /><span className="th-sub">{e.impactPublished} → {e.impactDraft}</span></th>
                <th scope="col">{e.impactOverdue}<br /><span className="th-sub">{e.impactPublished} → {e.impactDraft}</span></th>
              </tr>
            </thead>
            <tbody>
              {parties.map((p) => (
                <tr key={p}>
                  <th scope="row">{partyText(p, lang)}</th>
                  <td><Delta now={report.published.blocked[p] ?? 0} next={report.draft.blocked[p] ?? 0} label={`${partyText(p, lang)}, ${e.impactBlocked}`} /></td>
                  <td><Delta now={report.published.overdue[p] ?? 0} next={report.draft.overdue[p] ?? 0} label={`${partyText(p, lang)}, ${e.impactOverdue}`} /></td>
                </tr>
              ))}
              {parties.length === 0 && <tr><td colSpan={3} className="muted">–</td></tr>}
            </tbody>
          </table>
          <h3>{report.changed.length > 0 ? e.impactChanged(report.changed.length) : e.impactNoChange}</h3>
          {report.changed.length > 0 && (
            <ul className="impact-cases">
              {report.changed.slice(0, shown).map((c) => (
                <li key={c.caseId}>
                  <a className="case-id" href={href({ page: 'arende', id: c.caseId, query: null })}>{c.caseId}</a>
                  <ul>{c.changes.map((line, i) => <li key={i}>{line}</li>)}</ul>
                </li>
              ))}
            </ul>
          )}
          {report.changed.length > shown && (
            <button type="button" className="secondary small" onClick={() => setShown(shown + 50)}>+ {report.changed.length - shown}</button>
          )}
          <p className="muted small-note">{e.impactNote}</p>
        </div>
      )}
    </div>
  );
}
