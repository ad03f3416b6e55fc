/**
 * A pathway definition (the very data the engine compiles) turned into a diagram that reads like
 * the routines' tables: one row per party (öppenvården with its two sub-lanes), the four phases as
 * columns left to right. Pure: no React, no DOM. ELK (layered, left to right, partitioned by phase)
 * lays out each lane; `placeDiagram` then aligns the phase columns across lanes by translating each
 * lane's phase slots, which keeps ELK's orthogonal edge routes orthogonal.
 */
import type { Edge, Node } from '@xyflow/react';
import type { ElkExtendedEdge, ElkLabel, ElkNode } from 'elkjs/lib/elk-api.js';
import type { PathwayDefinition, RegionDef, StateDef, TransitionDef } from '../../machines/definition.ts';
import type { PartyId, PhaseId } from '../../machines/parties.ts';

export const PHASES: readonly PhaseId[] = ['inskrivning', 'vardtid', 'utskrivningsklar', 'hemgang'];

/** Events lanes raise for each other (definition.ts INTERNAL_EVENTS); drawn as dashed reactions. */
export const INTERNAL_EVENTS: ReadonlySet<string> = new Set([
  'notice.sent', 'ready.declared', 'ready.revoked', 'discharged', 'sip.refused', 'case.reclassified',
]);

/** The row of case-level transitions (death, closing, reclassification) and the final state. */
export const CASE_ROW = 'arende';
export const FINAL_STATE = 'avslutad';

export type Lang = 'sv' | 'en';

export interface Bilingual {
  label: string;
  labelEn: string;
}

export interface TransitionInfo extends Bilingual {
  event: string;
  party: PartyId;
  rules: string[];
  guards: string[];
  match?: Record<string, string | boolean>;
  /** A reaction to another lane's internal event rather than a party's own move. */
  internal: boolean;
  /** The node it leaves from (a state, a lane's "any state" node, or the case row). */
  source: string;
  /** The node it leads to; absent when the transition only records a fact. */
  target?: string;
}

export type StateKind = 'state' | 'any' | 'final';

export interface StateInfo extends Bilingual {
  /** The leaf state string of /api/positions and the case view, e.g. `oppenvard.sip.kallad`. */
  id: string;
  kind: StateKind;
  row: string;
  key: string;
  party: PartyId | 'case';
  phase: PhaseId;
  rules: string[];
  description?: string;
  /** Transitions that keep the state (they record facts): shown in the details, not as edges. */
  records: TransitionInfo[];
}

export interface RowInfo extends Bilingual {
  id: string;
  parent: string | null;
  party: PartyId | 'case';
  /** Whether the row holds states (a lane without sub-lanes, a sub-lane, the case row). */
  leaf: boolean;
  /** Region-level transitions that keep the state: possible in every state of the lane. */
  records: TransitionInfo[];
}

export interface EdgeInfo extends Bilingual {
  id: string;
  source: string;
  target: string;
  kind: 'action' | 'reaction';
  /** One edge per (source, target, kind); parallel transitions are listed here. */
  transitions: TransitionInfo[];
}

export interface PathwayModel {
  id: string;
  rows: RowInfo[];
  states: StateInfo[];
  edges: EdgeInfo[];
}

const TEXTS = {
  any: { label: 'Alla tillstånd', labelEn: 'Any state' },
  caseRow: { label: 'Ärendet (alla parter)', labelEn: 'The case (all parties)' },
  final: { label: 'Avslutat', labelEn: 'Closed' },
};

function info(t: TransitionDef, source: string, target: string | undefined): TransitionInfo {
  return {
    event: t.event,
    label: t.meta.label,
    labelEn: t.meta.labelEn,
    party: t.meta.party,
    rules: [...t.meta.rules],
    guards: (t.guards ?? []).map((g) => g.type),
    ...(t.match ? { match: { ...t.match } } : {}),
    internal: INTERNAL_EVENTS.has(t.event),
    source,
    ...(target ? { target } : {}),
  };
}

