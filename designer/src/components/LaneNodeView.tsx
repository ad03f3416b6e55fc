import type { NodeProps } from '@xyflow/react';
import { memo, useRef } from 'react';
import { text, type LaneNode } from '../graph.ts';
import { useLang } from '../i18n.ts';
import { useCanvas } from './canvasContext.ts';

/** A lane (a party's row of the routine's table) or one of öppenvården's sub-lanes. */
function LaneNodeView({ data }: NodeProps<LaneNode>) {
  const { lang, t } = useLang();
  const canvas = useCanvas();
  const ref = useRef<HTMLButtonElement>(null);
  const { row, depth } = data;
  const records = [...new Map(row.records.map((r) => [text(r, lang), r])).values()];
  const show = () => ref.current && canvas.showTooltip({
    title: text(row, lang),
    subtitle: t.inEveryState,
    lines: records.map((r) => `${text(r, lang)} (${r.rules.join(', ')})`),
    rules: [...new Set(records.flatMap((r) => r.rules))].map(canvas.ruleInfo),
  }, ref.current);
  return (
    <div className={`lane-node depth-${depth} party-${row.party} ${row.leaf ? 'leaf' : 'group'}`}>
      <div className="lane-title">
        <span className="lane-name">{text(row, lang)}</span>
        {records.length > 0 && (
          <button ref={ref} type="button" className="lane-records nodrag nopan" onMouseEnter={show} onMouseLeave={canvas.hideTooltip} onFocus={show} onBlur={canvas.hideTooltip}
            aria-label={`${t.inEveryState}: ${records.map((r) => text(r, lang)).join(', ')}`}>
            {t.inEveryState}: {records.map((r) => text(r, lang)).join(' · ')}
          </button>
        )}
      </div>
    </div>
  );
}

export default memo(LaneNodeView);
