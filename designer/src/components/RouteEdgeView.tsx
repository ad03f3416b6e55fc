import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react';
import { memo, useRef } from 'react';
import { roundedPath, text, type RouteEdge } from '../graph.ts';
import { partyText, useLang } from '../i18n.ts';
import { useCanvas } from './canvasContext.ts';

/** A transition along ELK's orthogonal route; reactions to other lanes' events are dashed. */
function RouteEdgeView({ id, data, markerEnd }: EdgeProps<RouteEdge>) {
  const { lang, t } = useLang();
  const canvas = useCanvas();
  const ref = useRef<HTMLButtonElement>(null);
  if (!data) return null;
  const { edge, points, label, marker } = data;
  const reaction = edge.kind === 'reaction';
  const show = () => ref.current && canvas.showTooltip({
    title: text(edge, lang),
    subtitle: reaction ? `${t.reaction}: ${[...new Set(edge.transitions.map((x) => x.event))].join(', ')}` : [...new Set(edge.transitions.map((x) => `${x.event} · ${partyText(x.party, lang)}`))].join(' / '),
    lines: edge.transitions.filter((x) => x.guards.length > 0).map((x) => `${t.guards}: ${x.guards.join(', ')}`),
    rules: [...new Set(edge.transitions.flatMap((x) => x.rules))].map(canvas.ruleInfo),
  }, ref.current);
  return (
    <>
      <BaseEdge id={id} path={roundedPath(points)} markerEnd={markerEnd} className={reaction ? 'edge-reaction' : 'edge-action'} />
      {label && (
        <EdgeLabelRenderer>
          <button
            ref={ref}
            type="button"
            // Not in the tab order (it would come before every state): a state's details list its transitions.
            tabIndex={-1}
            className={`edge-label nodrag nopan ${reaction ? 'reaction' : 'action'}`}
            style={{ transform: `translate(${label.x}px, ${label.y}px)`, width: label.width, height: label.height }}
            onClick={() => canvas.onEdge?.(edge.id, edge.source)}
            onMouseEnter={show}
            onMouseLeave={canvas.hideTooltip}
            onFocus={show}
            onBlur={canvas.hideTooltip}
            aria-label={`${text(edge, lang)}${reaction ? ` (${t.reaction})` : ''}: ${[...new Set(edge.transitions.flatMap((x) => x.rules))].join(', ')}`}
          >
            {label.lines.map((line, i) => <span key={i}>{line}</span>)}
          </button>
        </EdgeLabelRenderer>
      )}
      {!label && marker && (
        <EdgeLabelRenderer>
          <button
            ref={ref}
            type="button"
            tabIndex={-1}
            className="edge-marker nodrag nopan"
            style={{ transform: `translate(${marker.x - 8}px, ${marker.y - 8}px)` }}
            onClick={() => canvas.onEdge?.(edge.id, edge.source)}
            onMouseEnter={show}
            onMouseLeave={canvas.hideTooltip}
            onFocus={show}
            onBlur={canvas.hideTooltip}
            aria-label={`${text(edge, lang)} (${t.reaction}): ${[...new Set(edge.transitions.flatMap((x) => x.rules))].join(', ')}`}
          >
            <span aria-hidden="true">↯</span>
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export default memo(RouteEdgeView);
