import {
  MarkerType, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useViewport,
  type EdgeTypes, type NodeTypes,
} from '@xyflow/react';
import { useCallback, useLayoutEffect, useMemo, useState } from 'react';
import { laneNodeId, text, toFlow, type Diagram } from '../graph.ts';
import { useLang } from '../i18n.ts';
import type { PositionsStore } from '../positions.ts';
import { CanvasContext, ValueStore, type CanvasState, type StateMark, type TooltipContent } from './canvasContext.ts';
import ColumnNodeView from './ColumnNodeView.tsx';
import LaneNodeView from './LaneNodeView.tsx';
import RouteEdgeView from './RouteEdgeView.tsx';
import StateNodeView from './StateNodeView.tsx';
import { Tooltip, type TooltipState } from './Tooltip.tsx';

const nodeTypes: NodeTypes = { state: StateNodeView, lane: LaneNodeView, column: ColumnNodeView };
const edgeTypes: EdgeTypes = { route: RouteEdgeView };

export interface PathwayCanvasProps {
  diagram: Diagram;
  title: string;
  store?: PositionsStore | null;
  highlight?: Set<string> | null;
  selected?: string | null;
  onOpen?: ((stateId: string) => void) | null;
  rules: Map<string, { title: string; sentence: string }>;
  minimap?: boolean;
  /** Edit mode (issue 6): dragging from a state's right handle to another state calls `onConnect`. */
  editable?: boolean;
  marks?: Map<string, StateMark> | null;
  onConnect?: ((source: string, target: string) => void) | null;
  canConnect?: ((source: string, target: string) => boolean) | null;
  onEdge?: ((edgeId: string, source: string) => void) | null;
}

/** Phase headings that stay at the top while the map pans and zooms. */
function StickyColumns({ diagram }: { diagram: Diagram }) {
  const { x, y, zoom } = useViewport();
  const { lang } = useLang();
  // Only once the map's own headings have scrolled out of view.
  if (y > -4) return null;
  return (
    <div className="sticky-columns" aria-hidden="true">
      {diagram.columns.map((c, i) => (
        <div key={c.phase} className="sticky-column" style={{ left: x + c.x * zoom, width: c.width * zoom }}>
          <span className="column-number">{i + 1}</span> {text(c, lang)}
        </div>
      ))}
    </div>
  );
}

/** Party names that stay at the left edge, like a spreadsheet's frozen first column. */
function StickyLanes({ diagram }: { diagram: Diagram }) {
  const { x, y, zoom } = useViewport();
  const { lang } = useLang();
  // Only once the map's own lane column has scrolled out of view (like a frozen first column).
  if (x > -20) return null;
  const left = 0;
  return (
    <div className="sticky-lanes" aria-hidden="true" style={{ left }}>
      {diagram.rows.filter((r) => r.row.parent === null).map((r) => (
        <div key={r.row.id} className="sticky-lane" style={{ top: Math.max(26, y + r.y * zoom), height: Math.max(0, r.height * zoom - Math.max(0, 26 - (y + r.y * zoom))) }}>
          {text(r.row, lang)}
        </div>
      ))}
    </div>
  );
}

function ZoomControls() {
  const { t } = useLang();
  const flow = useReactFlow();
  return (
    <div className="zoom-controls" role="group" aria-label="Zoom">
      <button type="button" onClick={() => void flow.zoomIn()} aria-label={t.zoomIn} title={t.zoomIn}>+</button>
      <button type="button" onClick={() => void flow.zoomOut()} aria-label={t.zoomOut} title={t.zoomOut}>−</button>
      <button type="button" onClick={() => void flow.fitView({ padding: 0.02 })} aria-label={t.fitView} title={t.fitView}>⤢</button>
    </div>
  );
}

