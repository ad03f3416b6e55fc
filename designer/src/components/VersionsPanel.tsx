/**
 * The published versions of a pathway (issue 6), newest first: number, when and by whom, the
 * comment, and how many cases run on each (active of all). Any version opens read-only
 * (`#/process/<id>?version=N`); process owners can move active cases to a version from here.
 */
import { useEffect, useState } from 'react';
import { useEditorText } from '../i18n-editor.ts';
import { href } from '../router.ts';
import { errorText, versionsApi, type VersionRow } from '../versionsApi.ts';
import { MigrationPanel } from './MigrationPanel.tsx';

interface Props {
  pathway: string;
  /** Changes when the list should be fetched again (after publishing or migrating). */
  refreshKey?: number;
  owner: boolean;
  /** The version on screen, marked in the list. */
  showing?: number | null;
  /** Something changed here (a migration ran): others may refresh. */
  onChanged?(): void;
  /** Shown in the editor: every version is one to open. */
  editing?: boolean;
}

export function formatTime(at: string, lang: 'sv' | 'en'): string {
  return new Date(at).toLocaleString(lang === 'en' ? 'en-GB' : 'sv-SE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Stockholm' });
}

export function useVersions(pathway: string, refreshKey = 0): { versions: VersionRow[] | null; error: string | null; reload(): void } {
  const [state, setState] = useState<{ versions: VersionRow[] | null; error: string | null }>({ versions: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    versionsApi.versions(pathway)
      .then((versions) => !cancelled && setState({ versions, error: null }))
      .catch((error: unknown) => !cancelled && setState((s) => ({ ...s, error: errorText(error) })));
    return () => {
      cancelled = true;
    };
  }, [pathway, refreshKey, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function VersionsPanel({ pathway, refreshKey = 0, owner, showing = null, onChanged, editing = false }: Props) {
  const { lang, e } = useEditorText();
  const [local, setLocal] = useState(0);
  const { versions, error } = useVersions(pathway, refreshKey + local);
  const [migrateTo, setMigrateTo] = useState<number | null>(null);
  const latest = versions?.[0]?.version ?? null;

  if (migrateTo !== null && versions) {
    return (
      <MigrationPanel
        pathway={pathway}
        to={migrateTo}
        versions={versions}
        onBack={() => setMigrateTo(null)}
        onDone={() => {
          setLocal((n) => n + 1);
          onChanged?.();
        }}
      />
    );
  }
  return (
    <div className="versions-panel">
      <h2 className="panel-title">{e.versionsTitle}</h2>
      {error && <p className="error" role="alert">{error}</p>}
      {!versions && !error && <p className="loading">{e.loading}</p>}
      {versions && (
        <table className="versions-table">
          <thead>
            <tr>
              <th scope="col">{e.colVersion}</th>
              <th scope="col">{e.colPublished} · {e.colComment}</th>
              <th scope="col">{e.colCases}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const others = versions.filter((o) => o.version !== v.version).reduce((n, o) => n + o.activeCases, 0);
              const isShown = v.version === (showing ?? latest);
              return (
                <tr key={v.version} className={isShown ? 'is-showing' : ''} aria-current={isShown ? 'true' : undefined}>
                  <th scope="row">
                    <span className="version-number">v{v.version}</span>
                    {v.version === latest && <span className="chip current">{e.current}</span>}
                  </th>
                  <td>
                    <div className="version-meta">{formatTime(v.publishedAt, lang)} · {v.author}</div>
                    <div className="version-comment">{v.comment}</div>
                  </td>
                  <td className="version-side">
                    <div className="version-cases"><strong>{v.activeCases}</strong> {e.activeOf(v.activeCases, v.cases).replace(/^\d+ /, '')}</div>
                    <div className="version-actions">
                      {isShown && !editing ? <span className="muted">{e.showing}</span> : (
                        <a href={href({ page: 'process', pathway, state: null, ...(v.version === latest ? {} : { version: v.version }) })}>{e.open} v{v.version}</a>
                      )}
                      {owner && others > 0 && (
                        <button type="button" className="secondary small" onClick={() => setMigrateTo(v.version)}>{e.migrateHere}</button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
