/**
 * The shapes of a migration's and an impact preview's answers (issue 6), shared by the engine that
 * computes them and the designer that shows them.
 */
import type { PathwayId } from '../machines/events.ts';
import type { Instant } from './calendar.ts';

export interface ImpactSide {
  cases: number;
  /** Cases where the party holds back a move, per party. */
  blocked: Record<string, number>;
  /** Cases with an overdue deadline of the party, per party. */
  overdue: Record<string, number>;
  /** Cases where payment liability applies. */
  liable: number;
  /** Cases whose log the draft refuses (they could not move to it). */
  refused: number;
}

export interface ImpactReport {
  pathway: PathwayId;
  draftVersion: number;
  at: Instant;
  published: ImpactSide;
  draft: ImpactSide;
  /** Cases whose deadlines or states would differ, with what differs (at most 500). */
  changed: { caseId: string; changes: string[]; changesEn: string[] }[];
}

export interface MigrationResult {
  caseId: string;
  fromVersion: number | null;
  toVersion: number;
  ok: boolean;
  /** Why it is refused (Swedish), or null. */
  reason: string | null;
  reasonEn: string | null;
  /** Leaf states before and after. */
  from: string[];
  to: string[];
}
