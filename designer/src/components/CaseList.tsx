import { useEffect, useState } from 'react';
import { api, type CaseList as CaseListDto } from '../api.ts';
import { useLang } from '../i18n.ts';
import { href } from '../router.ts';
import { formatInstant } from '../timeline.ts';

const PAGE = 25;

/** The cases standing in one state (GET /api/cases?pathway&state), newest change first. */
export function CaseList({ pathway, state, version }: { pathway: string; state: string; version: number }) {
  const { t } = useLang();
  const [overdue, setOverdue] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const [list, setList] = useState<CaseListDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.cases({ pathway, state, status: 'active', overdue: overdue ? 'true' : undefined, limit }, controller.signal)
      .then((l) => {
        setList(l);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => controller.abort();
  }, [pathway, state, overdue, limit, version]);

  return (
    <section className="case-list" aria-labelledby="case-list-title">
      <div className="case-list-head">
        <h3 id="case-list-title">{t.casesHere}{list ? ` (${list.total})` : ''}</h3>
        <label className="checkbox">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} /> {t.onlyOverdue}
        </label>
      </div>
      {error && <p role="alert" className="error">{t.loadError}: {error}</p>}
      {!list && !error && <p className="muted">{t.loading}</p>}
      {list && list.items.length === 0 && <p className="muted">{t.noCases}</p>}
      {list && list.items.length > 0 && (
        <ul className="cases">
          {list.items.map((c) => (
            <li key={c.id}>
              <a href={href({ page: 'arende', id: c.id, query: null })} aria-label={`${c.patientName ?? t.patientHidden}, ${c.kommun}: ${t.openCase}`}>
                <span className={`case-name${c.patientName === null ? ' hidden-name' : ''}`}>{c.patientName ?? t.patientHidden}</span>
                <span className="case-meta">{c.patientName === null ? `${c.id} · ` : ''}{c.kommun} · {t.admitted} {formatInstant(c.admittedAt, false)} · {t.updated} {formatInstant(c.updatedAt)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {list && list.total > list.items.length && (
        <button type="button" className="secondary" onClick={() => setLimit(limit + PAGE)}>{t.showMore}</button>
      )}
    </section>
  );
}
