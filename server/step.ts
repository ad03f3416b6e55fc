/**
 * `samverkan simulate --step PATHWAY`: step a synthetic case through a pathway by hand. Shows the
 * state per party, what may be done, deadlines and blockers; `save` writes a scenario file that
 * `samverkan simulate FILE` replays.
 */
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { addDuration, addWeekdays, formatLocal, localDateOf, localDateTime, localTimeOf, parseInstant, type Instant } from '../engine/calendar.ts';
import { applyEvent, createCase, shippedPathways, type CaseState } from '../engine/cases.ts';
import { caseView, type CaseView } from '../engine/caseView.ts';
import { TEST_PERSONNUMMER } from '../engine/personnummer.ts';
import { EVENT_LABELS, EVENT_TYPES, type PathwayId } from '../machines/events.ts';
import { PARTY_LABELS } from '../machines/parties.ts';

const HELP = `Kommandon:
  HÄNDELSE [fält=värde ...] | HÄNDELSE {json}   skicka en händelse, t.ex. ACKNOWLEDGE party=socialtjanst of=ADMISSION_NOTICE
  advance 1d | 3h | 30m | 2 weekdays            flytta klockan framåt
  at 2026-03-09T14:00                           sätt klockan (svensk tid)
  undo                                          ångra senaste steget
  save FIL.json                                 spara körningen som scenario
  view                                          hela ärendevyn som JSON
  help | quit`;

interface Frame {
  state: CaseState;
  clock: Instant;
  steps: Record<string, unknown>[];
}

function parseValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** Parses `TYPE a=b c=d` or `TYPE {json}` into an event object. */
export function parseCommandEvent(line: string): Record<string, unknown> | string {
  const [type, ...rest] = line.trim().split(/\s+/);
  if (!type || !(EVENT_TYPES as string[]).includes(type)) return `Okänd händelse: ${type}. Skriv help.`;
  const tail = line.trim().slice(type.length).trim();
  if (tail.startsWith('{')) {
    try {
      return { type, ...(JSON.parse(tail) as Record<string, unknown>) };
    } catch (error) {
      return `Ogiltig JSON: ${(error as Error).message}`;
    }
  }
  const event: Record<string, unknown> = { type };
  for (const pair of rest) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `Förväntade fält=värde, fick ${pair}`;
    event[pair.slice(0, eq)] = parseValue(pair.slice(eq + 1));
  }
  return event;
}

/** `1d`, `3h`, `30m`, `2 weekdays` → the new clock. */
export function advanceClock(clock: Instant, spec: string): Instant | string {
  const weekdays = spec.match(/^(\d+)\s*(weekdays?|vardagar?)$/);
  if (weekdays) return localDateTime(addWeekdays(localDateOf(clock), Number(weekdays[1])), localTimeOf(clock));
  const simple = spec.match(/^(\d+)\s*(d|h|m)$/);
  if (!simple) return `Okänd tidsangivelse: ${spec}`;
  const n = Number(simple[1]);
  if (simple[2] === 'd') return localDateTime(localDateOf(addDuration(clock, { days: n - 1 })), localTimeOf(clock));
  return addDuration(clock, { hours: simple[2] === 'h' ? n : n / 60 });
}

