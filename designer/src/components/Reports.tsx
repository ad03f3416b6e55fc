/**
 * #/rapporter: the process owners' follow-up (issue 7) — payment liability per kommun with the
 * cases behind it, and compliance with the time limits per unit, party, rule and month. The filters
 * live in the address; every table downloads as CSV with the same filters; each request shows
 * that it is running (large regions take a while) and its errors in the page's language.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import '../reports.css';
import { api, ApiError, getFile, getJson, type PathwaySummary, type Principal } from '../api.ts';
import { useReportTexts, type ReportDict } from '../i18n-reports.ts';
import { partyText, roleText, useLang } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import {
  complianceByMonth, formatDate, formatDays, formatLateness, formatList, formatMonth, formatNumber, formatPeriod, formatShare, isDate, monthsOf, overallShare,
  parseReportFilters, PRESETS, reportFilterParams, reportQuery, resolvePeriod, sortCases, sumDistribution, topLiable,
  type ComplianceReport, type LiabilityCases, type LiabilityReport, type LiabilityRow, type Preset, type ReportFilters,
} from '../reports.ts';
import { stockholmDate } from '../worklist.ts';
import { DistributionChart, MonthlyChart, RuleShareChart, shareClass } from './ReportCharts.tsx';
import { RuleChip } from './RuleChip.tsx';
import { useRuleTitles } from './Worklist.tsx';
import { saveBlob } from '../download.ts';

/** The parties that owe time limits in the compliance report. */
const OWING_PARTIES = ['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst'];
/** Compliance rows shown before "Visa alla". */
const ROWS_SHOWN = 60;

const go = (filters: ReportFilters) => navigate({ page: 'rapporter', filters: reportFilterParams(filters) });

interface Fetched<T> {
  data: T | null;
  /** The path `data` answers (it stays on screen, dimmed, while the next one loads). */
  dataPath: string | null;
  error: unknown;
  loading: boolean;
  startedAt: number;
  retry(): void;
}

/** One report request per path: the previous answer stays until the next arrives; a change of path aborts the old request. */
function useReport<T>(path: string | null): Fetched<T> {
  const [state, setState] = useState<{ data: T | null; dataPath: string | null; error: unknown; loading: boolean; startedAt: number }>({ data: null, dataPath: null, error: null, loading: false, startedAt: 0 });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!path) {
      setState({ data: null, dataPath: null, error: null, loading: false, startedAt: 0 });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, error: null, loading: true, startedAt: Date.now() }));
    getJson<T>(path, controller.signal)
      .then((data) => setState({ data, dataPath: path, error: null, loading: false, startedAt: 0 }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, error, loading: false }));
      });
    return () => controller.abort();
  }, [path, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}

/** An error in words: the server's own message (Swedish) with its status, or that the server did not answer. */
function errorText(error: unknown, r: ReportDict): string {
  if (error instanceof ApiError) return `${error.message} (${error.status}${error.code && error.code !== 'HTTP' ? ` ${error.code}` : ''})`;
  if (error instanceof TypeError) return r.network;
  return error instanceof Error ? error.message : String(error);
}

/** A running request: an indeterminate bar and the seconds it has taken so far. */
function Progress({ label, startedAt }: { label: string; startedAt: number }) {
  const r = useReportTexts();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now - startedAt) / 1000));
  return (
    <div className="rep-progress" role="status" aria-live="polite">
      <div className="rep-progress-track" role="progressbar" aria-label={label} aria-valuetext={label}><div className="rep-progress-bar" /></div>
      <span className="rep-progress-text">{label}{seconds >= 2 && <> · {r.elapsed(seconds)}</>}{seconds >= 5 && <span className="muted"> · {r.loadingLong}</span>}</span>
    </div>
  );
}

function Failure({ what, error, retry }: { what: string; error: unknown; retry(): void }) {
  const r = useReportTexts();
  return (
    <div role="alert" className="error rep-error">
      <strong>{r.failed(what)}.</strong> {errorText(error, r)}{' '}
      <button type="button" className="secondary small" onClick={retry}>{r.retry}</button>
    </div>
  );
}

