import { useMemo, useRef, useState, type FormEvent } from 'react';
import { TEST_PERSONNUMMER } from '../../../engine/personnummer.ts';
import { EVENT_LABELS, EVENT_TYPES, PATHWAY_IDS, type PathwayId } from '../../../machines/events.ts';
import { PATHWAYS } from '../../../machines/pathways.ts';
import { currentStateIds, text } from '../graph.ts';
import { useLang } from '../i18n.ts';
import {
  eventJsonSchema, formDefaults, fromScenario, instantToLocalInput, localInputToInstant, moveClock, plusHour, plusWeekday,
  sendEvent, startSession, toScenario, undo, type Session, type SimSetup,
} from '../simulator.ts';
import { formatInstant } from '../timeline.ts';
import { useDiagram } from '../useDiagram.ts';
import { AllowedActions, Blockers, DeadlineTimeline, type EventLabels } from './CaseDetails.tsx';
import { EventForm } from './EventForm.tsx';
import { Legend } from './Legend.tsx';
import { PathwayCanvas } from './PathwayCanvas.tsx';
import { saveBlob } from '../download.ts';

const KOMMUNER = { sth: 'Solna', vrm: 'Karlstad' } as const;
const labels: EventLabels = new Map(Object.entries(EVENT_LABELS));

function defaultSetup(pathway: PathwayId): SimSetup {
  const date = new Date().toISOString().slice(0, 10);
  return {
    pathway,
    patient: { personnummer: TEST_PERSONNUMMER[2]!, name: 'Sandra Sandlåda', address: 'Testgatan 1, 123 45 Teststad' },
    kommun: KOMMUNER[PATHWAYS[pathway].policy.region],
    admittedAt: `${date}T08:00`,
  };
}

function SetupForm({ onStart, onImport }: { onStart(setup: SimSetup): void; onImport(json: unknown): void }) {
  const { lang, t } = useLang();
  const [setup, setSetup] = useState<SimSetup>(() => defaultSetup('sth-gul'));
  const fileRef = useRef<HTMLInputElement>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onStart({ ...setup, admittedAt: localInputToInstant(setup.admittedAt) });
  };
  const patient = (key: keyof SimSetup['patient'], value: string) => setSetup({ ...setup, patient: { ...setup.patient, [key]: value } });
  return (
    <form className="card sim-setup" onSubmit={submit} aria-labelledby="sim-setup-title">
      <h2 id="sim-setup-title">{t.simStart}</h2>
      <div className="form-grid">
        <div className="form-field">
          <label htmlFor="sim-pathway">{t.pathway}</label>
          <select id="sim-pathway" value={setup.pathway} onChange={(e) => {
            const pathway = e.target.value as PathwayId;
            setSetup({ ...setup, pathway, kommun: KOMMUNER[PATHWAYS[pathway].policy.region] });
          }}>
            {PATHWAY_IDS.map((id) => <option key={id} value={id}>{text(PATHWAYS[id], lang)}</option>)}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor="sim-name">{t.simPatientName}</label>
          <input id="sim-name" value={setup.patient.name} onChange={(e) => patient('name', e.target.value)} required />
        </div>
        <div className="form-field">
          <label htmlFor="sim-pnr">{t.simPersonnummer}</label>
          <input id="sim-pnr" value={setup.patient.personnummer} onChange={(e) => patient('personnummer', e.target.value)} required />
        </div>
        <div className="form-field">
          <label htmlFor="sim-address">{t.simAddress}</label>
          <input id="sim-address" value={setup.patient.address} onChange={(e) => patient('address', e.target.value)} required />
        </div>
        <div className="form-field">
          <label htmlFor="sim-kommun">{t.kommun}</label>
          <input id="sim-kommun" value={setup.kommun} onChange={(e) => setSetup({ ...setup, kommun: e.target.value })} required />
        </div>
        <div className="form-field">
          <label htmlFor="sim-admitted">{t.simAdmittedAt}</label>
          <input id="sim-admitted" type="datetime-local" value={setup.admittedAt} onChange={(e) => setSetup({ ...setup, admittedAt: e.target.value })} required />
        </div>
      </div>
      <div className="form-actions">
        <button type="submit">{t.simStart}</button>
        <button type="button" className="secondary" onClick={() => fileRef.current?.click()}>{t.simImport}</button>
        <input ref={fileRef} type="file" accept="application/json,.json" className="sr-only" aria-label={t.simImport} tabIndex={-1}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            try {
              onImport(JSON.parse(await file.text()));
            } catch {
              onImport(null);
            }
            e.target.value = '';
          }} />
      </div>
    </form>
  );
}