function render(view: CaseView, clock: Instant): string {
  const lines = [`\n── ${view.pathway} · ${view.status === 'closed' ? `avslutat (${view.closedReason})` : view.phase} · klockan ${formatLocal(clock)}`];
  for (const lane of view.lanes) lines.push(`  ${PARTY_LABELS[lane.party].sv.padEnd(30)} ${lane.label}${lane.lane.includes('.') ? ` [${lane.lane.split('.').at(-1)}]` : ''}`);
  if (view.expectedDischargeDate) lines.push(`  Beräknat utskrivningsdatum: ${view.expectedDischargeDate}`);
  const open = view.deadlines.filter((d) => d.status !== 'met' && d.status !== 'cancelled');
  if (open.length) {
    lines.push('  Tidsfrister:');
    for (const d of open) lines.push(`    ${d.status === 'overdue' ? 'FÖRSENAD' : 'pågår   '} ${d.rule.padEnd(5)} ${d.label} (${PARTY_LABELS[d.party].sv}) senast ${formatLocal(d.due)}`);
  }
  if (view.blockers.length) {
    lines.push('  Hinder:');
    for (const b of view.blockers.filter((x) => x.advances)) lines.push(`    ${b.event} – ${b.reason} [${b.rule}, ${PARTY_LABELS[b.party].sv}]`);
  }
  lines.push('  Möjliga händelser:');
  for (const a of view.allowedActions) {
    const match = a.match ? ' ' + Object.entries(a.match).map(([k, v]) => `${k}=${v}`).join(' ') : '';
    lines.push(`    ${a.event}${match}  – ${a.label} (${PARTY_LABELS[a.party].sv})`);
  }
  return lines.join('\n');
}

export async function stepSession(pathway: PathwayId, args: string[]): Promise<number> {
  const atArg = args.find((a) => a.startsWith('--at='))?.slice(5);
  const admittedAt = parseInstant(atArg ?? '2026-03-02T08:00') ?? '2026-03-02T07:00:00.000Z';
  const caseInput = {
    patient: { personnummer: TEST_PERSONNUMMER[0]!, name: 'Test Testsson', address: 'Testgatan 1, 123 45 Teststad' },
    kommun: args.find((a) => a.startsWith('--kommun='))?.slice(9) ?? 'Solna',
    admittedAt,
  };
  const created = createCase(shippedPathways, 'step', { pathway, ...caseInput });
  if (!created.ok) throw new Error('could not create the synthetic case');
  const history: Frame[] = [{ state: created.state, clock: admittedAt, steps: [] }];
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const current = () => history.at(-1)!;
  console.log(`Simulering av ${pathway} med syntetisk patient. ${HELP}`);
  console.log(render(caseView(shippedPathways, current().state, current().clock), current().clock));
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    const frame = current();
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'quit' || word === 'exit') break;
    if (word === 'help') { console.log(HELP); continue; }
    if (word === 'view') { console.log(JSON.stringify(caseView(shippedPathways, frame.state, frame.clock), null, 2)); continue; }
    if (word === 'undo') {
      if (history.length > 1) history.pop();
      else console.log('Inget att ångra.');
    } else if (word === 'save') {
      const file = rest[0];
      if (!file) { console.log('Ange filnamn: save FIL.json'); continue; }
      writeFileSync(file, `${JSON.stringify({ pathway: created.state.pathway, case: caseInput, steps: frame.steps }, null, 2)}\n`);
      console.log(`Sparade ${frame.steps.length} steg i ${file}`);
      continue;
    } else if (word === 'advance' || word === 'at') {
      const next = word === 'at' ? (parseInstant(rest.join(' ')) ?? `Ogiltig tidpunkt: ${rest.join(' ')}`) : advanceClock(frame.clock, rest.join(' '));
      if (!next.endsWith('Z') || next < frame.clock) { console.log(next < frame.clock ? 'Klockan kan bara gå framåt.' : next); continue; }
      history.push({ state: frame.state, clock: next, steps: [...frame.steps, { at: next }] });
    } else {
      const event = parseCommandEvent(line);
      if (typeof event === 'string') { console.log(event); continue; }
      const result = applyEvent(shippedPathways, frame.state, event, frame.clock);
      if (!result.ok) {
        console.log(result.kind === 'invalid' ? `Felaktig händelse: ${result.field}: ${result.message}` : `Avvisad (${result.rejected.rules.join(', ') || result.rejected.code}): ${result.rejected.message}`);
        continue;
      }
      console.log(`✓ ${EVENT_LABELS[event.type as keyof typeof EVENT_LABELS].sv}`);
      history.push({ state: result.state, clock: frame.clock, steps: [...frame.steps, { at: frame.clock, send: event }] });
    }
    console.log(render(caseView(shippedPathways, current().state, current().clock), current().clock));
  }
  rl.close();
  return 0;
}
