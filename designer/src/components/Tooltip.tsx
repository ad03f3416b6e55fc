import { useLang } from '../i18n.ts';
import type { TooltipContent } from './canvasContext.ts';

export interface TooltipState {
  content: TooltipContent;
  rect: { left: number; top: number; right: number; bottom: number };
}

/** Rule ids and the routine's sentences for the hovered or focused state or transition. */
export function Tooltip({ state }: { state: TooltipState | null }) {
  const { t } = useLang();
  if (!state) return null;
  const { content, rect } = state;
  const width = 380;
  const below = rect.bottom + 8;
  const left = Math.max(8, Math.min(window.innerWidth - width - 8, rect.left));
  const flip = below + 220 > window.innerHeight && rect.top > 240;
  const style = flip ? { left, bottom: window.innerHeight - rect.top + 8, width } : { left, top: below, width };
  return (
    <div role="tooltip" id="canvas-tooltip" className="tooltip" style={style}>
      <div className="tooltip-title">{content.title}</div>
      {content.subtitle && <div className="tooltip-subtitle">{content.subtitle}</div>}
      {content.lines?.map((line, i) => <p key={i} className="tooltip-line">{line}</p>)}
      {content.rules.length > 0 && (
        <dl className="tooltip-rules" aria-label={t.rules}>
          {content.rules.map((r) => (
            <div key={r.id} className="tooltip-rule">
              <dt><span className="rule-id">{r.id}</span> {r.title}</dt>
              {r.sentence && <dd>”{r.sentence}”</dd>}
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