/** Resolves a transition target as XState does for our definitions: sibling key, `.child`, `#avslutad`. */
export function resolveTarget(regionPath: string, target: string | undefined): string | undefined {
  if (!target) return undefined;
  if (target === `#${FINAL_STATE}`) return FINAL_STATE;
  if (target.startsWith('.')) return `${regionPath}.${target.slice(1)}`;
  return `${regionPath}.${target}`;
}

const uniq = <T>(values: T[]): T[] => [...new Set(values)];

/** The structure of a definition: rows, states and merged edges (no geometry). */
export function buildModel(definition: PathwayDefinition): PathwayModel {
  const rows: RowInfo[] = [];
  const states: StateInfo[] = [];
  const transitions: TransitionInfo[] = [];

  const anyNode = (row: string, party: PartyId | 'case'): StateInfo => {
    const existing = states.find((s) => s.id === `${row}.*`);
    if (existing) return existing;
    const node: StateInfo = { id: `${row}.*`, kind: 'any', row, key: '*', party, phase: 'inskrivning', rules: [], records: [], ...TEXTS.any };
    states.push(node);
    return node;
  };

  const visit = (region: RegionDef, path: string, parent: string | null) => {
    const row: RowInfo = { id: path, parent, party: region.meta.party, leaf: !region.regions, records: [], label: region.meta.label, labelEn: region.meta.labelEn };
    rows.push(row);
    if (region.regions) {
      for (const [key, sub] of Object.entries(region.regions)) visit(sub, `${path}.${key}`, path);
    } else {
      for (const [key, state] of Object.entries(region.states) as [string, StateDef][]) {
        const id = `${path}.${key}`;
        const node: StateInfo = {
          id, kind: 'state', row: path, key, party: state.meta.party, phase: state.meta.phase, rules: [...state.meta.rules],
          label: state.meta.label, labelEn: state.meta.labelEn, records: [],
          ...(state.meta.description ? { description: state.meta.description } : {}),
        };
        states.push(node);
        for (const t of state.on ?? []) {
          const target = resolveTarget(path, t.target);
          if (target) transitions.push(info(t, id, target));
          else node.records.push(info(t, id, undefined));
        }
      }
    }
    for (const t of region.on ?? []) {
      const target = resolveTarget(path, t.target);
      if (target) transitions.push(info(t, anyNode(path, region.meta.party).id, target));
      else row.records.push(info(t, path, undefined));
    }
  };
  for (const [key, lane] of Object.entries(definition.lanes)) visit(lane, key, null);

  const caseRow: RowInfo = { id: CASE_ROW, parent: null, party: 'case', leaf: true, records: [], ...TEXTS.caseRow };
  rows.push(caseRow);
  for (const t of definition.on) {
    const target = resolveTarget(CASE_ROW, t.target);
    if (target) transitions.push(info(t, anyNode(CASE_ROW, 'case').id, target));
    else caseRow.records.push(info(t, CASE_ROW, undefined));
  }
  if (transitions.some((t) => t.target === FINAL_STATE)) {
    states.push({ id: FINAL_STATE, kind: 'final', row: CASE_ROW, key: FINAL_STATE, party: 'case', phase: 'hemgang', rules: [], records: [], ...TEXTS.final });
  }

  const known = new Set(states.map((s) => s.id));
  const edges = new Map<string, EdgeInfo>();
  for (const t of transitions) {
    if (!t.target || !known.has(t.target)) continue;
    const kind = t.internal ? 'reaction' : 'action';
    const id = `${t.source}->${t.target}:${kind}`;
    const edge = edges.get(id) ?? { id, source: t.source, target: t.target, kind, transitions: [], label: '', labelEn: '' };
    edge.transitions.push(t);
    edge.label = uniq(edge.transitions.map((x) => x.label)).join(' / ');
    edge.labelEn = uniq(edge.transitions.map((x) => x.labelEn)).join(' / ');
    edges.set(id, edge);
  }
  return { id: definition.id, rows, states, edges: [...edges.values()] };
}

