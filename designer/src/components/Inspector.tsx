import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { checkIdentityNumber } from '../../../engine/personnummer.ts';
import { api, ApiError, type CaseList, type CaseView } from '../api.ts';
import { currentStateIds, text, type Lang } from '../graph.ts';
import { useLang } from '../i18n.ts';
import { live } from '../live.ts';
import { href, navigate } from '../router.ts';
import { formatInstant } from '../timeline.ts';
import { useDiagram } from '../useDiagram.ts';
import { AllowedActions, Blockers, CaseHeader, DeadlineTimeline, History, Liability, type EventLabels } from './CaseDetails.tsx';
import { Legend } from './Legend.tsx';
import { PathwayCanvas } from './PathwayCanvas.tsx';

export function useEventLabels(): EventLabels {
  const [labels, setLabels] = useState<EventLabels>(new Map());
  useEffect(() => {
    api.eventTypes().then((types) => setLabels(new Map(types.map((x) => [x.type, { sv: x.sv, en: x.en }])))).catch(() => {});
  }, []);
  return labels;
}

const today = () => new Date().toISOString().slice(0, 10);

function CaseSearch({ initial }: { initial: string }) {
  const { t } = useLang();
  const [query, setQuery] = useState(initial);
  const [result, setResult] = useState<CaseList | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const search = async (q: string) => {
    setMessage(null);
    setResult(null);
    const trimmed = q.trim();
    if (!trimmed) return;
    const looksLikeNumber = /^[\d\s+-]{10,13}$/.test(trimmed) || /^\d{8}-?[0-9A-Z]{4}$/i.test(trimmed);
    if (looksLikeNumber) {
      const identity = checkIdentityNumber(trimmed, today());
      if (!identity.ok) {
        setMessage(`${t.invalidPersonnummer}: ${identity.reason}`);
        return;
      }
      const list = await api.cases({ personnummer: identity.normalized, limit: 50 });
      if (list.items.length === 1) navigate({ page: 'arende', id: list.items[0]!.id, query: trimmed });
      else if (list.items.length === 0) setMessage(t.notFound);
      else setResult(list);
      return;
    }
    navigate({ page: 'arende', id: trimmed, query: null });
  };

  useEffect(() => {
    if (initial) void search(initial);
    // Only for the query in the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void search(query).catch((error: unknown) => setMessage(error instanceof Error ? error.message : String(error)));
  };

  return (
    <div className="case-search">
      <form onSubmit={submit} role="search">
        <label htmlFor="case-query">{t.searchLabel}</label>
        <div className="search-row">
          <input id="case-query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t.searchPlaceholder} autoComplete="off" />
          <button type="submit">{t.search}</button>
        </div>
      </form>
      {message && <p role="alert" className="error">{message}</p>}
      {result && (
        <div>
          <p>{t.matches(result.total)}</p>
          <ul className="cases">
            {result.items.map((c) => (
              <li key={c.id}><a href={href({ page: 'arende', id: c.id, query: null })}>{c.patientName} · {c.pathway} · {c.kommun} · {formatInstant(c.admittedAt, false)}</a></li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Cases with a passed time limit: where a process owner starts asking "why?". */
function OverdueCases() {
  const { t, lang } = useLang();
  const [list, setList] = useState<CaseList | null>(null);
  useEffect(() => {
    api.cases({ overdue: 'true', status: 'active', limit: 12 }).then(setList).catch(() => {});
  }, []);
  if (!list || list.items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="overdue-title">
      <h2 id="overdue-title">{lang === 'en' ? 'Cases past a time limit' : 'Ärenden med passerad tidsgräns'} ({list.total})</h2>
      <ul className="cases">
        {list.items.map((c) => (
          <li key={c.id}><a href={href({ page: 'arende', id: c.id, query: null })}>{c.patientName} · {c.pathway} · {c.kommun} · {t.updated} {formatInstant(c.updatedAt)}</a></li>
        ))}
      </ul>
    </section>
  );
}

function useCaseView(id: string | null): { view: CaseView | null; error: string | null } {
  const [state, setState] = useState<{ view: CaseView | null; error: string | null }>({ view: null, error: null });
  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    const load = () => api.caseView(id)
      .then((view) => !cancelled && setState({ view, error: null }))
      .catch((e: unknown) => !cancelled && setState({ view: null, error: e instanceof ApiError && e.status === 404 ? 'NOT_FOUND' : String(e) }));
    setState({ view: null, error: null });
    void load();
    const off = live.onCase((change) => {
      if (change.id === id) void load();
    });
    const offDeadline = live.onDeadline((change) => {
      if (change.caseId === id) void load();
    });
    return () => {
      cancelled = true;
      off();
      offDeadline();
    };
  }, [id]);
  return state;
}

export function CaseInspection({ view, labels, now, lang }: { view: CaseView; labels: EventLabels; now: string; lang: Lang }) {
  const { t } = useLang();
  const { diagram, definition, rules } = useDiagram(view.pathway, lang);
  const highlight = useMemo(() => currentStateIds(view.lanes, view.status), [view]);
  const labelOf = useMemo(() => {
    const m = new Map(diagram?.states.map((s) => [s.state.id, text(s.state, lang)]) ?? []);
    return (id: string) => m.get(id);
  }, [diagram, lang]);
  return (
    <div className="inspection">
      <CaseHeader view={view} pathwayLabel={definition ? text(definition, lang) : view.pathway} labelOf={labelOf} />
      <div className="inspection-grid">
        <Blockers view={view} labels={labels} />
        <DeadlineTimeline view={view} now={now} />
      </div>
      <section className="card map-card" aria-label={t.pathwayMap}>
        <h2>{t.pathwayMap}</h2>
        <div className="map-frame">
          {diagram && <PathwayCanvas key={`${diagram.pathway}:${diagram.lang}`} diagram={diagram} title={definition ? text(definition, lang) : view.pathway} highlight={highlight} rules={rules} minimap={false} />}
        </div>
        <Legend live={false} here />
      </section>
      <div className="inspection-grid">
        <AllowedActions view={view} />
        <div className="col">
          <Liability view={view} />
          <History view={view} labels={labels} />
        </div>
      </div>
    </div>
  );
}

export function Inspector({ id, query }: { id: string | null; query: string | null }) {
  const { lang, t } = useLang();
  const labels = useEventLabels();
  const { view, error } = useCaseView(id);
  return (
    <div className="page inspector-page">
      <h1>{t.inspectorTitle}</h1>
      <CaseSearch key={id ?? 'search'} initial={id ? '' : query ?? ''} />
      {id && error && <p role="alert" className="error">{error === 'NOT_FOUND' ? t.notFound : `${t.loadError}: ${error}`}</p>}
      {id && !view && !error && <p className="loading">{t.loading}</p>}
      {view && <CaseInspection view={view} labels={labels} now={new Date().toISOString()} lang={lang} />}
      {!id && <OverdueCases />}
    </div>
  );
}
