/**
 * "Att göra" (issue 9): what one party owes on one case now, from the case view the party may see.
 * A row is an open deadline of the party (pending or overdue, K-7), or, on a case where it has
 * none, the blockers naming the party that hold the case back; each row carries the action that meets it, taken from the machine's
 * own allowed actions (the transition whose rules include the deadline's rule), so the list can
 * never offer a move the machine would refuse.
 */
import { EVENT_LABELS } from '../machines/events.ts';
import { getGuard } from '../machines/guards.ts';
import type { PartyId } from '../machines/parties.ts';
import { getRule } from '../machines/rules.ts';
import type { GatedCaseView } from './access.ts';
import type { Instant } from './calendar.ts';
import type { AllowedAction } from './explain.ts';

export interface WorklistItem {
  /** Stable per case and duty: `<caseId>:<deadline id>` or `<caseId>:blocker`. */
  id: string;
  caseId: string;
  caseVersion: number;
  pathway: string;
  kommun: string;
  /** I-1: the name reaches every party of the case. */
  patientName: string | null;
  kind: 'deadline' | 'blocker';
  status: 'overdue' | 'pending' | 'blocked';
  rule: string;
  /** The routine's sentence behind the rule. */
  sentence: string;
  /** Swedish: what is expected ("Kvittera inskrivningsmeddelande", "Utse fast vårdkontakt"). */
  label: string;
  labelEn: string;
  /** The moves this party holds back on the case (e.g. "Meddela utskrivningsklar"). */
  holds: string[];
  /** For a blocker row: every reason (Swedish) the party holds the case back. */
  reasons?: string[];
  due: Instant | null;
  /** Minutes past due (overdue) or left (pending), at `now`. */
  minutes: number | null;
  /** The move that meets the duty, ready to send (event type and the payload values that select it). */
  action: Pick<AllowedAction, 'event' | 'label' | 'labelEn' | 'match' | 'rules'> | null;
}

const minutesBetween = (from: Instant, to: Instant) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

/** The party's allowed move for a rule: the one named like the duty, else the first citing the rule. */
function actionFor(actions: AllowedAction[], party: PartyId, rule: string, label?: string): AllowedAction | undefined {
  const own = actions.filter((a) => (a.party === party || a.match?.party === party) && a.rules.includes(rule));
  return own.find((a) => a.label === label) ?? own[0];
}

const pick = (a: AllowedAction | undefined): WorklistItem['action'] =>
  a ? { event: a.event, label: a.label, labelEn: a.labelEn, rules: a.rules, ...(a.match ? { match: a.match } : {}) } : null;

/** The rows `party` owes on the case `view` (as that party sees it) at `now`. */
export function worklistItems(view: GatedCaseView, party: PartyId, now: Instant): WorklistItem[] {
  if (view.status !== 'active') return [];
  const base = { caseId: view.id, caseVersion: view.version, pathway: view.pathway, kommun: view.kommun, patientName: view.patient?.name ?? null };
  const items: WorklistItem[] = [];
  for (const d of view.deadlines) {
    if (d.party !== party || d.cancelledAt || (d.status !== 'pending' && d.status !== 'overdue')) continue;
    const action = actionFor(view.allowedActions, party, d.rule, d.label);
    items.push({
      ...base, id: `${view.id}:${d.id}`, kind: 'deadline', status: d.status, rule: d.rule, sentence: getRule(d.rule).sentence,
      label: d.label, labelEn: action?.labelEn ?? d.label, holds: [], due: d.due,
      minutes: d.status === 'overdue' ? minutesBetween(d.due, now) : minutesBetween(now, d.due), action: pick(action),
    });
  }
  // Blockers naming the party, for each move they hold back; waits in the course of care
  // (`milestone` guards) are no one's duty. Where the party already has a deadline row on the case,
  // the held-back moves are told there; otherwise one row per case lists the reasons.
  const labels = new Map(view.allowedActions.map((a) => [a.event, a.label]));
  const blockers = view.blockers.filter((b) => b.party === party && b.advances && !getGuard(b.guard).milestone);
  if (blockers.length > 0) {
    const holds = [...new Set(blockers.map((b) => labels.get(b.event) ?? EVENT_LABELS[b.event]?.sv ?? b.event))];
    const reasons = [...new Set(blockers.map((b) => b.reason))];
    const first = items[0];
    if (first) {
      first.holds = holds;
    } else {
      const b = blockers[0]!;
      // The move that clears a reason (the guard catalogue's `resolvedBy`), else one citing its rule.
      const own = view.allowedActions.filter((a) => a.party === party || a.match?.party === party);
      const action = blockers.map((x) => own.find((a) => getGuard(x.guard).resolvedBy?.includes(a.event)) ?? actionFor(view.allowedActions, party, x.rule)).find(Boolean);
      items.push({
        ...base, id: `${view.id}:blocker`, kind: 'blocker', status: 'blocked', rule: b.rule, sentence: b.sentence,
        label: b.reason, labelEn: b.reasonEn, reasons, holds, due: null, minutes: null, action: pick(action),
      });
    }
  }
  return items;
}

const RANK: Record<WorklistItem['status'], number> = { overdue: 0, pending: 1, blocked: 2 };

/** Overdue first (oldest first), then pending by due time, then blockers; ties by case. */
export function sortWorklist(items: WorklistItem[]): WorklistItem[] {
  return [...items].sort((a, b) => RANK[a.status] - RANK[b.status] || (a.due ?? '').localeCompare(b.due ?? '') || a.caseId.localeCompare(b.caseId) || a.id.localeCompare(b.id));
}
