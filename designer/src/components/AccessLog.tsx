import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError, type AccessLogEntry, type AccessLogQuery } from '../api.ts';
import { partyText, roleText, useLang } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import { stockholmDayStart } from '../timeline.ts';
import { saveBlob } from '../download.ts';

const PAGE = 50;
const FILTERS = ['caseId', 'userId', 'unitId', 'action', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Partial<Record<Filter, string>>;
const ACTIONS = ['read', 'list', 'create', 'write', 'stream', 'export', 'denied', 'log-search'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The address's filters as the API's query: dates are whole Stockholm days, "to" included. */
function toQuery(filters: Filters): AccessLogQuery {
  const q: AccessLogQuery = {};
  for (const key of ['caseId', 'userId', 'unitId', 'action'] as const) if (filters[key]?.trim()) q[key] = filters[key].trim();
  if (filters.from && DATE.test(filters.from)) q.from = stockholmDayStart(filters.from);
  if (filters.to && DATE.test(filters.to)) q.to = stockholmDayStart(filters.to, 1);
  return q;
}

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});


function FilterForm({ filters }: { filters: Filters }) {
  const { t } = useLang();
  const id = useId();
  const [draft, setDraft] = useState<Filters>(filters);
  useEffect(() => setDraft(filters), [filters]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A new filter starts on the first page.
    navigate({ page: 'logg', filters: Object.fromEntries(FILTERS.map((k) => [k, draft[k]?.trim() ?? '']).filter(([, v]) => v)) });
  };
  const field = (key: Filter, label: string, type: 'text' | 'date' = 'text') => (
    <div className="form-field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type={type} value={draft[key] ?? ''} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} autoComplete="off" />
    </div>
  );
  return (
    <form className="card log-filters" onSubmit={submit} aria-labelledby={`${id}-title`} role="search">
      <h2 id={`${id}-title`}>{t.logFilters}</h2>
      <div className="form-grid">
        {field('caseId', t.logCaseId)}
        {field('userId', t.logUserId)}
        {field('unitId', t.logUnitId)}
        <div className="form-field">
          <label htmlFor={`${id}-action`}>{t.logAction}</label>
          <select id={`${id}-action`} value={draft.action ?? ''} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
            <option value="">{t.logAnyAction}</option>
            {ACTIONS.map((a) => <option key={a} value={a}>{t.logActions[a] ?? a} ({a})</option>)}
          </select>
        </div>
        {field('from', t.logFrom, 'date')}
        {field('to', t.logTo, 'date')}
      </div>
      <div className="form-actions">
        <button type="submit">{t.logApply}</button>
        <button type="button" className="secondary" onClick={() => navigate({ page: 'logg', filters: {} })}>{t.logClear}</button>
      </div>
    </form>
  );
}

function CaseLinks({ ids }: { ids: string[] }) {
  const shown = ids.slice(0, 3);
  return (
    <>
      {shown.map((id) => <a key={id} className="case-id" href={href({ page: 'arende', id, query: null })} title={id} aria-label={id}>{id.length > 12 ? `${id.slice(0, 8)}…` : id}</a>)}
      {ids.length > shown.length && <span className="muted"> +{ids.length - shown.length}</span>}
    </>
  );
}

function Row({ entry }: { entry: AccessLogEntry }) {
  const { lang, t } = useLang();
  return (
    <tr className={entry.status >= 400 ? 'log-refused' : undefined}>
      <td><time dateTime={entry.at}>{timeFormat.format(Date.parse(entry.at))}</time></td>
      <td>{entry.userName}<div className="muted log-id">{entry.userId}</div></td>
      <td>{entry.unitName}<div className="muted log-id">{entry.party ? partyText(entry.party, lang) : entry.unitId}</div></td>
      <td>{entry.roles.map((r) => roleText(r, t)).join(', ')}</td>
      <td>{t.logActions[entry.action] ?? entry.action}<div className="muted log-id">{entry.action}</div></td>
      <td><code>{entry.route}</code></td>
      <td>{entry.status >= 400 ? <strong className="log-status-refused">{entry.status}</strong> : entry.status}</td>
      <td className="log-cases"><CaseLinks ids={entry.caseIds} /></td>
      <td>{entry.detail ?? ''}</td>
    </tr>
  );
}

function Pager({ offset, count, total, filters }: { offset: number; count: number; total: number; filters: Filters & { offset?: string } }) {
  const { t } = useLang();
  const go = (next: number) => navigate({ page: 'logg', filters: { ...filters, offset: next > 0 ? String(next) : '' } as Record<string, string> });
  return (
    <nav className="log-pager" aria-label={t.logPages}>
      <span aria-live="polite">{total === 0 ? t.logEmpty : t.logShowing(offset + 1, offset + count, total)}</span>
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => go(Math.max(0, offset - PAGE))}>← {t.logPrev}</button>
      <button type="button" className="secondary" disabled={offset + count >= total} onClick={() => go(offset + PAGE)}>{t.logNext} →</button>
    </nav>
  );
}

/** #/logg: the access log for process owners — filters in the address, a page at a time, CSV export. */
export function AccessLog({ filters, allowed }: { filters: Record<string, string>; allowed: boolean }) {
  const { t } = useLang();
  const [data, setData] = useState<{ items: AccessLogEntry[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const offset = Math.max(0, Number(filters.offset ?? 0) || 0);
  const key = JSON.stringify(filters);

  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    setError(null);
    api.accessLog({ ...toQuery(filters), limit: PAGE, offset }, controller.signal)
      .then(setData)
      .catch((e: unknown) => !controller.signal.aborted && setError(e instanceof Error ? e.message : String(e)));
    return () => controller.abort();
    // `key` stands for the filters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, allowed]);

  if (!allowed) {
    return (
      <div className="page access-log-page">
        <h1>{t.logTitle}</h1>
        <p role="alert" className="error">{t.logOnlyOwners}</p>
      </div>
    );
  }

  const exportCsv = async () => {
    setExporting(true);
    setError(null);
    try {
      const { blob, name } = await api.accessLogCsv(toQuery(filters));
      saveBlob(blob, name);
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="page access-log-page">
      <div className="log-heading">
        <h1>{t.logTitle}</h1>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>⤓ {exporting ? t.logExporting : t.logExport}</button>
      </div>
      <p className="muted">{t.logIntro}</p>
      <FilterForm filters={filters} />
      {error && <p role="alert" className="error">{t.loadError}: {error}</p>}
      {!data && !error && <p className="loading">{t.loading}</p>}
      {data && (
        <section className="card log-table" aria-labelledby="log-table-title">
          <h2 id="log-table-title" className="sr-only">{t.logTitle}</h2>
          <Pager offset={offset} count={data.items.length} total={data.total} filters={filters} />
          {data.items.length > 0 && (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    {[t.logColTime, t.logColUser, t.logColUnit, t.logColRole, t.logColAction, t.logColRoute, t.logColStatus, t.logColCases, t.logColDetail].map((c) => <th key={c} scope="col">{c}</th>)}
                  </tr>
                </thead>
                <tbody>{data.items.map((e) => <Row key={e.id} entry={e} />)}</tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