// ---------------------------------------------------------------------------------------------
// Sizes: estimated from the text so ELK can reserve room; the components use the same widths.

export const SIZES = {
  stateWidth: 170,
  labelMaxChars: 17,
  labelCharPx: 6.2,
  labelLinePx: 13,
  stateCharsPerLine: 17,
  stateLinePx: 16,
  gutter: 150,
  header: 56,
  colPad: 18,
  minColumn: 210,
  rowGap: 0,
  leafPadTop: 30,
  leafPadBottom: 16,
  minRowHeight: 96,
} as const;

/** Greedy word wrap at `max` characters per line (long words stay whole). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

export function labelBox(text: string): { width: number; height: number; lines: string[] } {
  const lines = wrap(text, SIZES.labelMaxChars);
  const longest = Math.max(...lines.map((l) => l.length));
  return { width: Math.ceil(longest * SIZES.labelCharPx + 12), height: lines.length * SIZES.labelLinePx + 6, lines };
}

export function stateSize(state: StateInfo, lang: Lang): { width: number; height: number } {
  if (state.kind !== 'state') return { width: 120, height: 48 };
  const lines = Math.min(3, wrap(text(state, lang), SIZES.stateCharsPerLine).length);
  return { width: SIZES.stateWidth, height: 22 + lines * SIZES.stateLinePx + 30 + 10 };
}

export const text = (item: Bilingual, lang: Lang): string => (lang === 'en' ? item.labelEn : item.label);

// ---------------------------------------------------------------------------------------------
// ELK graph: the lanes as compound nodes (öppenvård's sub-lanes nested), states inside.

const LEAF_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.partitioning.activate': 'true',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.spacing.nodeNodeBetweenLayers': '26',
  'elk.layered.thoroughness': '3',
  'elk.layered.spacing.edgeNodeBetweenLayers': '10',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeLabel': '3',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.json.edgeCoords': 'CONTAINER',
  'elk.json.shapeCoords': 'PARENT',
  'elk.padding': `[top=${SIZES.leafPadTop},left=12,bottom=${SIZES.leafPadBottom},right=12]`,
};

const GROUP_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.json.shapeCoords': 'PARENT',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
};

/** Builds ELK's input. Edges between rows (GRÅ's discharge to the closed case) are left to `placeDiagram`. */
export function elkGraph(model: PathwayModel, lang: Lang): ElkNode {
  const rowOf = new Map(model.states.map((s) => [s.id, s.row]));
  const build = (row: RowInfo): ElkNode => {
    if (!row.leaf) {
      return { id: `row:${row.id}`, layoutOptions: GROUP_OPTIONS, children: model.rows.filter((r) => r.parent === row.id).map(build) };
    }
    const children: ElkNode[] = model.states.filter((s) => s.row === row.id).map((s) => ({
      id: s.id,
      ...stateSize(s, lang),
      layoutOptions: { 'elk.partitioning.partition': String(PHASES.indexOf(s.phase)) },
    }));
    const edges: ElkExtendedEdge[] = model.edges
      .filter((e) => rowOf.get(e.source) === row.id && rowOf.get(e.target) === row.id)
      .map((e) => {
        // Reactions (dashed) carry no label in the layout: they would double the width of the
        // admission column with repeats of "Tar emot inskrivningsmeddelande". A marker on the
        // line names them on hover and focus.
        if (e.kind === 'reaction') return { id: e.id, sources: [e.source], targets: [e.target] };
        const box = labelBox(text(e, lang));
        const label: ElkLabel = { id: `label:${e.id}`, text: text(e, lang), width: box.width, height: box.height };
        return { id: e.id, sources: [e.source], targets: [e.target], labels: [label] };
      });
    return { id: `row:${row.id}`, layoutOptions: LEAF_OPTIONS, children, edges };
  };
  return {
    id: 'root',
    layoutOptions: GROUP_OPTIONS,
    children: model.rows.filter((r) => r.parent === null).map(build),
  };
}

// ---------------------------------------------------------------------------------------------
// Placement: the routine's table. Columns are the phases, rows the parties.

