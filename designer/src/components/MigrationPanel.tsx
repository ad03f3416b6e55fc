/**
 * Moving active cases to another version (issue 6): a dry run first (POST
 * /api/pathways/:id/migrations with dryRun) that shows, case by case, where each lands and which
 * are refused and why; a mapping for states the target version no longer has; then the real run
 * for the cases chosen. The server refuses a case that would land elsewhere than mapped.
 */
import { useEffect, useMemo, useState } from 'react';
import { stateIds, splitStateId, type Definition } from '../editor.ts';
import { useEditorText } from '../i18n-editor.ts';
import { href } from '../router.ts';
import { errorText, versionsApi, type MigrationResponse, type VersionRow } from '../versionsApi.ts';

interface Props {
  pathway: string;
  to: number;
  versions: VersionRow[];
  onBack(): void;
  onDone(): void;
}

function labelsOf(definition: Definition | null): Map<string, { label: string; labelEn: string }> {
  const out = new Map<string, { label: string; labelEn: string }>();
  if (!definition) return out;
  for (const id of stateIds(definition)) {
    const { regionPath, key } = splitStateId(id);
    const [lane, ...rest] = regionPath.split('.');
    let region = definition.lanes[lane!];
    for (const k of rest) region = region?.regions?.[k];
    const meta = region?.states?.[key]?.meta;
    if (meta) out.set(id, { label: meta.label, labelEn: meta.labelEn });
  }
  return out;
}

