import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { checkIdentityNumber } from '../../../engine/personnummer.ts';
import { api, ApiError, type CaseList, type CaseRow, type CaseView } from '../api.ts';
import { hasRole, useAuth } from '../auth.ts';
import { currentStateIds, text, type Lang } from '../graph.ts';
import { useLang, type Dict } from '../i18n.ts';
import { live } from '../live.ts';
import { href, navigate } from '../router.ts';
import { formatInstant, stockholmLocalToInstant } from '../timeline.ts';
import { useDiagram } from '../useDiagram.ts';
import { AccessNotice, AllowedActions, Blockers, CaseHeader, DeadlineTimeline, History, Liability, Refusal, type EventLabels } from './CaseDetails.tsx';
import { EventForm } from './EventForm.tsx';
import { Legend } from './Legend.tsx';
import { PathwayCanvas } from './PathwayCanvas.tsx';

/** A list row's patient, or a placeholder where the reader may not see who it is. */
export const patientLabel = (row: Pick<CaseRow, 'patientName'>, t: Dict): string => row.patientName ?? t.patientHidden;

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
              <li key={c.id}><a href={href({ page: 'arende', id: c.id, query: null })}>{patientLabel(c, t)} · {c.pathway} · {c.kommun} · {formatInstant(c.admittedAt, false)}</a></li>
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
          <li key={c.id}><a href={href({ page: 'arende', id: c.id, query: null })}>{patientLabel(c, t)} · {c.pathway} · {c.kommun} · {t.updated} {formatInstant(c.updatedAt)}</a></li>
        ))}
      </ul>
    </section>
  );
}

function useCaseView(id: string | null): { view: CaseView | null; error: string | null; setView(view: CaseView): void } {
  const [state, setState] = useState<{ view: CaseView | null; error: string | null }>({ view: null, error: null });
  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    const load = () => api.caseView(id)
      // A newer version may have arrived with an event's answer already.
      .then((view) => !cancelled && setState((old) => (old.view && old.view.id === view.id && old.view.version > view.version ? old : { view, error: null })))
      .catch((e: unknown) => !cancelled && setState({ view: null, error: e instanceof ApiError && e.status === 404 ? 'NOT_FOUND' : e instanceof Error ? e.message : String(e) }));
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
  return { ...state, setView: (view) => setState({ view, error: null }) };
}

type Action = CaseView['allowedActions'][number];

/**
 * "Vems tur?" with buttons for those who report events: a form built from the event's JSON
 * Schema, sent with the version it was decided on. A refusal (403 not this party's or role's move,
 * 409 blocked or moved on) shows the server's message and rules.
 */
function ReportActions({ view, onView }: { view: CaseView; onView(view: CaseView): void }) {
  const { lang, t } = useLang();
  const session = useAuth();
  const mayReport = hasRole(session, 'staff') || hasRole(session, 'developer');
  const [types, setTypes] = useState<Map<string, unknown> | null>(null);
  const [form, setForm] = useState<Action | null>(null);
  const [outcome, setOutcome] = useState<{ ok: true; label: string } | { ok: false; error: ApiError } | null>(null);
  const [sending, setSending] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);
  // An opened form comes into view with its first field focused.
  useEffect(() => {
    if (!form) return;
    formRef.current?.scrollIntoView({ block: 'nearest' });
    formRef.current?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), button[type="submit"]')?.focus();
  }, [form]);
  useEffect(() => {
    if (mayReport) api.eventTypes().then((list) => setTypes(new Map(list.map((e) => [e.type, e.schema])))).catch(() => {});
  }, [mayReport]);

  const send = async (action: Action, event: Record<string, unknown>) => {
    setSending(true);
    setOutcome(null);
    try {
      onView(await api.sendEvent(view.id, event, view.version));
      setOutcome({ ok: true, label: lang === 'en' ? action.labelEn : action.label });
      setForm(null);
    } catch (e) {
      setOutcome({ ok: false, error: e instanceof ApiError ? e : new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e)) });
    } finally {
      setSending(false);
    }
  };

  const schema = form ? types?.get(form.event) : undefined;
  return (
    <div className="report-actions" ref={formRef}>
      {outcome?.ok && <p role="status" className="notice">✓ {t.eventSent}: {outcome.label}</p>}
      {outcome && !outcome.ok && <Refusal error={outcome.error} />}
      {form && schema !== undefined ? (
        <EventForm
          key={`${form.event}:${JSON.stringify(form.match ?? {})}`}
          type={form.event}
          title={lang === 'en' ? form.labelEn : form.label}
          schema={schema}
          {...(form.match ? { match: form.match } : {})}
          localToInstant={stockholmLocalToInstant}
          onCancel={() => setForm(null)}
          onSubmit={(event) => void (sending ? undefined : send(form, event))}
        />
      ) : (
        <AllowedActions view={view} {...(mayReport && types ? { onPick: (a: Action) => {
          setOutcome(null);
          setForm(a);
        } } : {})} />
      )}
      {!mayReport && view.allowedActions.length > 0 && <p className="muted">{t.notAllowedToReport}</p>}
    </div>
  );
}

export function CaseInspection({ view, labels, now, lang, onView }: { view: CaseView; labels: EventLabels; now: string; lang: Lang; onView(view: CaseView): void }) {
  const { t } = useLang();
  const { diagram, definition, rules } = useDiagram(view.pathway, lang);
  const highlight = useMemo(() => currentStateIds(view.lanes, view.status), [view]);
  const labelOf = useMemo(() => {
    const m = new Map(diagram?.states.map((s) => [s.state.id, text(s.state, lang)]) ?? []);
    return (id: string) => m.get(id);
  }, [diagram, lang]);
  return (
    <div className="inspection">
      <AccessNotice view={view} />
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
        <ReportActions view={view} onView={onView} />
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
  const { view, error, setView } = useCaseView(id);
  return (
    <div className="page inspector-page">
      <h1>{t.inspectorTitle}</h1>
      <CaseSearch key={id ?? 'search'} initial={id ? '' : query ?? ''} />
      {id && error && <p role="alert" className="error">{error === 'NOT_FOUND' ? t.notFound : `${t.loadError}: ${error}`}</p>}
      {id && !view && !error && <p className="loading">{t.loading}</p>}
      {view && <CaseInspection view={view} labels={labels} now={new Date().toISOString()} lang={lang} onView={setView} />}
      {!id && <OverdueCases />}
    </div>
  );
}