export interface Point {
  x: number;
  y: number;
}

export interface PlacedColumn extends Bilingual {
  phase: PhaseId;
  x: number;
  width: number;
}

export interface PlacedRow {
  row: RowInfo;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedState {
  state: StateInfo;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: EdgeInfo;
  points: Point[];
  label: { x: number; y: number; width: number; height: number; lines: string[] } | null;
  /** Where an unlabelled (reaction) edge shows its marker: the middle of its longest segment. */
  marker: Point | null;
}

/** The middle of a polyline's longest segment. */
export function markerPoint(points: Point[]): Point | null {
  let best: Point | null = null;
  let longest = -1;
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length > longest) {
      longest = length;
      best = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
  }
  return best;
}

export interface Diagram {
  pathway: string;
  lang: Lang;
  width: number;
  height: number;
  columns: PlacedColumn[];
  rows: PlacedRow[];
  states: PlacedState[];
  edges: PlacedEdge[];
}

export const PHASE_TEXTS: Record<PhaseId, Bilingual> = {
  inskrivning: { label: 'Inskrivning', labelEn: 'Admission' },
  vardtid: { label: 'Vårdtid', labelEn: 'Inpatient stay' },
  utskrivningsklar: { label: 'Utskrivningsklar', labelEn: 'Ready for discharge' },
  hemgang: { label: 'Hemgång och uppföljning', labelEn: 'Discharge and follow-up' },
};

interface LeafLayout {
  row: string;
  node: ElkNode;
  /** Phase index → min x of that phase's nodes (lane-local). */
  starts: Map<number, number>;
  /** Phase index → right edge of that phase's right-most node (lane-local). */
  nodesRight: Map<number, number>;
  /** Right-most x used by anything in the lane (lane-local). */
  right: number;
}

function collectLeaves(node: ElkNode, out: Map<string, ElkNode>): void {
  for (const child of node.children ?? []) {
    if (child.id.startsWith('row:')) {
      const hasStates = (child.children ?? []).some((c) => !c.id.startsWith('row:'));
      if (hasStates || (child.children ?? []).length === 0) out.set(child.id.slice(4), child);
      collectLeaves(child, out);
    }
  }
}

function allPoints(edge: ElkExtendedEdge): Point[] {
  const points: Point[] = [];
  for (const section of edge.sections ?? []) {
    if (points.length === 0) points.push(section.startPoint);
    points.push(...(section.bendPoints ?? []), section.endPoint);
  }
  return points;
}

/** The phase slot a lane-local x falls in: the last present phase starting at or before x. */
function slotOf(starts: [number, number][], x: number): [number, number] {
  let slot = starts[0]!;
  for (const s of starts) if (s[1] <= x + 0.5) slot = s;
  return slot;
}

/**
 * Column widths: each phase's states fit in their own column; a lane's whole slot (the states and
 * the edges and labels up to its next phase) fits in the columns up to that phase.
 */
function columnWidths(leaves: LeafLayout[]): number[] {
  const widths: number[] = PHASES.map((): number => SIZES.minColumn);
  const spans: { from: number; to: number; need: number }[] = [];
  for (const leaf of leaves) {
    const starts = [...leaf.starts.entries()].sort((a, b) => a[0] - b[0]);
    starts.forEach(([phase, start], i) => {
      const next = starts[i + 1];
      widths[phase] = Math.max(widths[phase]!, (leaf.nodesRight.get(phase) ?? start) - start + 2 * SIZES.colPad);
      const need = next ? next[1] - start : leaf.right - start + 2 * SIZES.colPad;
      spans.push({ from: phase, to: next ? next[0] - 1 : PHASES.length - 1, need });
    });
  }
  spans.sort((a, b) => a.to - a.from - (b.to - b.from));
  for (const span of spans) {
    const have = widths.slice(span.from, span.to + 1).reduce((a, b) => a + b, 0);
    if (have < span.need) widths[span.to] = widths[span.to]! + span.need - have;
  }
  return widths;
}

