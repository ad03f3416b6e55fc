import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { api, ApiError, type PathwaySummary, type Principal, type WorklistItem } from '../api.ts';
import { useLang, partyText, type Dict } from '../i18n.ts';
import { useLiveStatus } from '../live.ts';
import { disableNotifications, enableNotifications, useNotifyState } from '../notify.ts';
import { href, navigate, type WorklistFilters } from '../router.ts';
import { fieldsOf } from '../schemaForm.ts';
import { stockholmLocalToInstant } from '../timeline.ts';
import { refreshWorklists, useNow, useWorklist } from '../useWorklist.ts';
import { absoluteDue, BUCKETS, bucketOf, clockTime, countBuckets, endOfStockholmDay, relativeDue, type Bucket } from '../worklist.ts';
import { Refusal } from './CaseDetails.tsx';
import { EventForm } from './EventForm.tsx';
import { RuleChip } from './RuleChip.tsx';

/** A bell (emoji may be missing from the system's fonts). */
const Bell = ({ off = false }: { off?: boolean }) => (
  <svg className="bell" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
    <path d="M8 1.5a1 1 0 0 1 1 1v.6a4.5 4.5 0 0 1 3.5 4.4v2.8l1.2 1.7a.6.6 0 0 1-.5.9H2.8a.6.6 0 0 1-.5-.9l1.2-1.7V7.5A4.5 4.5 0 0 1 7 3.1v-.6a1 1 0 0 1 1-1ZM6.3 13.9h3.4a1.7 1.7 0 0 1-3.4 0Z" fill="currentColor" />
    {off && <path d="M2 2l12 12" stroke="currentColor" strokeWidth="1.6" />}
  </svg>
);

const STATUS_ICON: Record<Bucket, string> = { overdue: '⚠', today: '◷', upcoming: '○', blocked: '✖' };

export function usePathwayList(): PathwaySummary[] {
  const [list, setList] = useState<PathwaySummary[]>([]);
  useEffect(() => {
    api.pathways().then(setList).catch(() => {});
  }, []);
  return list;
}

/** Rule titles from the catalogue (for the rule chips' tooltips). */
export function useRuleTitles(): Map<string, { title: string; sentence: string }> {
  const [rules, setRules] = useState(new Map<string, { title: string; sentence: string }>());
  useEffect(() => {
    api.rules().then((list) => setRules(new Map(list.map((r) => [r.id, { title: r.title, sentence: r.sentence }])))).catch(() => {});
  }, []);
  return rules;
}

function useEventSchemas(): Map<string, unknown> | null {
  const [types, setTypes] = useState<Map<string, unknown> | null>(null);
  useEffect(() => {
    api.eventTypes().then((list) => setTypes(new Map(list.map((e) => [e.type, e.schema])))).catch(() => setTypes(new Map()));
  }, []);
  return types;
}

/** "Gul" for sth-gul: the pathway's colour, as the routines name them. */
export function PathwayName({ id, pathways }: { id: string; pathways: PathwaySummary[] }) {
  const { lang } = useLang();
  const p = pathways.find((x) => x.id === id);
  if (!p) return <span>{id}</span>;
  const name = p.colour.name.charAt(0).toUpperCase() + p.colour.name.slice(1).toLowerCase();
  return (
    <span className="pathway-name" title={lang === 'en' ? p.labelEn : p.label}>
      <span className="swatch" style={{ background: p.colour.hex }} aria-hidden="true" /> {name}
    </span>
  );
}

const patientOf = (item: WorklistItem, t: Dict) => item.patientName ?? t.patientHidden;

interface RowState {
  open?: boolean;
  sending?: boolean;
  error?: ApiError;
  /** The case version the accepted event produced: the row waits for a list at least that new. */
  sent?: number;
}

