import { useState } from 'react';
import type { EscalationRow, Principal } from '../api.ts';
import { partyText, useLang } from '../i18n.ts';
import { href } from '../router.ts';
import { useEscalation, useNow } from '../useWorklist.ts';
import { absoluteDue, clockTime, relativeDue } from '../worklist.ts';
import { RuleChip } from './RuleChip.tsx';
import { useRuleTitles } from './Worklist.tsx';

const SHOWN = 4;

function CaseLinks({ ids }: { ids: string[] }) {
  const { t } = useLang();
  const [all, setAll] = useState(false);
  const shown = all ? ids : ids.slice(0, SHOWN);
  return (
    <ul className="esc-cases">
      {shown.map((id) => (
        <li key={id}><a className="case-id" href={href({ page: 'arende', id, query: null })} title={`${t.openCase}: ${id}`}>{id.slice(0, 8)}</a></li>
      ))}
      {ids.length > SHOWN && (
        <li><button type="button" className="link-button" aria-expanded={all} onClick={() => setAll(!all)}>{all ? '−' : t.escMore(ids.length - SHOWN)}</button></li>
      )}
    </ul>
  );
}

function Row({ row, now, rules }: { row: EscalationRow; now: number; rules: Map<string, { title: string; sentence: string }> }) {
  const { lang, t } = useLang();
  const rel = relativeDue(row.oldestDue, now, lang);
  const rule = rules.get(row.rule);
  const party = partyText(row.party, lang);
  return (
    <tr className="esc-row">
      <td className="esc-unit"><strong>{row.unitLabel}</strong>{!row.unitLabel.startsWith(party) && <span className="muted esc-party">{party}</span>}</td>
      <td className="esc-rule">
        <RuleChip id={row.rule} title={rule?.title ?? row.rule} {...(rule?.sentence ? { sentence: rule.sentence } : {})} />
        {rule && <span className="esc-rule-title">{rule.title}</span>}
      </td>
      <td className="esc-count"><strong>{row.count}</strong></td>
      <td className="esc-oldest">
        <span className="wl-rel late">{rel.text}</span>
        <time className="wl-abs" dateTime={row.oldestDue}>{absoluteDue(row.oldestDue, now, lang, { today: t.wlToday, tomorrow: t.wlTomorrow, yesterday: t.wlYesterday })}</time>
      </td>
      <td className="esc-case-cell"><CaseLinks ids={row.caseIds} /></td>
    </tr>
  );
}

/** #/eskalering: the process owners' view of overdue duties per owing unit and rule, live. */
export function EscalationPage({ user }: { user: Principal }) {
  const { t } = useLang();
  const owner = user.roles.includes('process_owner');
  const data = useEscalation(owner ? user.id : null);
  const tick = useNow();
  const now = Math.max(tick, data.at ?? 0);
  const rules = useRuleTitles();
  if (!owner) {
    return (
      <div className="page escalation-page">
        <h1>{t.escTitle}</h1>
        <p role="alert" className="error">{t.escOnlyOwners}</p>
      </div>
    );
  }
  const rows = data.data?.rows ?? [];
  const units = new Set(rows.map((r) => `${r.party} ${r.unit}`)).size;
  return (
    <div className="page escalation-page">
      <div className="wl-heading">
        <div>
          <h1>{t.escTitle}</h1>
          <p className="wl-unit">{user.unit.name}</p>
        </div>
        {data.data && <p className="esc-total"><strong>{t.escTotal(data.data.total, units)}</strong></p>}
        <div className="wl-meta">{data.at && <span className="muted">{t.wlUpdated(clockTime(data.at))}</span>}</div>
      </div>
      <p className="muted wl-intro">{t.escIntro}</p>
      {data.error && <p role="alert" className="error">{t.loadError}: {data.error.message} <button type="button" className="secondary small" onClick={data.refresh}>{t.retry}</button></p>}
      {!data.data && !data.error && <p className="loading">{t.loading}</p>}
      {data.data && rows.length === 0 && <p className="card wl-empty">✓ {t.escEmpty}</p>}
      {rows.length > 0 && (
        <section className="card wl-table esc-table" aria-labelledby="esc-table-title">
          <h2 id="esc-table-title" className="sr-only">{t.escTitle}</h2>
          <table>
            <colgroup><col className="c-unit" /><col className="c-rule" /><col className="c-count" /><col className="c-oldest" /><col className="c-cases" /></colgroup>
            <thead>
              <tr>{[t.escColUnit, t.escColRule, t.escColCount, t.escColOldest, t.escColCases].map((c) => <th key={c} scope="col">{c}</th>)}</tr>
            </thead>
            <tbody>{rows.map((r) => <Row key={`${r.party} ${r.unit} ${r.rule}`} row={r} now={now} rules={rules} />)}</tbody>
          </table>
        </section>
      )}
    </div>
  );
}