function Canvas({ diagram, title, store = null, highlight = null, selected = null, onOpen = null, rules, minimap = true, editable = false, marks = null, onConnect = null, canConnect = null, onEdge = null }: PathwayCanvasProps) {
  const { t } = useLang();
  const flow = useReactFlow();
  const { nodes, edges } = useMemo(() => {
    const f = toFlow(diagram);
    const marker = (reaction: boolean) => ({ type: MarkerType.ArrowClosed, width: 14, height: 14, color: reaction ? '#6b7686' : '#1f2a37' });
    return { nodes: f.nodes, edges: f.edges.map((e) => ({ ...e, markerEnd: marker(e.data?.edge.kind === 'reaction') })) };
  }, [diagram]);
  const [tooltip, setTooltip] = useState<TooltipState | null>(null);
  const selection = useMemo(() => new ValueStore<string | null>(selected), []);
  useLayoutEffect(() => selection.set(selected), [selection, selected]);
  const placed = useMemo(() => new Map(diagram.states.map((s) => [s.state.id, s])), [diagram]);

  const focusNode = useCallback((stateId: string) => {
    const s = placed.get(stateId);
    const el = document.querySelector('.react-flow');
    if (!s || !el) return;
    const { x, y, zoom } = flow.getViewport();
    const rect = el.getBoundingClientRect();
    const left = s.x * zoom + x;
    const top = s.y * zoom + y;
    const inside = left >= 0 && top >= 40 && left + s.width * zoom <= rect.width && top + s.height * zoom <= rect.height;
    if (!inside) void flow.setCenter(s.x + s.width / 2, s.y + s.height / 2, { zoom: Math.max(zoom, 0.8), duration: 200 });
  }, [flow, placed]);

  const context: CanvasState = useMemo(() => ({
    store, highlight, selection, onOpen,
    showTooltip: (content: TooltipContent, anchor: HTMLElement) => {
      const r = anchor.getBoundingClientRect();
      setTooltip({ content, rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } });
    },
    hideTooltip: () => setTooltip(null),
    ruleInfo: (id: string) => {
      const rule = rules.get(id);
      return rule ? { id, title: rule.title, sentence: rule.sentence } : { id };
    },
    focusNode,
    editable, marks, onEdge,
  }), [store, highlight, selection, onOpen, rules, focusNode, editable, marks, onEdge]);

  return (
    <CanvasContext.Provider value={context}>
      <div className="canvas" role="region" aria-label={t.diagramLabel(title)}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesDraggable={false}
          nodesConnectable={editable}
          {...(editable && onConnect ? {
            onConnect: (c: { source: string; target: string }) => onConnect(c.source, c.target),
            isValidConnection: (c: { source: string; target: string }) => canConnect?.(c.source, c.target) ?? true,
            connectionRadius: 40,
            // Dropped on a state's body rather than its handle: connect to that state all the same.
            onConnectEnd: (event: MouseEvent | TouchEvent, state: { isValid?: boolean | null; fromNode?: { id: string } | null }) => {
              if (state.isValid === true || !state.fromNode) return;
              const point = 'changedTouches' in event ? event.changedTouches[0] : event;
              if (!point) return;
              const node = document.elementsFromPoint(point.clientX, point.clientY).map((el) => el.closest<HTMLElement>('.react-flow__node-state')).find(Boolean);
              const target = node?.dataset.id;
              if (target && target !== state.fromNode.id) onConnect(state.fromNode.id, target);
            },
          } : {})}
          elementsSelectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          fitView
          fitViewOptions={{ padding: 0.02 }}
          minZoom={0.1}
          maxZoom={2}
          onMoveStart={() => setTooltip(null)}
          proOptions={{ hideAttribution: false }}
        >
          <StickyColumns diagram={diagram} />
          <StickyLanes diagram={diagram} />
          <ZoomControls />
          {minimap && <ZoomedMiniMap />}
        </ReactFlow>
      </div>
      <Tooltip state={tooltip} />
    </CanvasContext.Provider>
  );
}

/** The overview map appears once the view is zoomed in far enough to need one. */
function ZoomedMiniMap() {
  const { t } = useLang();
  const { zoom } = useViewport();
  if (zoom < 0.55) return null;
  return (
    <MiniMap
      pannable
      zoomable
      style={{ width: 170, height: 110 }}
      ariaLabel={t.minimap}
      nodeColor={(n) => (n.type === 'state' ? '#94a3b8' : 'transparent')}
      nodeStrokeColor={(n) => (n.type === 'lane' ? '#cbd5e1' : 'transparent')}
      maskColor="rgba(240, 244, 248, 0.7)"
    />
  );
}

export function PathwayCanvas(props: PathwayCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

export { laneNodeId };