function Filters({ filters, pathways, kommuner }: { filters: WorklistFilters; pathways: PathwaySummary[]; kommuner: string[] }) {
  const { lang, t } = useLang();
  const id = useId();
  const go = (next: WorklistFilters) => navigate({ page: 'att-gora', filters: next });
  const dues: [WorklistFilters['due'], string][] = [[undefined, t.wlDueAll], ['today', t.wlDueToday], ['overdue', t.wlDueOverdue]];
  const any = Boolean(filters.pathway || filters.kommun || filters.due);
  return (
    <form className="wl-filters" role="search" aria-label={t.wlFilters} onSubmit={(e) => e.preventDefault()}>
      <div className="wl-filter">
        <label htmlFor={`${id}-pathway`}>{t.pathway}</label>
        <select id={`${id}-pathway`} value={filters.pathway ?? ''} onChange={(e) => go({ ...filters, pathway: e.target.value || undefined })}>
          <option value="">{t.wlAllPathways}</option>
          {pathways.map((p) => <option key={p.id} value={p.id}>{lang === 'en' ? p.labelEn : p.label}</option>)}
        </select>
      </div>
      <div className="wl-filter">
        <label htmlFor={`${id}-kommun`}>{t.kommun}</label>
        <select id={`${id}-kommun`} value={filters.kommun ?? ''} onChange={(e) => go({ ...filters, kommun: e.target.value || undefined })}>
          <option value="">{t.wlAllKommuner}</option>
          {kommuner.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </div>
      <fieldset className="wl-filter wl-due">
        <legend>{t.wlDue}</legend>
        <div className="segmented">
          {dues.map(([due, label]) => (
            <button key={label} type="button" aria-pressed={filters.due === due} onClick={() => go({ ...filters, due })}>{label}</button>
          ))}
        </div>
      </fieldset>
      {any && <button type="button" className="secondary wl-clear" onClick={() => go({})}>{t.wlClear}</button>}
    </form>
  );
}

function NotifyControl() {
  const { t } = useLang();
  const state = useNotifyState();
  if (state === 'unsupported') return null;
  if (state === 'denied') return <span className="wl-notify muted"><Bell off /> {t.wlNotifyDenied}</span>;
  if (state === 'on') {
    return (
      <span className="wl-notify">
        <span className="wl-notify-on"><Bell /> {t.wlNotifyOn}</span>
        <button type="button" className="secondary small" onClick={disableNotifications}>{t.wlNotifyOff}</button>
      </span>
    );
  }
  return (
    <button type="button" className="secondary small wl-notify" title={t.wlNotifyAskHint} onClick={() => void enableNotifications()}>
      <Bell /> {t.wlNotifyAsk}
    </button>
  );
}

function DueCell({ item, now }: { item: WorklistItem; now: number }) {
  const { lang, t } = useLang();
  if (!item.due) return <span className="muted">{t.wlNoDue}</span>;
  const rel = relativeDue(item.due, now, lang);
  return (
    <>
      <span className={`wl-rel ${rel.late ? 'late' : ''}`}>{rel.text}</span>
      <time className="wl-abs" dateTime={item.due}>{absoluteDue(item.due, now, lang, { today: t.wlToday, tomorrow: t.wlTomorrow, yesterday: t.wlYesterday })}</time>
    </>
  );
}

function Row({ item, bucket, now, pathways, rules, state, schemas, onAct, onSubmit, onCancel }: {
  item: WorklistItem; bucket: Bucket; now: number; pathways: PathwaySummary[]; rules: Map<string, { title: string; sentence: string }>;
  state: RowState; schemas: Map<string, unknown> | null;
  onAct(item: WorklistItem): void; onSubmit(item: WorklistItem, event: Record<string, unknown>): void; onCancel(item: WorklistItem): void;
}) {
  const { lang, t } = useLang();
  const label = lang === 'en' ? item.labelEn : item.label;
  const done = state.sent !== undefined && item.caseVersion < state.sent;
  const action = item.action;
  const actionLabel = action ? (lang === 'en' ? action.labelEn : action.label) : '';
  const extraReasons = (item.reasons ?? []).filter((r) => r !== item.label);
  const schema = action ? schemas?.get(action.event) : undefined;
  const needsInput = action !== null && schema !== undefined && fieldsOf(schema).some((f) => f.required && action.match?.[f.name] === undefined);
  const patient = patientOf(item, t);
  const caseHref = href({ page: 'arende', id: item.caseId, query: null });
  return (
    <>
      <tr className={`wl-row wl-${bucket}${done ? ' wl-done' : ''}${state.open ? ' wl-open' : ''}`} data-case={item.caseId}>
        <td className="wl-status-cell">
          <span className={`wl-status wl-status-${bucket}`}><span aria-hidden="true">{STATUS_ICON[bucket]}</span> {t.wlStatus[bucket]}</span>
        </td>
        <td className="wl-what">
          <strong className="wl-label">{label}</strong>
          {extraReasons.length > 0 && <ul className="wl-reasons">{extraReasons.map((r) => <li key={r}>{r}</li>)}</ul>}
          {item.holds.length > 0 && <div className="wl-holds"><span className="wl-holds-label">{t.wlHolds}:</span> {item.holds.join(', ')}</div>}
        </td>
        <td className="wl-rule"><RuleChip id={item.rule} title={rules.get(item.rule)?.title ?? item.rule} sentence={item.sentence || rules.get(item.rule)?.sentence} /></td>
        <td className="wl-patient">
          <a href={caseHref} className={item.patientName ? 'wl-patient-link' : 'wl-patient-link hidden-name'} title={t.openCase}>
            {patient}<span className="sr-only"> – {t.openCase}</span>
          </a>
        </td>
        <td className="wl-case">
          <PathwayName id={item.pathway} pathways={pathways} />
          <span className="wl-kommun">{item.kommun}</span>
        </td>
        <td className="wl-due">{bucket === 'blocked' ? <span className="muted" title={t.wlNoDue}><span aria-hidden="true">–</span><span className="sr-only">{t.wlNoDue}</span></span> : <DueCell item={item} now={now} />}</td>
        <td className="wl-action">
          {done ? (
            <span className="wl-sent" role="status">✓ {t.wlSentWaiting}</span>
          ) : action ? (
            <button type="button" className="wl-act" aria-expanded={needsInput ? Boolean(state.open) : undefined}
              disabled={state.sending || schemas === null} aria-busy={state.sending || undefined} onClick={() => onAct(item)}>
              {state.sending ? t.wlSending : actionLabel}
            </button>
          ) : (
            <a href={caseHref} className="wl-no-action" title={t.wlNoAction}>{t.wlOpenCaseShort} <span aria-hidden="true">→</span></a>
          )}
        </td>
      </tr>
      {(state.open || state.error) && !done && (
        <tr className={`wl-detail-row wl-${bucket}`} data-item={item.id}>
          <td colSpan={7}>
            {state.error && <Refusal error={state.error} />}
            {state.open && action && schema !== undefined && (
              <EventForm
                type={action.event}
                title={`${actionLabel} – ${patient}`}
                schema={schema}
                {...(action.match ? { match: action.match } : {})}
                localToInstant={stockholmLocalToInstant}
                onCancel={() => onCancel(item)}
                onSubmit={(event) => onSubmit(item, event)}
              />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** #/att-gora: what the signed-in unit owes now, live, with the move that meets each row. */
export function WorklistPage({ user, filters }: { user: Principal; filters: WorklistFilters }) {
  const { lang, t } = useLang();
  const staff = user.roles.includes('staff');
  const list = useWorklist(staff ? user.id : null, filters);
  const all = useWorklist(staff ? user.id : null, {});
  const tick = useNow();
  const now = Math.max(tick, list.at ?? 0);
  const pathways = usePathwayList();
  const rules = useRuleTitles();
  const schemas = useEventSchemas();
  const status = useLiveStatus();
  const [rows, setRows] = useState<Record<string, RowState>>({});
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const announceRef = useRef<HTMLParagraphElement>(null);
  /** The row whose form was just opened: its first field takes the focus. */
  const focusForm = useRef<string | null>(null);

  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const byId = useRef(new Map<string, WorklistItem>());
  byId.current = new Map(items.map((i) => [i.id, i]));

  // An opened form comes into view with its first field focused.
  useEffect(() => {
    const id = focusForm.current;
    if (!id) return;
    focusForm.current = null;
    const form = [...document.querySelectorAll<HTMLElement>('.wl-detail-row')].find((el) => el.dataset.item === id)?.querySelector('form');
    form?.scrollIntoView({ block: 'nearest' });
    form?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), button[type="submit"]')?.focus();
  }, [rows]);

  const setRow = (id: string, next: RowState | null) => setRows((old) => {
    const copy = { ...old };
    if (next) copy[id] = next;
    else delete copy[id];
    return copy;
  });

  const send = async (item: WorklistItem, event: Record<string, unknown>) => {
    const current = byId.current.get(item.id) ?? item;
    setRow(item.id, { ...rows[item.id], sending: true, error: undefined });
    setAnnouncement(null);
    try {
      const view = await api.sendEvent(item.caseId, event, current.caseVersion);
      setRow(item.id, { sent: view.version });
      const label = lang === 'en' ? item.action?.labelEn ?? item.labelEn : item.action?.label ?? item.label;
      setAnnouncement(t.wlSent(label, patientOf(item, t)));
      requestAnimationFrame(() => announceRef.current?.focus());
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
      setRows((old) => ({ ...old, [item.id]: { ...old[item.id], sending: false, error: error.code === 'VERSION_CONFLICT' ? new ApiError(error.status, error.code, t.wlConflict, error.details) : error } }));
    } finally {
      refreshWorklists();
    }
  };

  const act = (item: WorklistItem) => {
    const action = item.action;
    if (!action || !schemas) return;
    const state = rows[item.id] ?? {};
    if (state.open) {
      setRow(item.id, { ...state, open: false, error: undefined });
      return;
    }
    const schema = schemas.get(action.event);
    const needsInput = fieldsOf(schema).some((f) => f.required && action.match?.[f.name] === undefined);
    if (needsInput) {
      focusForm.current = item.id;
      setRow(item.id, { open: true });
    }
    else void send(item, { type: action.event, ...action.match });
  };

  if (!staff) {
    return (
      <div className="page worklist-page">
        <h1>{t.wlTitle}</h1>
        <p role="alert" className="error">{t.wlOnlyStaff}</p>
      </div>
    );
  }

  const region = user.unit.region;
  const regionPathways = pathways.filter((p) => p.region === region);
  const kommuner = [...new Set([...user.unit.kommuner, ...(all.data?.items.map((i) => i.kommun) ?? []), ...(filters.kommun ? [filters.kommun] : [])])].sort((a, b) => a.localeCompare(b, 'sv'));
  const scope = (all.data?.items ?? []).filter((i) => (!filters.pathway || i.pathway === filters.pathway) && (!filters.kommun || i.kommun === filters.kommun));
  const counts = countBuckets(scope, now);
  const end = endOfStockholmDay(now);
  const groups = BUCKETS.map((b) => ({ bucket: b, items: items.filter((i) => bucketOf(i, now, end) === b) })).filter((g) => g.items.length > 0);
  const filtered = Boolean(filters.pathway || filters.kommun || filters.due);
  const unit = list.data?.unit ?? { name: user.unit.name, party: user.unit.party };
  const summary: [Bucket, string, WorklistFilters['due'] | null][] = [
    ['overdue', t.wlSummaryOverdue(counts.overdue), 'overdue'],
    ['today', t.wlSummaryToday(counts.today), 'today'],
    ['upcoming', t.wlSummaryUpcoming(counts.upcoming), null],
    ['blocked', t.wlSummaryBlocked(counts.blocked), null],
  ];

  return (
    <div className="page worklist-page">
      <div className="wl-heading">
        <div>
          <h1>{t.wlTitle}</h1>
          <p className="wl-unit">{unit.name}{unit.party ? ` · ${partyText(unit.party, lang)}` : ''}</p>
        </div>
        <ul className="wl-summary" aria-label={t.wlSummaryLabel}>
          {summary.map(([bucket, text]) => (
            <li key={bucket} className={`wl-summary-item wl-status-${bucket} ${counts[bucket] === 0 ? 'zero' : ''}`}>
              <span aria-hidden="true">{STATUS_ICON[bucket]}</span> {text}
            </li>
          ))}
        </ul>
        <div className="wl-meta">
          <span className="wl-live" aria-live="polite">
            <span className={`live-dot ${status}`} aria-hidden="true" />
            {status === 'open' ? t.live : t.liveOff}
            {list.at && <span className="muted"> · {t.wlUpdated(clockTime(list.at))}</span>}
          </span>
          <NotifyControl />
        </div>
      </div>
      <p className="muted wl-intro">{t.wlIntro}</p>
      <Filters filters={filters} pathways={regionPathways} kommuner={kommuner} />
      <p ref={announceRef} tabIndex={-1} role="status" className={announcement ? 'notice wl-announcement' : 'sr-only'}>{announcement ? `✓ ${announcement}` : ''}</p>
      {list.error && <p role="alert" className="error">{t.loadError}: {list.error.message} <button type="button" className="secondary small" onClick={list.refresh}>{t.retry}</button></p>}
      {!list.data && !list.error && <p className="loading">{t.loading}</p>}
      {list.data && items.length === 0 && <p className="card wl-empty">{filtered ? t.wlEmptyFiltered : `✓ ${t.wlEmpty}`}</p>}
      {list.data && items.length > 0 && (
        <section className="card wl-table" aria-labelledby="wl-table-title">
          <h2 id="wl-table-title" className="sr-only">{t.wlTitle}: {t.wlShowing(items.length, items.length)}</h2>
          <table>
            <colgroup>
              <col className="c-status" /><col className="c-what" /><col className="c-rule" /><col className="c-patient" /><col className="c-case" /><col className="c-due" /><col className="c-action" />
            </colgroup>
            <thead>
              <tr>
                {[t.wlColStatus, t.wlColWhat, t.wlColRule, t.wlColPatient, t.wlColCase, t.wlColDue, t.wlColAction].map((c) => <th key={c} scope="col">{c}</th>)}
              </tr>
            </thead>
            {groups.map(({ bucket, items: group }) => (
              <tbody key={bucket} className={`wl-group wl-group-${bucket}`}>
                <tr className="wl-group-head">
                  <th scope="rowgroup" colSpan={7}>
                    <span aria-hidden="true">{STATUS_ICON[bucket]}</span> {t.wlGroups[bucket]} <span className="wl-group-count">{group.length}</span>
                  </th>
                </tr>
                {group.map((item) => (
                  <Row key={item.id} item={item} bucket={bucket} now={now} pathways={pathways} rules={rules} state={rows[item.id] ?? {}} schemas={schemas}
                    onAct={act} onSubmit={(i, event) => void send(i, event)} onCancel={(i) => setRow(i.id, null)} />
                ))}
              </tbody>
            ))}
          </table>
        </section>
      )}
    </div>
  );
}