/** Aligns ELK's per-lane layout into the table: phase columns across, party rows down. */
export function placeDiagram(model: PathwayModel, laidOut: ElkNode, lang: Lang): Diagram {
  const leavesById = new Map<string, ElkNode>();
  collectLeaves(laidOut, leavesById);
  const phaseOf = new Map(model.states.map((s) => [s.id, PHASES.indexOf(s.phase)]));

  const leaves: LeafLayout[] = [];
  for (const row of model.rows.filter((r) => r.leaf)) {
    const node = leavesById.get(row.id);
    if (!node) continue;
    const starts = new Map<number, number>();
    const nodesRight = new Map<number, number>();
    let right = 0;
    for (const child of node.children ?? []) {
      const phase = phaseOf.get(child.id) ?? 0;
      const childRight = (child.x ?? 0) + (child.width ?? 0);
      starts.set(phase, Math.min(starts.get(phase) ?? Infinity, child.x ?? 0));
      nodesRight.set(phase, Math.max(nodesRight.get(phase) ?? 0, childRight));
      right = Math.max(right, childRight);
    }
    for (const edge of node.edges ?? []) {
      for (const p of allPoints(edge)) right = Math.max(right, p.x);
      for (const l of edge.labels ?? []) right = Math.max(right, (l.x ?? 0) + (l.width ?? 0));
    }
    if (starts.size === 0) starts.set(0, 0);
    leaves.push({ row: row.id, node, starts, nodesRight, right });
  }

  const widths = columnWidths(leaves);
  const columns: PlacedColumn[] = [];
  let x = SIZES.gutter;
  PHASES.forEach((phase, i) => {
    columns.push({ phase, x, width: widths[i]!, ...PHASE_TEXTS[phase] });
    x += widths[i]!;
  });
  const width = x;

  const leafById = new Map(leaves.map((l) => [l.row, l]));
  const rows: PlacedRow[] = [];
  const states: PlacedState[] = [];
  const edges: PlacedEdge[] = [];
  const statesById = new Map<string, PlacedState>();
  const modelStates = new Map(model.states.map((s) => [s.id, s]));
  const modelEdges = new Map(model.edges.map((e) => [e.id, e]));

  let y = SIZES.header;
  const placeRow = (row: RowInfo, top: number): number => {
    if (!row.leaf) {
      let inner = top;
      for (const sub of model.rows.filter((r) => r.parent === row.id)) inner += placeRow(sub, inner);
      const height = inner - top;
      rows.push({ row, x: 0, y: top, width, height });
      return height;
    }
    const leaf = leafById.get(row.id);
    const height = Math.max(SIZES.minRowHeight, leaf?.node.height ?? 0);
    rows.push({ row, x: row.parent ? SIZES.gutter : 0, y: top, width: row.parent ? width - SIZES.gutter : width, height });
    if (!leaf) return height;
    const starts = [...leaf.starts.entries()].sort((a, b) => a[0] - b[0]);
    const mapX = (lx: number) => {
      const [phase, start] = slotOf(starts, lx);
      return columns[phase]!.x + SIZES.colPad + (lx - start);
    };
    const mapY = (ly: number) => top + ly;
    for (const child of leaf.node.children ?? []) {
      const state = modelStates.get(child.id);
      if (!state) continue;
      const placed: PlacedState = { state, x: mapX(child.x ?? 0), y: mapY(child.y ?? 0), width: child.width ?? 0, height: child.height ?? 0 };
      states.push(placed);
      statesById.set(state.id, placed);
    }
    for (const elkEdge of leaf.node.edges ?? []) {
      const edge = modelEdges.get(elkEdge.id ?? '');
      if (!edge) continue;
      const points = allPoints(elkEdge).map((p) => ({ x: mapX(p.x), y: mapY(p.y) }));
      const l = elkEdge.labels?.[0];
      const label = l
        ? { x: mapX((l.x ?? 0) + (l.width ?? 0) / 2) - (l.width ?? 0) / 2, y: mapY(l.y ?? 0), width: l.width ?? 0, height: l.height ?? 0, lines: labelBox(text(edge, lang)).lines }
        : null;
      edges.push({ edge, points, label, marker: label ? null : markerPoint(points) });
    }
    return height;
  };
  for (const row of model.rows.filter((r) => r.parent === null)) y += placeRow(row, y) + SIZES.rowGap;

  // Edges between rows (e.g. GRÅ: the discharge closes the case): a plain orthogonal route.
  const routed = new Set(edges.map((e) => e.edge.id));
  for (const edge of model.edges) {
    if (routed.has(edge.id)) continue;
    const from = statesById.get(edge.source);
    const to = statesById.get(edge.target);
    if (!from || !to) continue;
    const start = { x: from.x + from.width, y: from.y + from.height / 2 };
    const end = { x: to.x, y: to.y + to.height / 2 };
    const midX = Math.max(start.x + 24, end.x - 28);
    const points = [start, { x: midX, y: start.y }, { x: midX, y: end.y }, end];
    const box = labelBox(text(edge, lang));
    const label = edge.kind === 'reaction' ? null : { x: midX + 6, y: start.y + (end.y - start.y) / 2 - box.height / 2, width: box.width, height: box.height, lines: box.lines };
    edges.push({ edge, points, label, marker: label ? null : markerPoint(points) });
  }

  rows.sort((a, b) => model.rows.indexOf(a.row) - model.rows.indexOf(b.row));
  states.sort((a, b) => model.rows.findIndex((r) => r.id === a.state.row) - model.rows.findIndex((r) => r.id === b.state.row) || a.x - b.x || a.y - b.y);
  return { pathway: model.id, lang, width, height: y, columns, rows, states, edges };
}

