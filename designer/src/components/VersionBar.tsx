/**
 * The versions of the pathway on screen (issue 6), above its map: which version is shown (an older
 * one read-only, `?version=N`), the version list with cases per version, export of the shown
 * version, and — for the region's process owners — "Redigera", which opens the draft.
 */
import { useEffect, useRef, useState } from 'react';
import { useEditorText } from '../i18n-editor.ts';
import { href, navigate } from '../router.ts';
import { ExportButtons } from './ExportButtons.tsx';
import { useCanEdit } from './useCanEdit.ts';
import { useVersions, VersionsPanel } from './VersionsPanel.tsx';
import './editor.css';

interface Props {
  pathway: string;
  /** The version asked for (`?version=N`), or null for the newest. */
  version: number | null;
  /** The newest published version, once the definition is loaded. */
  latest: number | null;
}

export function VersionBar({ pathway, version, latest }: Props) {
  const { e } = useEditorText();
  const owner = useCanEdit(pathway);
  const [open, setOpen] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const { versions } = useVersions(pathway, refresh);
  const newest = latest ?? versions?.[0]?.version ?? null;
  const shown = version ?? newest;
  const drawer = useRef<HTMLElement>(null);

  useEffect(() => {
    setOpen(false);
  }, [pathway]);
  useEffect(() => {
    if (open) drawer.current?.focus();
  }, [open]);

  return (
    <>
      <div className="version-bar" role="group" aria-label={e.versionsTitle}>
        {versions && versions.length > 1 && shown !== null ? (
          <label className="version-select">
            <span className="sr-only">{e.versionShow}</span>
            <select value={shown} onChange={(event) => {
              const v = Number(event.target.value);
              navigate({ page: 'process', pathway, state: null, ...(v === newest ? {} : { version: v }) });
            }}>
              {versions.map((v) => <option key={v.version} value={v.version}>{e.versionOf(v.version, newest ?? v.version)}</option>)}
            </select>
          </label>
        ) : (
          shown !== null && <span className="version-chip">{e.versionOf(shown, newest ?? shown)}</span>
        )}
        <button type="button" className="secondary small" aria-expanded={open} aria-controls="versions-drawer" onClick={() => setOpen(!open)}>
          {e.versionsButton}{versions ? ` (${versions.length})` : ''}
        </button>
        {shown !== null && <ExportButtons pathway={pathway} version={shown} />}
        {owner && (
          <a className="button-link primary" href={href({ page: 'process', pathway, state: null, edit: true })} title={e.editTitle}>✎ {e.edit}</a>
        )}
      </div>
      {version !== null && newest !== null && version !== newest && (
        <p className="older-version" role="note">
          {e.olderVersionNote(version, newest)} <a href={href({ page: 'process', pathway, state: null })}>{e.showLatest}</a>
        </p>
      )}
      {open && (
        <aside id="versions-drawer" ref={drawer} tabIndex={-1} className="versions-drawer" aria-label={e.versionsTitle}
          onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
          <button type="button" className="icon drawer-close" onClick={() => setOpen(false)} aria-label={e.cancel}>✕</button>
          <VersionsPanel pathway={pathway} owner={owner} showing={shown} refreshKey={refresh} onChanged={() => setRefresh((n) => n + 1)} />
        </aside>
      )}
    </>
  );
}