/** The state of one report in a section: progress while it runs, the error with a retry, then the content. */
function Loaded<T>({ fetched, what, path, children }: { fetched: Fetched<T>; what: string; path: string | null; children: (data: T) => ReactNode }) {
  const r = useReportTexts();
  const stale = fetched.dataPath !== path;
  return (
    <>
      {fetched.loading && <Progress label={r.computing(what)} startedAt={fetched.startedAt} />}
      {fetched.error !== null && !fetched.loading && <Failure what={what} error={fetched.error} retry={fetched.retry} />}
      {/* An answer for other filters stays, dimmed, while the new one loads; not beside an error. */}
      {fetched.data !== null && !(stale && fetched.error !== null && !fetched.loading) && (
        <div className={stale ? 'rep-stale' : undefined} aria-busy={fetched.loading}>
          {children(fetched.data)}
        </div>
      )}
    </>
  );
}


/** "Exportera CSV": the same report and filters as `format=csv`, fetched with the user's token and saved from a Blob. */
function CsvButton({ path, what, name }: { path: string; what: string; name: string }) {
  const r = useReportTexts();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, name: file } = await getFile(`${path}${path.includes('?') ? '&' : '?'}format=csv`, `${name}.csv`);
      saveBlob(blob, file);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="rep-export">
      <button type="button" className="secondary small" onClick={() => void run()} disabled={busy} aria-label={r.exportOf(what)} title={r.exportOf(what)}>
        <span aria-hidden="true">⤓ </span>{busy ? r.exporting : r.exportCsv}
      </button>
      {error !== null && <span role="alert" className="error rep-export-error">{r.exportFailed}: {errorText(error, r)}</span>}
    </span>
  );
}

function FilterBar({ filters, period, pathways, kommuner }: { filters: ReportFilters; period: ReturnType<typeof resolvePeriod>; pathways: PathwaySummary[]; kommuner: string[] }) {
  const { lang } = useLang();
  const r = useReportTexts();
  const id = useId();
  const custom = period.preset === null || period.invalid !== null;
  const [choice, setChoice] = useState<Preset | 'custom'>(custom ? 'custom' : period.preset!);
  const [from, setFrom] = useState(filters.from ?? period.from);
  const [to, setTo] = useState(filters.to ?? period.to);
  useEffect(() => {
    setChoice(period.preset === null || period.invalid !== null ? 'custom' : period.preset);
    setFrom(filters.from ?? period.from);
    setTo(filters.to ?? period.to);
  }, [filters.from, filters.to, period.from, period.to, period.preset, period.invalid]);
  const rest: ReportFilters = { ...filters, from: undefined, to: undefined, period: undefined };
  const choose = (value: Preset | 'custom') => {
    setChoice(value);
    if (value !== 'custom') go({ ...rest, period: value });
  };
  const submitCustom = (e: FormEvent) => {
    e.preventDefault();
    if (isDate(from) && isDate(to)) go({ ...rest, from, to });
  };
  const any = Boolean(filters.period || filters.from || filters.to || filters.pathway || filters.kommun || filters.party);
  return (
    <form className="rep-filters" role="search" aria-label={r.filters} onSubmit={submitCustom}>
      <div className="rep-filter">
        <label htmlFor={`${id}-period`}>{r.period}</label>
        <select id={`${id}-period`} value={choice} onChange={(e) => choose(e.target.value as Preset | 'custom')}>
          {PRESETS.map((p) => <option key={p} value={p}>{r.presets[p]}</option>)}
          <option value="custom">{r.custom}</option>
        </select>
      </div>
      {choice === 'custom' && (
        <>
          <div className="rep-filter">
            <label htmlFor={`${id}-from`}>{r.from}</label>
            <input id={`${id}-from`} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} required />
          </div>
          <div className="rep-filter">
            <label htmlFor={`${id}-to`}>{r.to}</label>
            <input id={`${id}-to`} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required />
          </div>
          <button type="submit" className="rep-apply">{r.showPeriod}</button>
        </>
      )}
      <div className="rep-filter">
        <label htmlFor={`${id}-pathway`}>{r.pathway}</label>
        <select id={`${id}-pathway`} value={filters.pathway ?? ''} onChange={(e) => go({ ...filters, pathway: e.target.value || undefined })}>
          <option value="">{r.allPathways}</option>
          {pathways.map((p) => <option key={p.id} value={p.id}>{lang === 'en' ? p.labelEn : p.label}</option>)}
        </select>
      </div>
      <div className="rep-filter">
        <label htmlFor={`${id}-kommun`}>{r.kommun}</label>
        <select id={`${id}-kommun`} value={filters.kommun ?? ''} onChange={(e) => go({ ...filters, kommun: e.target.value || undefined, cases: e.target.value || filters.cases })}>
          <option value="">{r.allKommuner}</option>
          {kommuner.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </div>
      <div className="rep-filter">
        <label htmlFor={`${id}-party`}>{r.party}</label>
        <select id={`${id}-party`} value={filters.party ?? ''} onChange={(e) => go({ ...filters, party: e.target.value || undefined })}>
          <option value="">{r.allParties}</option>
          {OWING_PARTIES.map((p) => <option key={p} value={p}>{partyText(p, lang)}</option>)}
        </select>
      </div>
      {any && <button type="button" className="secondary rep-reset" onClick={() => go({})}>{r.reset}</button>}
    </form>
  );
}

