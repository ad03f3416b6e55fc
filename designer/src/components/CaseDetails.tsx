import type { CaseView as FullCaseView } from '../../../engine/caseView.ts';
import type { ApiError, CaseView as GatedCaseView } from '../api.ts';
import { PHASE_TEXTS, text } from '../graph.ts';
import { partyText, useLang } from '../i18n.ts';
import { optionLabel } from '../schemaForm.ts';
import { buildTimeline, formatInstant, formatMinutes, type DeadlineLike } from '../timeline.ts';

export type EventLabels = Map<string, { sv: string; en: string }>;

/** The server's case view (gated by the reader's access) or the simulator's sandbox view (whole). */
type CaseView = GatedCaseView | FullCaseView;

const eventText = (labels: EventLabels, type: string, lang: 'sv' | 'en') => {
  const l = labels.get(type);
  return l ? (lang === 'en' ? l.en : l.sv) : type;
};

/**
 * "Varför står ärendet still?": for each move the case cannot make, what is missing, which party
 * owns it and the rule (with the routine's sentence, once per rule).
 */
export function Blockers({ view, labels }: { view: CaseView; labels: EventLabels }) {
  const { lang, t } = useLang();
  const groups = new Map<string, CaseView['blockers']>();
  for (const b of view.blockers) {
    const key = `${b.event}:${JSON.stringify(b.match ?? {})}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  // Moves that advance a lane hold the case back; blocked records (a status message without
  // consent, …) matter less and stay folded.
  const all = [...groups.values()];
  const advancing = all.filter((g) => g[0]!.advances);
  const records = all.filter((g) => !g[0]!.advances);
  const group = (items: CaseView['blockers']) => {
    const first = items[0]!;
    const rules = [...new Map(items.map((b) => [b.rule, b.sentence])).entries()];
    return (
      <li key={`${first.event}:${JSON.stringify(first.match ?? {})}`} className={`blocker ${first.advances ? 'advances' : 'records'}`}>
        <h3 className="blocker-head">
          <span className="badge blocked">✖ {t.blockedEvent}</span>{' '}
          {eventText(labels, first.event, lang)}{first.match ? ` (${Object.values(first.match).map((v) => optionLabel(String(v), lang)).join(', ')})` : ''}
        </h3>
        <ul className="blocker-reasons">
          {items.map((b, i) => (
            <li key={`${b.guard}:${i}`}>
              <strong className="blocker-reason">{t.missing}: {lang === 'en' ? b.reasonEn : b.reason}</strong>
              <span className="blocker-owner"> · {t.owner}: <strong>{partyText(b.party, lang)}</strong> · {t.rule} <span className="rule-id">{b.rule}</span></span>
            </li>
          ))}
        </ul>
        {rules.map(([rule, sentence]) => sentence && (
          <blockquote key={rule} className="rule-sentence"><span className="rule-id">{rule}</span> ”{sentence}”</blockquote>
        ))}
      </li>
    );
  };
  return (
    <section className="card blockers" aria-labelledby="blockers-title">
      <h2 id="blockers-title">{t.blockersTitle}</h2>
      {view.status === 'closed' && <p className="muted">{t.statusClosed}{view.closedReason ? `: ${view.closedReason}` : ''}</p>}
      {view.status === 'active' && advancing.length === 0 && <p className="muted">{t.noBlockers}</p>}
      {advancing.length > 0 && <ul className="blocker-list">{advancing.map(group)}</ul>}
      {records.length > 0 && (
        <details className="blocked-records">
          <summary>{t.blockedRecords(records.length)}</summary>
          <ul className="blocker-list">{records.map(group)}</ul>
        </details>
      )}
    </section>
  );
}

/** Whose move: the events the case accepts now, grouped by the party that owns them. */
export function AllowedActions({ view, onPick }: { view: CaseView; onPick?: (action: CaseView['allowedActions'][number]) => void }) {
  const { lang, t } = useLang();
  const byParty = new Map<string, CaseView['allowedActions']>();
  for (const a of view.allowedActions) byParty.set(a.party, [...(byParty.get(a.party) ?? []), a]);
  return (
    <section className="card allowed" aria-labelledby="allowed-title">
      <h2 id="allowed-title">{t.allowedTitle}</h2>
      {view.allowedActions.length === 0 && <p className="muted">{t.noAllowed}</p>}
      {[...byParty.entries()].map(([party, actions]) => (
        <div key={party} className="allowed-party">
          <h3>{partyText(party, lang)}</h3>
          <ul>
            {actions.map((a, i) => (
              <li key={`${a.event}:${i}`}>
                {onPick ? (
                  <button type="button" className="action-button" onClick={() => onPick(a)}>
                    {lang === 'en' ? a.labelEn : a.label} <span className="muted">({a.rules.join(', ')})</span>
                  </button>
                ) : (
                  <span>{lang === 'en' ? a.labelEn : a.label} <span className="muted">({a.rules.join(', ')})</span></span>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function deadlineStatusText(d: DeadlineLike, t: ReturnType<typeof useLang>['t'], lang: 'sv' | 'en', now: string): string {
  switch (d.status) {
    case 'met':
      return d.lateMinutes ? t.metLate(formatMinutes(d.lateMinutes, lang)) : `${t.met} ${formatInstant(d.metAt)}`;
    case 'overdue':
      return t.overdueBy(formatMinutes(d.overdueMinutes ?? 0, lang));
    case 'pending':
      return t.pendingLeft(formatMinutes((Date.parse(d.due) - Date.parse(now)) / 60_000, lang));
    case 'cancelled':
      return t.cancelled;
  }
}

const STATUS_ICON = { met: '✓', pending: '○', overdue: '⚠', cancelled: '–' } as const;

/** K-7: every time limit on one time scale — met, pending, overdue and by how long. */
export function DeadlineTimeline({ view, now }: { view: CaseView; now: string }) {
  const { lang, t } = useLang();
  const timeline = buildTimeline(view.deadlines, now);
  return (
    <section className="card deadlines" aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">{t.deadlinesTitle}</h2>
      {view.deadlines.length === 0 && <p className="muted">{t.noDeadlines}</p>}
      {view.deadlines.length > 0 && (
        <div className="timeline">
          <div className="timeline-scale" aria-hidden="true">
            {timeline.ticks.filter((tick) => timeline.now === null || Math.abs(tick.position - timeline.now) > 5).map((tick) => (
              <span key={tick.at} className="tick" style={{ left: `${tick.position}%` }}>{formatInstant(new Date(tick.at).toISOString(), false).slice(5)}</span>
            ))}
            {timeline.now !== null && <span className="now-line" style={{ left: `${timeline.now}%` }}>{t.now}</span>}
          </div>
          <ol className="timeline-rows">
            {timeline.bars.map((bar) => {
              const d = bar.deadline;
              return (
                <li key={d.id} className={`timeline-row status-${d.status}`}>
                  <div className="timeline-text">
                    <span className={`status-icon status-${d.status}`} aria-hidden="true">{STATUS_ICON[d.status]}</span>
                    <span className="rule-id">{d.rule}</span> <strong>{d.label}</strong>
                    <span className="muted"> · {partyText(d.party, lang)}{d.limit ? ` · ${d.limit}` : ''}</span>
                    <div className="timeline-status">{deadlineStatusText(d, t, lang, now)} · {t.due} {formatInstant(d.due)}</div>
                  </div>
                  <div className="timeline-track" aria-hidden="true">
                    <span className="bar" style={{ left: `${bar.start}%`, width: `${Math.max(0.8, bar.end - bar.start)}%` }} />
                    {bar.overrun !== null && <span className="bar overrun" style={{ left: `${bar.end}%`, width: `${Math.max(0.8, bar.overrun - bar.end)}%` }} />}
                    {bar.mark !== null && <span className="mark" style={{ left: `${bar.mark}%` }} />}
                    {timeline.now !== null && <span className="now" style={{ left: `${timeline.now}%` }} />}
                  </div>
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </section>
  );
}

export function History({ view, labels }: { view: CaseView; labels: EventLabels }) {
  const { lang, t } = useLang();
  return (
    <section className="card history" aria-labelledby="history-title">
      <h2 id="history-title">{t.historyTitle}</h2>
      {view.history.length === 0 ? <p className="muted">{t.noHistory}</p> : (
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">{t.at}</th><th scope="col">{t.event}</th><th scope="col">{t.by}</th><th scope="col">{t.unit}</th></tr></thead>
          <tbody>
            {[...view.history].reverse().map((h) => (
              <tr key={h.seq}>
                <td>{h.seq}</td>
                <td>{formatInstant(h.at)}</td>
                <td>{eventText(labels, h.type, lang)}</td>
                <td>{partyText(h.by, lang)}</td>
                <td>{h.unit ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Liability({ view }: { view: CaseView }) {
  const { t } = useLang();
  const l = view.paymentLiability;
  if (!l) {
    return (
      <section className="card liability" aria-labelledby="liability-title">
        <h2 id="liability-title">{t.liabilityTitle}</h2>
        <p><HiddenValue rule={hidden(view, 'paymentLiability')?.rule ?? null} /></p>
      </section>
    );
  }
  return (
    <section className="card liability" aria-labelledby="liability-title">
      <h2 id="liability-title">{t.liabilityTitle}</h2>
      <p><strong>{l.applies ? `✓ ${t.liabilityApplies}` : `✗ ${t.liabilityNot}`}</strong></p>
      <dl className="facts">
        <div><dt>{t.dayZero}</dt><dd>{l.dayZero ?? '–'}</dd></div>
        <div><dt>{t.readyDays}</dt><dd>{l.readyDays}</dd></div>
        <div><dt>{t.liableKommun}</dt><dd>{l.liableKommun}</dd></div>
      </dl>
      {l.reasons.length > 0 && (
        <>
          <h3>{t.reasons}</h3>
          <ul className="reasons">{l.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
        </>
      )}
    </section>
  );
}

/** Whether the reader may not see `field` (null in the gated view), and the rule that hides it. */
function hidden(view: CaseView, field: string): { rule: string | null } | null {
  if (!('access' in view) || !view.access.hidden.includes(field as never)) return null;
  return { rule: view.access.rule };
}

export function HiddenValue({ rule }: { rule: string | null }) {
  const { t } = useLang();
  return <span className="hidden-value">{t.hiddenValue(rule)}</span>;
}

export function CaseHeader({ view, pathwayLabel, labelOf }: { view: CaseView; pathwayLabel: string; labelOf?: (stateId: string) => string | undefined }) {
  const { lang, t } = useLang();
  const patient = view.patient;
  const careContactHidden = hidden(view, 'careContact');
  const place = `${view.kommun}${view.placeringskommun ? ` (${view.placeringskommun})` : ''}`;
  return (
    <section className="card case-header" aria-label={t.patient}>
      <div className="case-title">
        {patient ? (
          <>
            <h2>{patient.name}</h2>
            <span className="muted">{patient.personnummer} · {place}</span>
          </>
        ) : (
          <>
            <h2>{t.patientHidden}</h2>
            <span className="muted"><HiddenValue rule={hidden(view, 'patient')?.rule ?? null} /> · {place} · <span className="case-id">{view.id}</span></span>
          </>
        )}
      </div>
      <dl className="facts">
        <div><dt>{t.pathway}</dt><dd>{pathwayLabel}</dd></div>
        <div><dt>{t.status}</dt><dd>{view.status === 'active' ? t.statusActive : `${t.statusClosed}${view.closedReason ? ` (${view.closedReason})` : ''}`}</dd></div>
        <div><dt>{t.phase}</dt><dd>{text(PHASE_TEXTS[view.phase], lang)}</dd></div>
        <div><dt>{t.admitted}</dt><dd>{formatInstant(view.admittedAt)}</dd></div>
        <div><dt>{t.expectedDischarge}</dt><dd>{view.expectedDischargeDate ?? t.notSet}</dd></div>
        <div><dt>{t.careContact}</dt><dd>{careContactHidden ? <HiddenValue rule={careContactHidden.rule} /> : view.careContact ? `${view.careContact.name} (${view.careContact.phone})` : t.none}</dd></div>
      </dl>
      <h3 className="sr-only">{t.lanesNow}</h3>
      <ul className="lane-chips" aria-label={t.lanesNow}>
        {view.lanes.map((l) => (
          <li key={l.lane}><span className="lane-chip-party">{partyText(l.party, lang)}{l.lane.includes('.') ? ` (${l.lane.split('.').pop()})` : ''}</span> {labelOf?.(`${l.lane}.${l.state}`) ?? l.label}</li>
        ))}
      </ul>
    </section>
  );
}

/**
 * What the reader sees of the case and why (the server's `access` note): prominent when a rule
 * (I-3) holds information back, a quiet line otherwise.
 */
export function AccessNotice({ view }: { view: GatedCaseView }) {
  const { lang, t } = useLang();
  const access = view.access;
  const note = lang === 'en' ? access.noteEn : access.note;
  const hiddenNames = access.hidden.map((f) => t.fieldNames[f] ?? f);
  if (!access.rule && access.hidden.length === 0 && access.filtered.length === 0) return null;
  return (
    <section className={`card access-notice ${access.rule ? 'restricted' : 'info'}`} aria-labelledby="access-title" role="note">
      <h2 id="access-title">{access.rule ? t.restrictedView(access.rule) : t.accessView}</h2>
      <p className="access-note">{note}</p>
      {hiddenNames.length > 0 && <p className="access-hidden"><strong>{t.hiddenFields}:</strong> {hiddenNames.join(', ')}</p>}
      {access.filtered.length > 0 && <p className="access-filtered muted">{t.filteredNote}</p>}
    </section>
  );
}

/** A refused event (403 FORBIDDEN_PARTY/ROLE, 409 BLOCKED …): the server's Swedish message with its rules and parties. */
export function Refusal({ error }: { error: ApiError }) {
  const { lang, t } = useLang();
  const rules = error.details?.rules ?? [];
  const parties = error.details?.parties ?? [];
  return (
    <div role="alert" className="error refusal">
      <strong>{t.eventRefused}</strong> <span className="muted">({error.status} {error.code})</span>
      <p className="refusal-message">{error.message}</p>
      {(rules.length > 0 || parties.length > 0) && (
        <dl className="facts">
          {rules.length > 0 && <div><dt>{t.rules}</dt><dd>{rules.map((r) => <span key={r} className="rule-id">{r} </span>)}</dd></div>}
          {parties.length > 0 && <div><dt>{t.reportedBy}</dt><dd>{parties.map((p) => partyText(p, lang)).join(', ')}</dd></div>}
        </dl>
      )}
    </div>
  );
}
