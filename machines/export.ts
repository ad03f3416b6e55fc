/**
 * A pathway version for other tools (issue 6): BPMN 2.0 XML with one lane per party (sub-lanes
 * flattened, e.g. "Öppenvården – SIP") and diagram coordinates so bpmn.io and Camunda Modeler draw
 * it, and SCXML (a parallel state per lane). Both are views: guards and actions become
 * documentation, and region-wide transitions (acknowledgements handled in every state) are left
 * out of BPMN. The lossless format is the JSON definition itself.
 */
import { PHASE_IDS } from './parties.ts';
import type { PathwayDefinition, RegionDef, StateDef, TransitionDef } from './definition.ts';

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const xmlId = (text: string) => text.replace(/[^A-Za-z0-9_]/g, '_');

interface FlatLane {
  path: string;
  label: string;
  region: RegionDef & { initial: string; states: Record<string, StateDef> };
}

function flatLanes(definition: PathwayDefinition): FlatLane[] {
  const out: FlatLane[] = [];
  const visit = (region: RegionDef, path: string, label: string) => {
    if (region.regions) {
      for (const [k, sub] of Object.entries(region.regions)) visit(sub, `${path}.${k}`, `${label} – ${sub.meta.label}`);
    } else {
      out.push({ path, label, region: region as FlatLane['region'] });
    }
  };
  for (const [k, lane] of Object.entries(definition.lanes)) visit(lane, k, lane.meta.label);
  return out;
}

const describe = (t: TransitionDef) => [
  `${t.event}${t.match ? ` ${JSON.stringify(t.match)}` : ''}`,
  t.guards?.length ? `villkor: ${t.guards.map((g) => g.type).join(', ')}` : '',
  t.meta.rules.length ? `regler: ${t.meta.rules.join(', ')}` : '',
].filter(Boolean).join('; ');

const TASK = { w: 120, h: 64, gapX: 30, laneH: 110, laneLabel: 30, startW: 36 };