function Headline({ liability, compliance, periodText, openCases }: {
  liability: LiabilityReport | null; compliance: ComplianceReport | null; periodText: string; openCases(kommun: string): void;
}) {
  const { lang } = useLang();
  const r = useReportTexts();
  const tops = liability ? topLiable(liability.rows) : [];
  const top = tops[0] ?? null;
  const overall = compliance ? overallShare(compliance.byRule) : null;
  const kommuner = liability?.rows.length ?? 0;
  return (
    <section className="rep-headline" aria-labelledby="rep-headline-title" aria-describedby="rep-headline-period">
      <div className="rep-headline-main">
        <p id="rep-headline-period" className="rep-headline-period">{periodText}</p>
        {!liability && <h2 id="rep-headline-title" className="rep-headline-title muted">{r.headlineLabel}</h2>}
        {liability && top && tops.length === 1 && (
          <>
            <h2 id="rep-headline-title" className="rep-headline-title">{r.topKommun(top.kommun, top.liableDays)}</h2>
            <p className="rep-headline-detail">{r.topDetail(top.cases, formatDays(top.averageDays, lang), formatNumber(top.thresholdDays, lang), top.applicableCases)}</p>
          </>
        )}
        {liability && top && tops.length > 1 && (
          <>
            <h2 id="rep-headline-title" className="rep-headline-title">{r.topTie(formatList(tops.map((t) => t.kommun), lang), top.liableDays)}</h2>
            <p className="rep-headline-detail">
              {tops.map((t) => r.tieDetail(t.kommun, t.cases, formatDays(t.averageDays, lang))).join('; ')}; {r.tieThreshold(formatNumber(top.thresholdDays, lang))}.
            </p>
          </>
        )}
        {liability && top && (
          <div className="rep-headline-actions">
            {tops.slice(0, 3).map((t) => (
              <button key={t.kommun} type="button" className="rep-headline-action" onClick={() => openCases(t.kommun)}>{r.showCasesOf(t.kommun)} →</button>
            ))}
          </div>
        )}
        {liability && !top && kommuner > 0 && (
          <>
            <h2 id="rep-headline-title" className="rep-headline-title">{r.noLiable}</h2>
            <p className="rep-headline-detail">{r.noLiableDetail(liability.totals.cases, kommuner)}</p>
          </>
        )}
        {liability && kommuner === 0 && (
          <>
            <h2 id="rep-headline-title" className="rep-headline-title">{r.noDischarges}</h2>
            <p className="rep-headline-detail">{r.noDischargesDetail}</p>
          </>
        )}
      </div>
      <dl className="rep-kpis">
        <div className="rep-kpi">
          <dt>{r.kpiLiableDays}</dt>
          <dd>{liability ? liability.totals.liableDays : '…'}</dd>
        </div>
        <div className="rep-kpi">
          <dt>{r.kpiLiableKommuner}</dt>
          <dd>{liability ? r.kpiOf(liability.totals.liableKommuner, kommuner) : '…'}</dd>
        </div>
        <div className="rep-kpi">
          <dt>{r.kpiCases}</dt>
          <dd>{liability ? liability.totals.cases : '…'}</dd>
        </div>
        <div className="rep-kpi">
          <dt>{r.kpiCompliance}</dt>
          <dd>{overall ? <>{formatShare(overall.share, lang)} <span className="rep-kpi-sub">{r.kpiComplianceOf(overall.inTime, overall.total)}</span></> : '…'}</dd>
        </div>
      </dl>
    </section>
  );
}