function InspectionLog({ session }: { session: Session }) {
  const { t } = useLang();
  const last = [...session.results].reverse().find((r) => r.inspection.length > 0);
  return (
    <section className="card inspection-log" aria-labelledby="inspection-title">
      <h2 id="inspection-title">{t.simInspection}</h2>
      <div aria-live="polite">
        {!last && <p className="muted">{t.simInspectionEmpty}</p>}
        {last && (
          <ol className="inspection-events">
            {last.inspection.map((r, i) => (
              <li key={i}><code className={`inspect-type ${r.type.replace('@xstate.', '')}`}>{r.type}</code> {r.summary}</li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function download(name: string, json: unknown): void {
  saveBlob(new Blob([`${JSON.stringify(json, null, 2)}\n`], { type: 'application/json' }), name);
}

export default function Simulator() {
  const { lang, t } = useLang();
  const [session, setSession] = useState<Session | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [form, setForm] = useState<{ type: string; title: string; match?: Record<string, string | boolean> } | null>(null);
  const [anyType, setAnyType] = useState<string>(EVENT_TYPES[0]!);
  const [target, setTarget] = useState('');
  const [expectFinal, setExpectFinal] = useState(true);
  const definition = session ? PATHWAYS[session.view.pathway] : null;
  const { diagram, rules } = useDiagram(session?.view.pathway ?? null, lang, definition ?? undefined);
  const highlight = useMemo(() => (session ? currentStateIds(session.view.lanes, session.view.status) : null), [session]);

  const run = (fn: () => Session) => {
    try {
      setSession(fn());
      setMessage(null);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };

  if (!session) {
    return (
      <div className="page simulator-page">
        <h1>{t.simTitle}</h1>
        <p className="sandbox-note">{t.simSandbox}</p>
        {message && <p role="alert" className="error">{message}</p>}
        <SetupForm
          onStart={(setup) => {
            const started = startSession(setup);
            if (started.ok) setSession(started.session);
            else setMessage(started.message);
          }}
          onImport={(json) => {
            const imported = json === null ? { ok: false as const, field: 'file', message: 'JSON' } : fromScenario(json);
            if (imported.ok) {
              setSession(imported.session);
              setMessage(t.simImported(imported.session.results.length));
            } else setMessage(`${t.simImportError}: ${imported.field}: ${imported.message}`);
          }}
        />
      </div>
    );
  }

  const view = session.view;
  const exportScenario = () => {
    const scenario = toScenario(session, { expectFinal, description: `${view.patient.name} – ${text(PATHWAYS[view.pathway], lang)} (simulator)` });
    download(`${view.pathway}-simulering.json`, scenario);
  };

  return (
    <div className="page simulator-page running">
      <div className="sim-toolbar card" role="toolbar" aria-label={t.simClock}>
        <span className="sandbox-note">{t.simSandbox}</span>
        <span className="sim-clock" aria-live="polite"><span className="muted">{t.simClock}:</span> <strong>{formatInstant(session.now)}</strong></span>
        <button type="button" onClick={() => run(() => moveClock(session, plusHour(session.now)))}>{t.simPlusHour}</button>
        <button type="button" onClick={() => run(() => moveClock(session, plusWeekday(session.now)))}>{t.simPlusWeekday}</button>
        <form className="inline" onSubmit={(e) => {
          e.preventDefault();
          if (target) run(() => moveClock(session, localInputToInstant(target)));
        }}>
          <label htmlFor="sim-target" className="sr-only">{t.simToDateLabel}</label>
          <input id="sim-target" type="datetime-local" value={target || instantToLocalInput(session.now)} onChange={(e) => setTarget(e.target.value)} />
          <button type="submit">{t.simToDate}</button>
        </form>
        <button type="button" onClick={() => run(() => undo(session))} disabled={session.results.length === 0}>↶ {t.simUndo}</button>
        <button type="button" onClick={exportScenario}>⤓ {t.simExport}</button>
        <label className="checkbox"><input type="checkbox" checked={expectFinal} onChange={(e) => setExpectFinal(e.target.checked)} /> {t.simExpectFinal}</label>
        <button type="button" className="secondary" onClick={() => {
          setSession(null);
          setForm(null);
        }}>{t.simRestart}</button>
      </div>
      {message && <p role="status" className="notice">{message}</p>}
      <div className="sim-grid">
        <div className="col">
          {form ? (
            <EventForm
              key={`${form.type}:${JSON.stringify(form.match ?? {})}:${session.results.length}`}
              type={form.type}
              title={form.title}
              schema={eventJsonSchema(form.type as never)}
              {...(form.match ? { match: form.match } : {})}
              defaults={formDefaults(form.type, session.now)}
              localToInstant={localInputToInstant}
              onCancel={() => setForm(null)}
              onSubmit={(event) => {
                run(() => sendEvent(session, event));
                setForm(null);
              }}
            />
          ) : (
            <>
              <AllowedActions view={view} onPick={(a) => setForm({ type: a.event, title: lang === 'en' ? a.labelEn : a.label, ...(a.match ? { match: a.match } : {}) })} />
              <form className="card any-event" onSubmit={(e) => {
                e.preventDefault();
                const l = EVENT_LABELS[anyType as keyof typeof EVENT_LABELS];
                setForm({ type: anyType, title: lang === 'en' ? l.en : l.sv });
              }}>
                <label htmlFor="sim-any">{t.simAnyEvent}</label>
                <div className="search-row">
                  <select id="sim-any" value={anyType} onChange={(e) => setAnyType(e.target.value)}>
                    {EVENT_TYPES.map((type) => <option key={type} value={type}>{lang === 'en' ? EVENT_LABELS[type].en : EVENT_LABELS[type].sv} ({type})</option>)}
                  </select>
                  <button type="submit">{t.simEvent} …</button>
                </div>
              </form>
            </>
          )}
          <section className="card steps" aria-labelledby="steps-title">
            <h2 id="steps-title">{t.simSteps} ({session.results.length})</h2>
            {session.results.length === 0 ? <p className="muted">{t.simNoSteps}</p> : (
              <ol className="step-list">
                {session.results.map((r, i) => (
                  <li key={i} className={`step ${r.outcome}`}>
                    <span className="step-time">{formatInstant(r.at)}</span>{' '}
                    {r.outcome === 'clock' && <span>⏱ {t.simClockStep}</span>}
                    {r.outcome === 'expect' && <span>✓ expect</span>}
                    {r.step.send && (
                      <span>
                        {r.outcome === 'accepted' ? '✓' : '✗'} {labels.get(String(r.step.send.type))?.[lang === 'en' ? 'en' : 'sv'] ?? String(r.step.send.type)}
                        <span className="muted"> · {r.outcome === 'accepted' ? t.simAccepted : `${t.simRejected}: ${r.rejected?.message ?? ''} ${r.rejected?.rules.join(', ') ?? ''}`}</span>
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <InspectionLog session={session} />
        </div>
        <div className="col">
          <section className="card map-card" aria-label={t.simCaseState}>
            <h2>{t.simCaseState}: {text(PATHWAYS[view.pathway], lang)} · {view.status === 'active' ? t.statusActive : t.statusClosed}</h2>
            <div className="map-frame">
              {diagram && <PathwayCanvas key={`${diagram.pathway}:${diagram.lang}`} diagram={diagram} title={text(PATHWAYS[view.pathway], lang)} highlight={highlight} rules={rules} minimap={false} />}
            </div>
            <Legend live={false} here />
          </section>
          <Blockers view={view} labels={labels} />
          <DeadlineTimeline view={view} now={session.now} />
        </div>
      </div>
    </div>
  );
}
