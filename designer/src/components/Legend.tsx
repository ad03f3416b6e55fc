import { useState } from 'react';
import { useLang } from '../i18n.ts';

/** What the lines, numbers and shades mean: a strip under the map, foldable. */
export function Legend({ live = true, here = false }: { live?: boolean; here?: boolean }) {
  const { t } = useLang();
  const [open, setOpen] = useState(true);
  return (
    <section className={`legend ${open ? 'open' : 'closed'}`} aria-labelledby="legend-title">
      <h2 id="legend-title">
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} {t.legendTitle}
        </button>
      </h2>
      {open && (
        <ul>
          <li><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" className="legend-action" /><path d="M28 1 L34 5 L28 9 z" fill="#1f2a37" /></svg>{t.legendAction}</li>
          <li><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" className="legend-reaction" /><path d="M28 1 L34 5 L28 9 z" fill="#6b7686" /></svg>{t.legendReaction}</li>
          {live && <li><span className="legend-count"><strong>12</strong> ⚠2</span>{t.legendCount}</li>}
          {live && (
            <li>
              <span className="legend-heat" aria-hidden="true">{[1, 2, 3, 4, 5].map((l) => <span key={l} className={`swatch heat-${l}`} />)}</span>
              {t.legendHeat}
            </li>
          )}
          {here && <li><span className="legend-here">● {t.here}</span>{t.legendHere}</li>}
          <li><span className="legend-any">✱</span>{t.legendAny}</li>
          <li><span className="legend-key">⇥</span>{t.legendKeyboard}</li>
        </ul>
      )}
    </section>
  );
}