function AverageCell({ row }: { row: LiabilityRow }) {
  const { lang } = useLang();
  const r = useReportTexts();
  const over = row.averageDays > row.thresholdDays;
  const equal = row.averageDays === row.thresholdDays;
  const mark = over ? r.over : equal ? r.at : r.under;
  const avg = formatDays(row.averageDays, lang);
  const threshold = formatNumber(row.thresholdDays, lang);
  // A small gauge: the average against the threshold on a scale of twice the threshold.
  const scale = Math.max(row.thresholdDays * 2, row.averageDays);
  return (
    <div className="rep-average" aria-label={r.averageVs(avg, mark, threshold)}>
      <span className="rep-average-value" aria-hidden="true">{avg}</span>
      <span className={`rep-marker ${over ? 'over' : 'under'}`} aria-hidden="true">{over ? '▲' : '▼'} {mark} {threshold}</span>
      <span className="rep-gauge" aria-hidden="true">
        <span className={`rep-gauge-fill ${over ? 'over' : ''}`} style={{ width: `${Math.min(100, (row.averageDays / scale) * 100)}%` }} />
        <span className="rep-gauge-threshold" style={{ left: `${(row.thresholdDays / scale) * 100}%` }} />
      </span>
    </div>
  );
}

function LiabilityTable({ report, open, toggle }: { report: LiabilityReport; open: string | null; toggle(kommun: string): void }) {
  const r = useReportTexts();
  if (report.rows.length === 0) return <p className="rep-empty">{r.noRows}</p>;
  return (
    <div className="table-scroll">
      <table className="rep-table rep-liability-table">
        <caption className="sr-only">{r.liabilityTable}</caption>
        <thead>
          <tr>
            <th scope="col">{r.colKommun}</th>
            <th scope="col" className="num">{r.colCases}</th>
            <th scope="col">{r.colAverage}</th>
            <th scope="col">{r.colLiable}</th>
            <th scope="col" className="num">{r.colLiableDays}</th>
            <th scope="col" className="num">{r.colChargeable}</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => {
            const isOpen = open === row.kommun;
            return (
              <tr key={row.kommun} className={`${row.liable ? 'rep-liable' : ''} ${isOpen ? 'rep-open' : ''}`}>
                <th scope="row">
                  <button type="button" className="rep-kommun" aria-expanded={isOpen} aria-controls="rep-cases" title={isOpen ? r.closeCasesOf(row.kommun) : r.openCasesOf(row.kommun)} onClick={() => toggle(row.kommun)}>
                    <span aria-hidden="true" className="rep-chevron">{isOpen ? '▾' : '▸'}</span> {row.kommun}
                  </button>
                </th>
                <td className="num">{row.cases}</td>
                <td><AverageCell row={row} /></td>
                <td>{row.liable ? <span className="rep-badge yes">{r.yes}</span> : <span className="rep-badge no">{r.no}</span>}</td>
                <td className="num">
                  {row.liableDays > 0
                    ? <button type="button" className="link-button rep-days" aria-label={`${row.liableDays} ${r.colLiableDays.toLowerCase()} – ${r.openCasesOf(row.kommun)}`} onClick={() => toggle(row.kommun)}>{row.liableDays}</button>
                    : <span className="muted">0</span>}
                </td>
                <td className="num">{row.chargeableDays}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{r.total} <span className="muted rep-foot-note">({r.totalKommuner(report.rows.length)})</span></th>
            <td className="num">{report.totals.cases}</td>
            <td />
            <td>{r.liableOf(report.totals.liableKommuner)}</td>
            <td className="num">{report.totals.liableDays}</td>
            <td className="num">{report.totals.chargeableDays}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function CasesTable({ data, pathways, rules }: { data: LiabilityCases; pathways: Map<string, PathwaySummary>; rules: Map<string, { title: string; sentence: string }> }) {
  const { lang } = useLang();
  const r = useReportTexts();
  const items = sortCases(data.items);
  if (items.length === 0) return <p className="rep-empty">{r.noCases}</p>;
  const chargeable = items.reduce((n, i) => n + (i.applies ? i.chargeableDays : 0), 0);
  return (
    <>
      <p className="rep-cases-summary">{r.casesSummary(items.length, chargeable)}</p>
      <div className="table-scroll">
        <table className="rep-table rep-cases-table">
          <thead>
            <tr>
              <th scope="col">{r.colCase}</th>
              <th scope="col">{r.colPathway}</th>
              <th scope="col">{r.colDayZero}</th>
              <th scope="col">{r.colDischarged}</th>
              <th scope="col" className="num">{r.colDays}</th>
              <th scope="col">{r.colApplies}</th>
              <th scope="col" className="num">{r.colChargeable}</th>
              <th scope="col">{r.colRules}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const p = pathways.get(item.pathway);
              return (
                <tr key={item.caseId} className={item.applies && item.chargeableDays > 0 ? 'rep-chargeable' : undefined}>
                  <th scope="row"><a className="case-id" href={href({ page: 'arende', id: item.caseId, query: null })} title={r.openCase(item.caseId)}>{item.caseId.slice(0, 8)}</a></th>
                  <td>{p ? <><span className="swatch" style={{ background: p.colour.hex }} aria-hidden="true" /> {lang === 'en' ? p.labelEn : p.label}</> : item.pathway}</td>
                  <td>{formatDate(item.dayZero, lang)}</td>
                  <td>{formatDate(item.dischargedOn, lang)}</td>
                  <td className="num">{item.readyDays}</td>
                  <td>{item.applies ? <span className="rep-badge yes">{r.yes}</span> : <span className="rep-badge no">{r.no}</span>}</td>
                  <td className="num">{item.applies && item.chargeableDays > 0 ? <strong>{item.chargeableDays}</strong> : item.chargeableDays}</td>
                  <td className="rep-rules">
                    {item.rules.length === 0 ? <span className="muted">–</span> : item.rules.map((rule) => {
                      const info = rules.get(rule);
                      return <RuleChip key={rule} id={rule} title={info?.title ?? rule} {...(info?.sentence ? { sentence: info.sentence } : {})} />;
                    })}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ComplianceTable({ rows, rules }: { rows: ComplianceReport['rows']; rules: Map<string, { title: string; sentence: string }> }) {
  const { lang } = useLang();
  const r = useReportTexts();
  const [all, setAll] = useState(false);
  if (rows.length === 0) return <p className="rep-empty">{r.noCompliance}</p>;
  const shown = all ? rows : rows.slice(0, ROWS_SHOWN);
  return (
    <>
      <div className="table-scroll">
        <table className="rep-table rep-compliance-table">
          <caption className="sr-only">{r.complianceTable}</caption>
          <thead>
            <tr>
              <th scope="col">{r.colMonth}</th>
              <th scope="col">{r.colUnit}</th>
              <th scope="col">{r.colParty}</th>
              <th scope="col">{r.colRule}</th>
              <th scope="col" className="num">{r.colTotal}</th>
              <th scope="col" className="num">{r.colInTime}</th>
              <th scope="col" className="num">{r.colLate}</th>
              <th scope="col">{r.colShare}</th>
              <th scope="col" className="num">{r.colMedianLate}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const info = rules.get(row.rule);
              return (
                <tr key={`${row.month} ${row.rule} ${row.party} ${row.unit}`}>
                  <td className="nowrap">{formatMonth(row.month, lang)}</td>
                  {/* The party has its own column: a kommun's unit is named by its kommun. */}
                  <td>{row.party === 'slutenvard' ? row.unitLabel : row.unit}</td>
                  <td>{partyText(row.party, lang)}</td>
                  <td><RuleChip id={row.rule} title={info?.title ?? row.rule} {...(info?.sentence ? { sentence: info.sentence } : {})} /></td>
                  <td className="num">{row.total}</td>
                  <td className="num">{row.inTime}</td>
                  <td className="num">{row.late}</td>
                  <td>
                    <span className="rep-share">
                      <span className="rep-share-value">{formatShare(row.share, lang)}</span>
                      <span className="rep-share-track" aria-hidden="true"><span className={`rep-share-fill ${shareClass(row.share)}`} style={{ width: `${row.share * 100}%` }} /></span>
                    </span>
                  </td>
                  <td className="num nowrap">{formatLateness(row.medianLateMinutes, lang)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length > ROWS_SHOWN && (
        <p className="rep-more">
          <span className="muted">{r.showingRows(shown.length, rows.length)}</span>{' '}
          {!all && <button type="button" className="secondary small" onClick={() => setAll(true)}>{r.showAllRows(rows.length)}</button>}
        </p>
      )}
    </>
  );
}

/** #/rapporter: payment liability and compliance for the region's process owners. */
export function ReportsPage({ user, params }: { user: Principal; params: Record<string, string> }) {
  const { lang, t } = useLang();
  const r = useReportTexts();
  const owner = user.roles.includes('process_owner');
  const filters = useMemo(() => parseReportFilters(params), [params]);
  // Presets are read against the Stockholm date the page was opened on.
  const [today] = useState(() => stockholmDate(Date.now()));
  const period = resolvePeriod(filters, today);
  const rules = useRuleTitles();
  const [pathways, setPathways] = useState<PathwaySummary[]>([]);
  const [kommuner, setKommuner] = useState<string[]>([]);
  const casesRef = useRef<HTMLHeadingElement>(null);
  const focusCases = useRef(false);

  useEffect(() => {
    if (owner) api.pathways().then(setPathways).catch(() => {});
  }, [owner]);

  const base = reportQuery(period, filters);
  const liabilityPath = owner ? `/api/reports/liability?${base}` : null;
  const compliancePath = owner ? `/api/reports/compliance?${reportQuery(period, filters, { party: filters.party })}` : null;
  const casesPath = owner && filters.cases ? `/api/reports/liability/cases?${reportQuery(period, { ...filters, kommun: filters.cases })}` : null;
  const liability = useReport<LiabilityReport>(liabilityPath);
  const compliance = useReport<ComplianceReport>(compliancePath);
  const cases = useReport<LiabilityCases>(casesPath);

  // The kommun filter offers every kommun seen in an answer this visit (a filtered answer names only its own).
  useEffect(() => {
    const seen = [
      ...(liability.data?.rows.map((row) => row.kommun) ?? []),
      ...(compliance.data?.rows.filter((row) => row.party !== 'slutenvard').map((row) => row.unit) ?? []),
    ];
    if (seen.length) setKommuner((known) => [...new Set([...known, ...seen])].sort((a, b) => a.localeCompare(b, 'sv')));
  }, [liability.data, compliance.data]);

  useEffect(() => {
    if (focusCases.current && cases.data && casesRef.current) {
      focusCases.current = false;
      casesRef.current.focus();
      casesRef.current.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }, [cases.data]);

  if (!owner) {
    return (
      <div className="page reports-page">
        <h1>{r.title}</h1>
        <p role="alert" className="error rep-refusal">{r.onlyOwners(user.roles.map((role) => roleText(role, t).toLowerCase()).join(', '))}</p>
      </div>
    );
  }

  const regionPathways = pathways.filter((p) => p.region === user.unit.region);
  const pathwayById = new Map(pathways.map((p) => [p.id, p]));
  const periodText = r.periodOf(period.preset ? r.presets[period.preset] : null, formatPeriod(period.from, period.to, lang));
  const openCases = (kommun: string, toggle = false) => {
    const closing = toggle && filters.cases === kommun;
    focusCases.current = !closing;
    go({ ...filters, cases: closing ? undefined : kommun });
  };
  const selectedRule = filters.rule ?? null;
  const liabilityRows = liability.data?.rows ?? [];
  const drillRow = filters.cases ? liabilityRows.find((row) => row.kommun === filters.cases) ?? null : null;
  const distribution = drillRow ? drillRow.distribution : sumDistribution(liabilityRows);
  const threshold = drillRow ? drillRow.thresholdDays : liabilityRows.length ? Math.min(...liabilityRows.map((row) => row.thresholdDays)) : null;
  const complianceCsv = `/api/reports/compliance?${reportQuery(period, filters, { party: filters.party, rule: selectedRule ?? undefined })}`;

  return (
    <div className="page reports-page">
      <div className="rep-heading">
        <div>
          <h1>{r.title}</h1>
          <p className="rep-unit">{user.unit.name}</p>
        </div>
      </div>
      <p className="muted rep-intro">{r.intro}</p>
      <FilterBar filters={filters} period={period} pathways={regionPathways} kommuner={[...new Set([...kommuner, ...(filters.kommun ? [filters.kommun] : [])])]} />
      {period.invalid && <p role="alert" className="error">{r.badOrder}</p>}

      <Headline liability={liability.dataPath === liabilityPath ? liability.data : null} compliance={compliance.dataPath === compliancePath ? compliance.data : null} periodText={periodText} openCases={(k) => openCases(k)} />

      <section className="card rep-section" aria-labelledby="rep-liability-title">
        <div className="rep-section-head">
          <h2 id="rep-liability-title">{r.liability}</h2>
          {liabilityPath && <CsvButton path={liabilityPath} what={r.liabilityTable} name="betalningsansvar" />}
        </div>
        <p className="muted rep-section-intro">{r.liabilityIntro}</p>
        <Loaded fetched={liability} what={r.liabilityWhat} path={liabilityPath}>
          {(data) => (
            <div className="rep-liability-grid">
              <LiabilityTable report={data} open={filters.cases ?? null} toggle={(k) => openCases(k, true)} />
              {data.rows.length > 0 && (
                <div className="rep-dist">
                  <DistributionChart distribution={distribution} threshold={threshold} kommun={drillRow?.kommun ?? null} />
                  {drillRow && <button type="button" className="link-button" onClick={() => go({ ...filters, cases: undefined })}>{r.distShowAll}</button>}
                </div>
              )}
            </div>
          )}
        </Loaded>
        {filters.cases && casesPath && (
          <section id="rep-cases" className="rep-cases" aria-labelledby="rep-cases-title">
            <div className="rep-section-head">
              <h3 id="rep-cases-title" ref={casesRef} tabIndex={-1}>{r.casesIn(filters.cases)} <span className="rep-cases-period">· {formatPeriod(period.from, period.to, lang)}</span></h3>
              <span className="rep-head-actions">
                <CsvButton path={casesPath} what={r.casesIn(filters.cases)} name="betalningsansvar-arenden" />
                <button type="button" className="secondary small" onClick={() => go({ ...filters, cases: undefined })}>{r.close}</button>
              </span>
            </div>
            <p className="muted rep-section-intro">{r.casesIntro}</p>
            <Loaded fetched={cases} what={r.casesWhat(filters.cases)} path={casesPath}>
              {(data) => <CasesTable data={data} pathways={pathwayById} rules={rules} />}
            </Loaded>
          </section>
        )}
      </section>

      <section className="card rep-section" aria-labelledby="rep-compliance-title">
        <div className="rep-section-head">
          <h2 id="rep-compliance-title">{r.compliance}</h2>
          {compliancePath && <CsvButton path={complianceCsv} what={r.complianceTable} name="foljsamhet" />}
        </div>
        <p className="muted rep-section-intro">{r.complianceIntro}</p>
        <Loaded fetched={compliance} what={r.complianceWhat} path={compliancePath}>
          {(data) => {
            const rows = selectedRule ? data.rows.filter((row) => row.rule === selectedRule) : data.rows;
            return (
              <>
                <div className="rep-compliance-grid">
                  <div>
                    <h3 className="rep-chart-title">{r.byRuleTitle}</h3>
                    <RuleShareChart byRule={data.byRule} titles={rules} selected={selectedRule} />
                  </div>
                  <div>
                    <div className="rep-chart-head">
                      <h3 className="rep-chart-title">{r.overTimeTitle(selectedRule)}</h3>
                    </div>
                    <div className="segmented rep-rules-switch" role="group" aria-label={r.ruleFilter}>
                      {[null, ...data.rules].map((rule) => (
                        <button key={rule ?? 'all'} type="button" aria-pressed={selectedRule === rule} title={rule ? rules.get(rule)?.title : undefined} onClick={() => go({ ...filters, rule: rule ?? undefined })}>
                          {rule ?? r.allRules}
                        </button>
                      ))}
                    </div>
                    <MonthlyChart months={complianceByMonth(data.rows, monthsOf(data.from, data.to), selectedRule)} rule={selectedRule} />
                  </div>
                </div>
                <h3 className="rep-table-title">{r.complianceTable}{selectedRule ? ` – ${selectedRule}` : ''}</h3>
                <ComplianceTable key={`${compliancePath} ${selectedRule}`} rows={rows} rules={rules} />
              </>
            );
          }}
        </Loaded>
      </section>
    </div>
  );
}
