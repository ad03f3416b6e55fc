import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type PathwaySummary } from '../api.ts';
import { text } from '../graph.ts';
import { useLang } from '../i18n.ts';
import { live, useLiveStatus } from '../live.ts';
import { href, navigate } from '../router.ts';
import { useDiagram } from '../useDiagram.ts';
import { usePositions, useTotal } from '../usePositions.ts';
import { Legend } from './Legend.tsx';
import { PathwayCanvas } from './PathwayCanvas.tsx';
import { StatePanel } from './StatePanel.tsx';
import { VersionBar } from './VersionBar.tsx';

export function usePathways(): PathwaySummary[] {
  const [list, setList] = useState<PathwaySummary[]>([]);
  useEffect(() => {
    api.pathways().then(setList).catch(() => {});
  }, []);
  return list;
}

/** Active cases on the pathway with a passed time limit (GET /api/cases?overdue=true). */
function useOverdueTotal(pathway: string): number | null {
  const [total, setTotal] = useState<number | null>(null);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let cost = 0;
    const load = () => {
      const started = performance.now();
      return api.cases({ pathway, status: 'active', overdue: 'true', limit: 1 })
        .then((list) => !cancelled && setTotal(list.total))
        .catch(() => {})
        .finally(() => (cost = performance.now() - started));
    };
    // Gentle with a busy server: never more often than twenty times the last answer's cost.
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void load();
      }, Math.max(5000, 20 * cost));
    };
    setTotal(null);
    void load();
    const offCase = live.onCase((c) => (c.pathway === pathway ? soon() : undefined));
    const offDeadline = live.onDeadline((d) => (d.pathway === pathway ? soon() : undefined));
    const interval = setInterval(() => void load(), 60_000);
    return () => {
      cancelled = true;
      offCase();
      offDeadline();
      clearInterval(interval);
      if (timer) clearTimeout(timer);
    };
  }, [pathway]);
  return total;
}

export function PathwayTabs({ pathways, current }: { pathways: PathwaySummary[]; current: string }) {
  const { lang, t } = useLang();
  const regions: ['sth' | 'vrm', string, string][] = [['sth', 'Region Stockholm · somatik', 'Region Stockholm · somatic'], ['vrm', 'Region Värmland · psykiatri', 'Region Värmland · psychiatry']];
  return (
    <nav className="pathway-tabs" aria-label={t.pathwaysLabel}>
      {regions.map(([region, sv, en]) => (
        <div key={region} className="tab-group">
          <span className="tab-group-label">{lang === 'en' ? en : sv}</span>
          <ul>
            {pathways.filter((p) => p.region === region).map((p) => (
              <li key={p.id}>
                <a href={href({ page: 'process', pathway: p.id, state: null })} aria-current={p.id === current ? 'page' : undefined} title={text(p, lang)}
                  aria-label={`${p.colour.name}: ${text(p, lang)} (${lang === 'en' ? en : sv})`}>
                  <span className="swatch" style={{ background: p.colour.hex }} aria-hidden="true" />
                  {p.colour.name}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

export function PathwayView({ pathway, selected, version = null }: { pathway: string; selected: string | null; version?: number | null }) {
  const { lang, t } = useLang();
  const pathways = usePathways();
  const { diagram, definition, rules, error } = useDiagram(pathway, lang, undefined, version);
  const store = usePositions(pathway);
  const total = useTotal(store);
  const overdue = useOverdueTotal(pathway);
  const status = useLiveStatus();
  const summary = pathways.find((p) => p.id === pathway);
  const open = useCallback((state: string | null) => navigate({ page: 'process', pathway, state, ...(version ? { version } : {}) }, true), [pathway, version]);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const toggle = useCallback((id: string) => open(id === selectedRef.current ? null : id), [open]);

  return (
    <div className="pathway-page">
      <PathwayTabs pathways={pathways} current={pathway} />
      <div className="pathway-heading">
        <h1>
          {summary && <span className="swatch large" style={{ background: summary.colour.hex }} aria-hidden="true" />}
          {summary && <span className="region-prefix">{summary.region === 'sth' ? 'Region Stockholm' : 'Region Värmland'} · </span>}
          {definition ? text(definition, lang) : summary ? text(summary, lang) : pathway}
        </h1>
        <p className="pathway-description" title={definition?.description ?? summary?.description}>{definition?.description ?? summary?.description}</p>
        <p className="pathway-totals" aria-live="polite">
          <span className={`live-dot ${status}`} aria-hidden="true" />
          <span className="sr-only">{status === 'open' ? t.live : t.liveOff}: </span>
          <strong>{t.activeCases(total)}</strong>
          {overdue !== null && overdue > 0 && <span className="badge overdue">⚠ {t.casesOverdue(overdue)}</span>}
        </p>
        <VersionBar pathway={pathway} version={version} latest={(definition as { latestVersion?: number } | null)?.latestVersion ?? null} />
      </div>
      <div className={`pathway-body ${selected ? 'with-panel' : ''}`}>
        <div className="canvas-wrap">
          <div className="canvas-area">
          {error && <p role="alert" className="error">{t.loadError}: {error}</p>}
          {!diagram && !error && <p className="loading">{t.loading}</p>}
          {diagram && (
            <PathwayCanvas
              key={`${diagram.pathway}:${diagram.lang}`}
              diagram={diagram}
              title={definition ? text(definition, lang) : pathway}
              store={store}
              selected={selected}
              onOpen={toggle}
              rules={rules}
            />
          )}
          </div>
          <Legend />
        </div>
        {diagram && selected && <StatePanel diagram={diagram} stateId={selected} store={store} rules={rules} onClose={() => open(null)} />}
      </div>
    </div>
  );
}