/** FNV-1a over ELK's input: equal inputs give equal layouts, so a layout can be looked up by it. */
export function graphKey(input: ElkNode): string {
  const json = JSON.stringify(input);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
  }
  return `${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}${json.length.toString(36)}`;
}

/** Only what `placeDiagram` reads of ELK's output: ids, geometry, edge sections and label boxes. */
export function slimLayout(node: ElkNode): ElkNode {
  const r = (v: number | undefined) => Math.round((v ?? 0) * 100) / 100;
  return {
    id: node.id, x: r(node.x), y: r(node.y), width: r(node.width), height: r(node.height),
    ...(node.children?.length ? { children: node.children.map(slimLayout) } : {}),
    ...(node.edges?.length ? {
      edges: node.edges.map((e) => ({
        id: e.id, sources: e.sources, targets: e.targets,
        sections: (e.sections ?? []).map((s) => ({
          id: s.id, startPoint: { x: r(s.startPoint.x), y: r(s.startPoint.y) }, endPoint: { x: r(s.endPoint.x), y: r(s.endPoint.y) },
          ...(s.bendPoints?.length ? { bendPoints: s.bendPoints.map((p) => ({ x: r(p.x), y: r(p.y) })) } : {}),
        })),
        ...(e.labels?.length ? { labels: e.labels.map((l) => ({ x: r(l.x), y: r(l.y), width: r(l.width), height: r(l.height) })) } : {}),
      })),
    } : {}),
  };
}

export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/**
 * Definition → laid-out table diagram. `known` holds ELK's earlier answers by input (see
 * `graphKey`); a definition whose ELK input is not among them is laid out by ELK.
 */
export async function layoutPathway(definition: PathwayDefinition, elk: ElkLike | (() => ElkLike), lang: Lang, known: Record<string, ElkNode> = {}): Promise<Diagram> {
  const model = buildModel(definition);
  const input = elkGraph(model, lang);
  const laidOut = known[graphKey(input)] ?? (await (typeof elk === 'function' ? elk() : elk).layout(input));
  return placeDiagram(model, laidOut, lang);
}

/** The leaf state ids a case is in (`lanes` of the case view) — the ids of the diagram's states. */
export function currentStateIds(lanes: { lane: string; state: string }[], status?: string): Set<string> {
  const ids = new Set(lanes.map((l) => `${l.lane}.${l.state}`));
  if (status === 'closed') ids.add(FINAL_STATE);
  return ids;
}