/** BPMN 2.0 XML of a pathway version, with lanes per party and a simple left-to-right layout by phase. */
export function toBpmn(definition: PathwayDefinition): string {
  const lanes = flatLanes(definition);
  const pid = `Process_${xmlId(definition.id)}_v${definition.version}`;
  const nodeId = (lane: string, state: string) => `Task_${xmlId(lane)}__${xmlId(state)}`;
  // Columns: per phase, as many slots as the busiest lane has states in it.
  const slots = PHASE_IDS.map((phase) => Math.max(1, ...lanes.map((l) => Object.values(l.region.states).filter((s) => s.meta.phase === phase).length)));
  const phaseX: number[] = [];
  let x = TASK.laneLabel + TASK.startW + 40;
  for (const n of slots) {
    phaseX.push(x);
    x += n * (TASK.w + TASK.gapX) + 20;
  }
  const width = x + TASK.startW + 40;
  const endX = x;
  const shapes: string[] = [];
  const edges: string[] = [];
  const elements: string[] = [];
  const laneXml: string[] = [];
  const pos = new Map<string, { x: number; y: number; w: number; h: number }>();
  let flow = 0;
  const endId = `End_${xmlId(definition.id)}`;
  lanes.forEach((lane, i) => {
    const y = i * TASK.laneH;
    const refs: string[] = [];
    const startId = `Start_${xmlId(lane.path)}`;
    refs.push(startId);
    elements.push(`    <bpmn:startEvent id="${startId}" name="${xml(lane.label)}" />`);
    pos.set(startId, { x: TASK.laneLabel + 20, y: y + (TASK.laneH - TASK.startW) / 2, w: TASK.startW, h: TASK.startW });
    const used = new Map<string, number>();
    for (const [key, state] of Object.entries(lane.region.states)) {
      const id = nodeId(lane.path, key);
      refs.push(id);
      const phase = PHASE_IDS.indexOf(state.meta.phase);
      const slot = used.get(state.meta.phase) ?? 0;
      used.set(state.meta.phase, slot + 1);
      pos.set(id, { x: phaseX[phase]! + slot * (TASK.w + TASK.gapX), y: y + (TASK.laneH - TASK.h) / 2, w: TASK.w, h: TASK.h });
      const docs = [`${state.meta.party}, ${state.meta.phase}`, state.meta.rules.length ? `regler: ${state.meta.rules.join(', ')}` : ''].filter(Boolean).join('; ');
      elements.push(`    <bpmn:userTask id="${id}" name="${xml(state.meta.label)}"><bpmn:documentation>${xml(docs)}</bpmn:documentation></bpmn:userTask>`);
    }
    const flows: [string, string, string, string][] = [[startId, nodeId(lane.path, lane.region.initial), '', '']];
    for (const [key, state] of Object.entries(lane.region.states)) {
      for (const t of state.on ?? []) {
        if (!t.target) continue;
        const target = t.target === '#avslutad' ? endId : lane.region.states[t.target] ? nodeId(lane.path, t.target) : null;
        if (target) flows.push([nodeId(lane.path, key), target, t.meta.label, describe(t)]);
      }
    }
    for (const [source, target, name, docs] of flows) {
      flow += 1;
      const id = `Flow_${flow}`;
      elements.push(`    <bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"${name ? ` name="${xml(name)}"` : ''}>${docs ? `<bpmn:documentation>${xml(docs)}</bpmn:documentation>` : ''}</bpmn:sequenceFlow>`);
      edges.push(`${id}|${source}|${target}`);
    }
    laneXml.push(`      <bpmn:lane id="Lane_${xmlId(lane.path)}" name="${xml(lane.label)}">\n${refs.map((r) => `        <bpmn:flowNodeRef>${r}</bpmn:flowNodeRef>`).join('\n')}\n      </bpmn:lane>`);
    shapes.push(`      <bpmndi:BPMNShape id="Lane_${xmlId(lane.path)}_di" bpmnElement="Lane_${xmlId(lane.path)}" isHorizontal="true"><dc:Bounds x="${TASK.laneLabel}" y="${y}" width="${width - TASK.laneLabel}" height="${TASK.laneH}" /></bpmndi:BPMNShape>`);
  });
  const totalH = lanes.length * TASK.laneH;
  elements.push(`    <bpmn:endEvent id="${endId}" name="Avslutat" />`);
  pos.set(endId, { x: endX, y: totalH / 2 - TASK.startW / 2, w: TASK.startW, h: TASK.startW });
  // The end event belongs to the inpatient lane (the ward closes the case).
  laneXml[0] = laneXml[0]!.replace('      </bpmn:lane>', `        <bpmn:flowNodeRef>${endId}</bpmn:flowNodeRef>\n      </bpmn:lane>`);
  for (const [id, p] of pos) {
    shapes.push(`      <bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${p.x}" y="${Math.round(p.y)}" width="${p.w}" height="${p.h}" /></bpmndi:BPMNShape>`);
  }
  for (const edge of edges) {
    const [id, source, target] = edge.split('|') as [string, string, string];
    const a = pos.get(source)!;
    const b = pos.get(target)!;
    const points = a.x <= b.x
      ? [[a.x + a.w, a.y + a.h / 2], [b.x, b.y + b.h / 2]]
      : [[a.x + a.w / 2, a.y], [a.x + a.w / 2, a.y - 12], [b.x + b.w / 2, a.y - 12], [b.x + b.w / 2, b.y]];
    shapes.push(`      <bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}">${points.map(([px, py]) => `<di:waypoint x="${Math.round(px!)}" y="${Math.round(py!)}" />`).join('')}</bpmndi:BPMNEdge>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Definitions_${xmlId(definition.id)}_v${definition.version}" targetNamespace="https://samverkan.invalid/pathways/${xml(definition.id)}/${definition.version}" exporter="Samverkan" exporterVersion="${definition.version}">
  <bpmn:collaboration id="Collaboration_${xmlId(definition.id)}">
    <bpmn:participant id="Participant_${xmlId(definition.id)}" name="${xml(`${definition.label} (version ${definition.version})`)}" processRef="${pid}" />
  </bpmn:collaboration>
  <bpmn:process id="${pid}" name="${xml(definition.label)}" isExecutable="false">
    <bpmn:documentation>${xml(definition.description)}</bpmn:documentation>
    <bpmn:laneSet id="LaneSet_${xmlId(definition.id)}">
${laneXml.join('\n')}
    </bpmn:laneSet>
${elements.join('\n')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_${xmlId(definition.id)}">
    <bpmndi:BPMNPlane id="Plane_${xmlId(definition.id)}" bpmnElement="Collaboration_${xmlId(definition.id)}">
      <bpmndi:BPMNShape id="Participant_${xmlId(definition.id)}_di" bpmnElement="Participant_${xmlId(definition.id)}" isHorizontal="true"><dc:Bounds x="0" y="0" width="${width}" height="${totalH}" /></bpmndi:BPMNShape>
${shapes.join('\n')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** SCXML of a pathway version: `aktiv` is a parallel state with one region per lane; `avslutad` is final. */
export function toScxml(definition: PathwayDefinition): string {
  const id = (path: string) => xmlId(path);
  const transition = (t: TransitionDef, lanePath: string, indent: string) => {
    const target = t.target === undefined ? '' : t.target === '#avslutad' ? ' target="avslutad"' : t.target.startsWith('.') ? ` target="${id(`${lanePath}.${t.target.slice(1)}`)}"` : ` target="${id(`${lanePath}.${t.target}`)}"`;
    const cond = [...Object.entries(t.match ?? {}).map(([k, v]) => `_event.data.${k} == ${JSON.stringify(v)}`), ...(t.guards ?? []).map((g) => `In('${g.type}')`)].join(' &amp;&amp; ');
    return `${indent}<transition event="${xml(t.event)}"${target}${cond ? ` cond="${cond.replace(/"/g, '&quot;')}"` : ''}><!-- ${xml(t.meta.label).replace(/--/g, '–')} (${t.meta.rules.join(', ')}) --></transition>`;
  };
  const region = (r: RegionDef, path: string, indent: string): string => {
    const lines: string[] = [];
    if (r.regions) {
      lines.push(`${indent}<parallel id="${id(path)}">`);
      for (const t of r.on ?? []) lines.push(transition(t, path, `${indent}  `));
      for (const [k, sub] of Object.entries(r.regions)) lines.push(region(sub, `${path}.${k}`, `${indent}  `));
      lines.push(`${indent}</parallel>`);
      return lines.join('\n');
    }
    lines.push(`${indent}<state id="${id(path)}" initial="${id(`${path}.${r.initial}`)}">`);
    for (const t of r.on ?? []) lines.push(transition(t, path, `${indent}  `));
    for (const [k, s] of Object.entries(r.states)) {
      lines.push(`${indent}  <state id="${id(`${path}.${k}`)}"><!-- ${xml(s.meta.label).replace(/--/g, '–')} · ${s.meta.party} · ${s.meta.phase} -->`);
      for (const t of s.on ?? []) lines.push(transition(t, path, `${indent}    `));
      lines.push(`${indent}  </state>`);
    }
    lines.push(`${indent}</state>`);
    return lines.join('\n');
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="${xml(definition.id)}" initial="aktiv">
  <!-- ${xml(definition.label).replace(/--/g, '–')}, version ${definition.version} -->
  <parallel id="aktiv">
${definition.on.map((t) => transition(t, 'aktiv', '    ')).join('\n')}
${Object.entries(definition.lanes).map(([k, r]) => region(r, k, '    ')).join('\n')}
  </parallel>
  <final id="avslutad" />
</scxml>
`;
}