export function MigrationPanel({ pathway, to: initialTo, versions, onBack, onDone }: Props) {
  const { lang, e } = useEditorText();
  const [to, setTo] = useState(initialTo);
  const [from, setFrom] = useState<number | null>(null);
  const [target, setTarget] = useState<Definition | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [dryRun, setDryRun] = useState<MigrationResponse | null>(null);
  const [done, setDone] = useState<MigrationResponse | null>(null);
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [running, setRunning] = useState<'dry' | 'real' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setTarget(null);
    versionsApi.pathway(pathway, to).then((d) => !cancelled && setTarget(d)).catch((err: unknown) => !cancelled && setError(errorText(err)));
    return () => {
      cancelled = true;
    };
  }, [pathway, to]);

  const names = useMemo(() => labelsOf(target), [target]);
  const targetIds = useMemo(() => new Set(target ? stateIds(target) : []), [target]);
  const name = (id: string) => {
    const l = names.get(id);
    return l ? (lang === 'en' ? l.labelEn : l.label) : id;
  };

  // States the cases stand in that the target version does not have: these need a mapping.
  const missing = useMemo(() => {
    if (!dryRun || !target) return [];
    return [...new Set(dryRun.results.flatMap((r) => r.from))].filter((s) => !targetIds.has(s)).sort();
  }, [dryRun, target, targetIds]);

  const run = async (real: boolean) => {
    setRunning(real ? 'real' : 'dry');
    setError(null);
    setConfirming(false);
    try {
      const chosen = dryRun ? dryRun.results.filter((r) => r.ok && !excluded.has(r.caseId)).map((r) => r.caseId) : [];
      const activeMapping = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v));
      const body = {
        to, dryRun: !real,
        ...(from !== null ? { from } : {}),
        ...(Object.keys(activeMapping).length > 0 ? { mapping: activeMapping } : {}),
        ...(real ? { caseIds: chosen } : {}),
      };
      const answer = await versionsApi.migrate(pathway, body);
      if (real) {
        setDone(answer);
        setDryRun(null);
        onDone();
      } else {
        setDryRun(answer);
        setDone(null);
        setExcluded(new Set());
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRunning(null);
    }
  };

  const shown = done ?? dryRun;
  const movable = dryRun ? dryRun.results.filter((r) => r.ok && !excluded.has(r.caseId)).length : 0;
  const landing = (r: MigrationResponse['results'][number]) => {
    if (!r.ok && r.to.length === 0) return null;
    const changed = r.to.filter((s) => !r.from.includes(s));
    return changed.length === 0 ? <span className="muted">{e.sameStates}</span> : (
      <ul className="lands">{changed.map((s) => <li key={s}>{name(s)} <code>{s}</code></li>)}</ul>
    );
  };

  return (
    <div className="migration-panel">
      <button type="button" className="link-button back" onClick={onBack}>{e.back}</button>
      <h2 className="panel-title">{e.migrateTitle(to)}</h2>
      <p className="muted panel-intro">{e.migrateIntro}</p>
      <div className="migration-controls">
        <label>
          {e.migrateTarget}{' '}
          <select value={to} onChange={(event) => { setTo(Number(event.target.value)); setDryRun(null); setDone(null); setMapping({}); }}>
            {versions.map((v) => <option key={v.version} value={v.version}>v{v.version}</option>)}
          </select>
        </label>
        <label>
          {e.migrateFrom}{' '}
          <select value={from ?? ''} onChange={(event) => { setFrom(event.target.value ? Number(event.target.value) : null); setDryRun(null); }}>
            <option value="">{e.migrateFromAll}</option>
            {versions.filter((v) => v.version !== to).map((v) => <option key={v.version} value={v.version}>v{v.version} ({e.activeOf(v.activeCases, v.cases)})</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void run(false)} disabled={running !== null}>
          {running === 'dry' ? e.migrateRunning : dryRun ? e.migrateDryRunAgain : e.migrateDryRun}
        </button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}

      {dryRun && (
        <section className="mapping" aria-labelledby="mapping-title">
          <h3 id="mapping-title">{e.mappingTitle}</h3>
          {missing.length === 0 ? <p className="muted">{e.mappingNone}</p> : (
            <>
              <p className="muted small-note">{e.mappingIntro}</p>
              <table className="mapping-table">
                <tbody>
                  {missing.map((state) => {
                    const lane = splitStateId(state).regionPath;
                    return (
                      <tr key={state}>
                        <th scope="row"><code>{state}</code></th>
                        <td aria-hidden="true">→</td>
                        <td>
                          <select aria-label={`${state} →`} value={mapping[state] ?? ''} onChange={(event) => setMapping({ ...mapping, [state]: event.target.value })}>
                            <option value="">{e.mappingUnset}</option>
                            {[...targetIds].filter((s) => splitStateId(s).regionPath === lane).map((s) => <option key={s} value={s}>{name(s)} ({s})</option>)}
                          </select>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}

      {shown && (
        <section className="migration-results" aria-live="polite">
          {done ? (
            <p className="success" role="status">{e.migrateDone(done.moved, done.refused, done.to)}</p>
          ) : (
            <p className="notice">{e.dryRunNote} {e.migrateSummary(shown.moved, shown.refused)}</p>
          )}
          {shown.results.length === 0 ? <p className="muted">{e.migrateNone}</p> : (
            <div className="table-scroll">
              <table className="migration-table">
                <thead>
                  <tr>
                    {!done && <th scope="col">{e.migrateInclude}</th>}
                    <th scope="col">{e.migrateCase}</th>
                    <th scope="col">{e.migrateFromV}</th>
                    <th scope="col">{e.migrateLands}</th>
                    <th scope="col">{e.migrateResult}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.results.map((r) => (
                    <tr key={r.caseId} className={r.ok ? 'ok' : 'refused'}>
                      {!done && (
                        <td>
                          {r.ok && (
                            <input type="checkbox" aria-label={`${e.migrateInclude} ${r.caseId}`} checked={!excluded.has(r.caseId)}
                              onChange={(event) => {
                                const next = new Set(excluded);
                                if (event.target.checked) next.delete(r.caseId);
                                else next.add(r.caseId);
                                setExcluded(next);
                              }} />
                          )}
                        </td>
                      )}
                      <td><a className="case-id" href={href({ page: 'arende', id: r.caseId, query: null })}>{r.caseId}</a></td>
                      <td>{r.fromVersion === null ? '–' : `v${r.fromVersion}`}</td>
                      <td>{landing(r)}</td>
                      <td>
                        <span className={`result-chip ${r.ok ? 'ok' : 'refused'}`}>{r.ok ? (done ? e.migrateMoved : e.migrateOk) : e.migrateRefused}</span>
                        {r.reason && <div className="result-reason">{r.reason}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {dryRun && !done && movable > 0 && (
            <div className="migration-run">
              {!confirming ? (
                <button type="button" onClick={() => setConfirming(true)} disabled={running !== null}>{e.migrateRun(movable)}</button>
              ) : (
                <div className="confirm-row" role="group" aria-label={e.migrateConfirm(movable, to)}>
                  <span>{e.migrateConfirm(movable, to)}</span>
                  <button type="button" onClick={() => void run(true)} disabled={running !== null}>{running === 'real' ? e.migrateRunning : e.migrateRun(movable)}</button>
                  <button type="button" className="secondary" onClick={() => setConfirming(false)}>{e.cancel}</button>
                </div>
              )}
            </div>
          )}
        </section>
      )}
    </div>
  );
}