/** Rounded orthogonal SVG path through a polyline. */
export function roundedPath(points: Point[], radius = 8): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M ${first!.x} ${first!.y}`;
  for (let i = 0; i < rest.length; i += 1) {
    const current = rest[i]!;
    const next = rest[i + 1];
    const previous = i === 0 ? first! : rest[i - 1]!;
    if (!next) {
      d += ` L ${current.x} ${current.y}`;
      break;
    }
    const inLen = Math.hypot(current.x - previous.x, current.y - previous.y);
    const outLen = Math.hypot(next.x - current.x, next.y - current.y);
    const r = Math.min(radius, inLen / 2, outLen / 2);
    const before = { x: current.x - ((current.x - previous.x) / (inLen || 1)) * r, y: current.y - ((current.y - previous.y) / (inLen || 1)) * r };
    const after = { x: current.x + ((next.x - current.x) / (outLen || 1)) * r, y: current.y + ((next.y - current.y) / (outLen || 1)) * r };
    d += ` L ${before.x} ${before.y} Q ${current.x} ${current.y} ${after.x} ${after.y}`;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// React Flow: lanes as parent (group) nodes, sub-lanes nested, states inside with relative positions.


export type ColumnNode = Node<{ column: PlacedColumn; index: number; height: number }, 'column'>;
export type LaneNode = Node<{ row: RowInfo; depth: number }, 'lane'>;
export type StateNode = Node<{ state: StateInfo }, 'state'>;
export type FlowNode = ColumnNode | LaneNode | StateNode;
export type RouteEdge = Edge<{ edge: EdgeInfo; points: Point[]; label: PlacedEdge['label']; marker: Point | null }, 'route'>;

export const laneNodeId = (row: string): string => `lane:${row}`;

export function toFlow(diagram: Diagram): { nodes: FlowNode[]; edges: RouteEdge[] } {
  const nodes: FlowNode[] = [];
  diagram.columns.forEach((column, index) => {
    nodes.push({
      id: `col:${column.phase}`, type: 'column', position: { x: column.x, y: 0 }, width: column.width, height: diagram.height,
      data: { column, index, height: diagram.height }, draggable: false, selectable: false, focusable: false, zIndex: -1,
    });
  });
  const placedRows = new Map(diagram.rows.map((r) => [r.row.id, r]));
  // Parents first: React Flow needs a parent node before its children.
  const depthOf = (row: RowInfo): number => (row.parent ? 1 + depthOf(placedRows.get(row.parent)!.row) : 0);
  const ordered = [...diagram.rows].sort((a, b) => depthOf(a.row) - depthOf(b.row));
  for (const placed of ordered) {
    const parent = placed.row.parent ? placedRows.get(placed.row.parent) : undefined;
    nodes.push({
      id: laneNodeId(placed.row.id), type: 'lane',
      position: parent ? { x: placed.x - parent.x, y: placed.y - parent.y } : { x: placed.x, y: placed.y },
      width: placed.width, height: placed.height,
      ...(parent ? { parentId: laneNodeId(parent.row.id), extent: 'parent' as const } : {}),
      data: { row: placed.row, depth: depthOf(placed.row) },
      draggable: false, selectable: false, focusable: false,
    });
  }
  for (const placed of diagram.states) {
    const row = placedRows.get(placed.state.row)!;
    nodes.push({
      id: placed.state.id, type: 'state', parentId: laneNodeId(row.row.id), extent: 'parent',
      position: { x: placed.x - row.x, y: placed.y - row.y }, width: placed.width, height: placed.height,
      data: { state: placed.state }, draggable: false, selectable: false, focusable: false,
    });
  }
  const edges: RouteEdge[] = diagram.edges.map((e) => ({
    id: e.edge.id, source: e.edge.source, target: e.edge.target, type: 'route',
    data: { edge: e.edge, points: e.points, label: e.label, marker: e.marker }, focusable: false, selectable: false,
  }));
  return { nodes, edges };
}
