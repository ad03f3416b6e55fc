/**
 * The durable store on better-sqlite3 (WAL): cases with their persisted snapshot and pathway
 * version, the append-only event log, a deadline table indexed by due time, each case's current
 * leaf states and open parties (for positions and worklists), and idempotency records. The schema
 * is created and migrated by the program itself.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PathwayId } from '../machines/events.ts';
import type { Instant } from './calendar.ts';
import type { CaseInfo, CaseState, LoggedEvent } from './cases.ts';
import type { AccessEntry } from './access.ts';
import type { CaseSummary } from './caseView.ts';

export type { AccessEntry };

type Db = Database.Database;

/** Versioned migrations: append only; each runs once, in its own transaction. */
const MIGRATIONS: ((db: Db) => void)[] = [
  (db) => db.exec(`
    CREATE TABLE cases (
      id TEXT PRIMARY KEY,
      pathway TEXT NOT NULL,
      pathway_version INTEGER NOT NULL,
      first_pathway TEXT NOT NULL,
      info TEXT NOT NULL,
      personnummer TEXT NOT NULL,
      kommun TEXT NOT NULL,
      snapshot TEXT NOT NULL,
      state TEXT NOT NULL,
      phase TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      sandbox INTEGER NOT NULL DEFAULT 0,
      admitted_at TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX cases_pathway_status ON cases (pathway, status);
    CREATE INDEX cases_personnummer ON cases (personnummer);
    CREATE INDEX cases_updated ON cases (updated_at);

    CREATE TABLE events (
      case_id TEXT NOT NULL REFERENCES cases (id),
      seq INTEGER NOT NULL,
      type TEXT NOT NULL,
      payload TEXT NOT NULL,
      at TEXT NOT NULL,
      by TEXT NOT NULL,
      pathway TEXT NOT NULL,
      idempotency_key TEXT,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (case_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE deadlines (
      case_id TEXT NOT NULL REFERENCES cases (id),
      id TEXT NOT NULL,
      rule TEXT NOT NULL,
      party TEXT NOT NULL,
      due TEXT NOT NULL,
      met_at TEXT,
      cancelled_at TEXT,
      overdue_noted_at TEXT,
      PRIMARY KEY (case_id, id)
    ) WITHOUT ROWID;
    CREATE INDEX deadlines_open_due ON deadlines (due) WHERE met_at IS NULL AND cancelled_at IS NULL;

    CREATE TABLE case_states (
      case_id TEXT NOT NULL REFERENCES cases (id),
      pathway TEXT NOT NULL,
      state TEXT NOT NULL,
      party TEXT NOT NULL,
      PRIMARY KEY (case_id, state)
    ) WITHOUT ROWID;
    CREATE INDEX case_states_pathway_state ON case_states (pathway, state);

    CREATE TABLE case_todo (
      case_id TEXT NOT NULL REFERENCES cases (id),
      party TEXT NOT NULL,
      PRIMARY KEY (case_id, party)
    ) WITHOUT ROWID;
    CREATE INDEX case_todo_party ON case_todo (party);

    CREATE TABLE idempotency (
      key TEXT PRIMARY KEY,
      scope TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `),
  // Position counts kept as counters, so the designer's live map costs O(states), not O(cases).
  // `overdue` counts cases in a state whose party has a deadline the scheduler noted as overdue.
  (db) => db.exec(`
    CREATE TABLE position_counts (
      pathway TEXT NOT NULL,
      state TEXT NOT NULL,
      active INTEGER NOT NULL,
      overdue INTEGER NOT NULL,
      PRIMARY KEY (pathway, state)
    ) WITHOUT ROWID;
    INSERT INTO position_counts (pathway, state, active, overdue)
      SELECT s.pathway, s.state, COUNT(*), SUM(EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = s.case_id AND d.party = s.party
        AND d.overdue_noted_at IS NOT NULL AND d.met_at IS NULL AND d.cancelled_at IS NULL))
      FROM case_states s GROUP BY s.pathway, s.state;
  `),
  // Identity (issue 5): which units are part of each case, who reported each event, and the
  // append-only access log. `case_access` of cases stored before this is rebuilt by the engine.
  (db) => db.exec(`
    ALTER TABLE events ADD COLUMN actor TEXT;

    CREATE TABLE case_access (
      key TEXT NOT NULL,
      case_id TEXT NOT NULL REFERENCES cases (id),
      PRIMARY KEY (key, case_id)
    ) WITHOUT ROWID;
    CREATE INDEX case_access_case ON case_access (case_id);

    CREATE TABLE access_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      user_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      unit_name TEXT NOT NULL,
      party TEXT,
      roles TEXT NOT NULL,
      action TEXT NOT NULL,
      route TEXT NOT NULL,
      status INTEGER NOT NULL,
      detail TEXT
    );
    CREATE INDEX access_log_at ON access_log (at);
    CREATE INDEX access_log_user ON access_log (user_id, at);
    CREATE INDEX access_log_unit ON access_log (unit_id, at);
    CREATE TABLE access_log_cases (
      case_id TEXT NOT NULL,
      log_id INTEGER NOT NULL REFERENCES access_log (id),
      PRIMARY KEY (case_id, log_id)
    ) WITHOUT ROWID;
    CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
    CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
    CREATE TRIGGER access_log_cases_no_update BEFORE UPDATE ON access_log_cases BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
    CREATE TRIGGER access_log_cases_no_delete BEFORE DELETE ON access_log_cases BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

    CREATE TABLE pending_rebuild (name TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO pending_rebuild (name) SELECT 'case_access' WHERE EXISTS (SELECT 1 FROM cases);
  `),
  // Reports (issue 7): each case's payment-liability figures, rewritten with every event, so the
  // follow-up per kommun and period is an aggregate query.
  (db) => db.exec(`
    CREATE TABLE case_liability (
      case_id TEXT PRIMARY KEY REFERENCES cases (id),
      pathway TEXT NOT NULL,
      kommun TEXT NOT NULL,
      ward TEXT,
      day_zero TEXT,
      ended_on TEXT,
      discharged INTEGER NOT NULL,
      kommun_concerned INTEGER NOT NULL,
      ready_days INTEGER NOT NULL,
      applies INTEGER NOT NULL,
      chargeable_days INTEGER NOT NULL,
      threshold REAL,
      reasons TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX case_liability_ended ON case_liability (ended_on) WHERE discharged = 1;
    INSERT INTO pending_rebuild (name) SELECT 'case_liability' WHERE EXISTS (SELECT 1 FROM cases);
  `),
  // Pathway versions (issue 6): published definitions are immutable rows; one draft per pathway.
  (db) => db.exec(`
    CREATE TABLE pathway_versions (
      pathway TEXT NOT NULL,
      version INTEGER NOT NULL,
      definition TEXT NOT NULL,
      author TEXT NOT NULL,
      comment TEXT NOT NULL,
      published_at TEXT NOT NULL,
      PRIMARY KEY (pathway, version)
    ) WITHOUT ROWID;
    CREATE TRIGGER pathway_versions_immutable BEFORE UPDATE ON pathway_versions BEGIN SELECT RAISE(ABORT, 'a published version is immutable'); END;
    CREATE TRIGGER pathway_versions_kept BEFORE DELETE ON pathway_versions BEGIN SELECT RAISE(ABORT, 'a published version is immutable'); END;
    CREATE TABLE pathway_drafts (
      pathway TEXT PRIMARY KEY,
      base_version INTEGER NOT NULL,
      definition TEXT NOT NULL,
      author TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `),
  // Case lists of open cases, newest first, without scanning a region's closed history.
  (db) => db.exec(`
    CREATE INDEX cases_status_updated ON cases (status, sandbox, updated_at);
    CREATE INDEX deadlines_due ON deadlines (due);
  `),
];

export interface VersionRow {
  pathway: string;
  version: number;
  definition: string;
  author: string;
  comment: string;
  publishedAt: string;
}

/** The schema version a current database has (the number of migrations). */
export const SCHEMA_VERSION = MIGRATIONS.length;

type Contribution = Map<string, { pathway: string; state: string; overdue: number }>;

export interface Derived {
  state: string;
  phase: string;
  status: 'active' | 'closed';
  /** Leaf states, e.g. `slutenvard.vardtid`, `oppenvard.sip.kallad`, with the lane's party. */
  states: { state: string; party: string }[];
  /** Parties with a pending or overdue deadline, or owning a blocker that holds the case back. */
  todo: string[];
  deadlines: { id: string; rule: string; party: string; due: Instant; metAt: Instant | null; cancelledAt: Instant | null }[];
  /** The units that are part of the case (`caseAccessKeys`). */
  access: string[];
  /** The case's payment-liability figures (none for sandbox cases). */
  liability: LiabilityRow | null;
}

export interface LiabilityRow {
  pathway: string;
  /** The liable kommun (placeringskommun under B-4). */
  kommun: string;
  ward: string | null;
  dayZero: string | null;
  endedOn: string | null;
  /** Ended by discharge (not death or closing): counts in the B-5 average. */
  discharged: boolean;
  /** The kommun received the admission notice (B-3, B-5). */
  kommunConcerned: boolean;
  readyDays: number;
  applies: boolean;
  chargeableDays: number;
  threshold: number | null;
  reasons: string[];
}

export interface StoredCase {
  state: CaseState;
  firstPathway: PathwayId;
  sandbox: boolean;
}

export interface CaseFilter {
  pathway?: string;
  state?: string;
  party?: string;
  overdue?: boolean;
  status?: 'active' | 'closed';
  personnummer?: string;
  sandbox?: boolean;
  /** Only cases the reader may see: those holding one of `keys`, or (process owners) any case of `pathways`. */
  visibleTo?: { keys: string[]; pathways: readonly string[] };
  limit: number;
  offset: number;
}

export interface AccessFilter {
  caseId?: string;
  userId?: string;
  unitId?: string;
  action?: string;
  from?: Instant;
  to?: Instant;
  limit: number;
  offset: number;
}

/** A listed case (the row shape of `GET /api/cases`). */
export type CaseRow = CaseSummary;

export class Store {
  readonly db: Db;
  readonly path: string;
  private readonly stmts;

  constructor(path: string) {
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    const db = this.db;
    this.stmts = {
      insertCase: db.prepare(`INSERT INTO cases (id, pathway, pathway_version, first_pathway, info, personnummer, kommun, snapshot, state, phase, status, version, sandbox, admitted_at, created_at, updated_at)
        VALUES (@id, @pathway, @pathwayVersion, @firstPathway, @info, @personnummer, @kommun, @snapshot, @state, @phase, @status, 0, @sandbox, @admittedAt, @now, @now)`),
      updateCase: db.prepare(`UPDATE cases SET pathway = @pathway, pathway_version = @pathwayVersion, snapshot = @snapshot, state = @state, phase = @phase, status = @status,
        version = version + 1, updated_at = @now WHERE id = @id AND version = @expected`),
      getCase: db.prepare('SELECT * FROM cases WHERE id = ?'),
      getEvents: db.prepare('SELECT * FROM events WHERE case_id = ? ORDER BY seq'),
      insertEvent: db.prepare(`INSERT INTO events (case_id, seq, type, payload, at, by, pathway, idempotency_key, recorded_at, actor)
        VALUES (@caseId, @seq, @type, @payload, @at, @by, @pathway, @idempotencyKey, @now, @actor)`),
      putLiability: db.prepare(`INSERT OR REPLACE INTO case_liability (case_id, pathway, kommun, ward, day_zero, ended_on, discharged, kommun_concerned, ready_days, applies, chargeable_days, threshold, reasons)
        VALUES (@caseId, @pathway, @kommun, @ward, @dayZero, @endedOn, @discharged, @kommunConcerned, @readyDays, @applies, @chargeableDays, @threshold, @reasons)`),
      deleteLiability: db.prepare('DELETE FROM case_liability WHERE case_id = ?'),
      deleteAccess: db.prepare('DELETE FROM case_access WHERE case_id = ?'),
      deleteOneAccess: db.prepare('DELETE FROM case_access WHERE case_id = ? AND key = ?'),
      insertAccess: db.prepare('INSERT INTO case_access (key, case_id) VALUES (?, ?)'),
      insertAccessLog: db.prepare(`INSERT INTO access_log (at, user_id, user_name, unit_id, unit_name, party, roles, action, route, status, detail)
        VALUES (@at, @userId, @userName, @unitId, @unitName, @party, @roles, @action, @route, @status, @detail)`),
      insertAccessLogCase: db.prepare('INSERT OR IGNORE INTO access_log_cases (case_id, log_id) VALUES (?, ?)'),
      deleteDeadlines: db.prepare('DELETE FROM deadlines WHERE case_id = ?'),
      insertDeadline: db.prepare(`INSERT INTO deadlines (case_id, id, rule, party, due, met_at, cancelled_at, overdue_noted_at)
        VALUES (@caseId, @id, @rule, @party, @due, @metAt, @cancelledAt, @overdueNotedAt)`),
      notedDeadlines: db.prepare('SELECT id, overdue_noted_at FROM deadlines WHERE case_id = ? AND overdue_noted_at IS NOT NULL'),
      updateDeadline: db.prepare('UPDATE deadlines SET rule = @rule, party = @party, due = @due, met_at = @metAt, cancelled_at = @cancelledAt WHERE case_id = @caseId AND id = @id'),
      deleteDeadline: db.prepare('DELETE FROM deadlines WHERE case_id = ? AND id = ?'),
      deleteState: db.prepare('DELETE FROM case_states WHERE case_id = ? AND state = ?'),
      deleteOneTodo: db.prepare('DELETE FROM case_todo WHERE case_id = ? AND party = ?'),
      deleteStates: db.prepare('DELETE FROM case_states WHERE case_id = ?'),
      insertState: db.prepare('INSERT INTO case_states (case_id, pathway, state, party) VALUES (?, ?, ?, ?)'),
      deleteTodo: db.prepare('DELETE FROM case_todo WHERE case_id = ?'),
      insertTodo: db.prepare('INSERT INTO case_todo (case_id, party) VALUES (?, ?)'),
      // CROSS JOIN keeps the open-deadline index as the outer loop (few rows), whatever cases' indexes offer.
      dueDeadlines: db.prepare(`SELECT d.case_id AS caseId, c.pathway AS pathway, d.id, d.rule, d.party, d.due FROM deadlines d CROSS JOIN cases c ON c.id = d.case_id
        WHERE d.met_at IS NULL AND d.cancelled_at IS NULL AND d.overdue_noted_at IS NULL AND d.due <= ? AND c.status = 'active' ORDER BY d.due LIMIT ?`),
      noteOverdue: db.prepare('UPDATE deadlines SET overdue_noted_at = ? WHERE case_id = ? AND id = ?'),
      getIdempotent: db.prepare('SELECT scope, status, body FROM idempotency WHERE key = ?'),
      putIdempotent: db.prepare('INSERT INTO idempotency (key, scope, status, body, created_at) VALUES (?, ?, ?, ?, ?)'),
      count: db.prepare('SELECT COUNT(*) AS n FROM cases'),
      contribution: db.prepare(`SELECT s.pathway, s.state, EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = s.case_id AND d.party = s.party
          AND d.overdue_noted_at IS NOT NULL AND d.met_at IS NULL AND d.cancelled_at IS NULL) AS overdue
        FROM case_states s WHERE s.case_id = ?`),
      bumpPosition: db.prepare(`INSERT INTO position_counts (pathway, state, active, overdue) VALUES (?, ?, ?, ?)
        ON CONFLICT (pathway, state) DO UPDATE SET active = active + excluded.active, overdue = overdue + excluded.overdue`),
      positionCounts: db.prepare('SELECT state, active, overdue FROM position_counts WHERE pathway = ? AND active > 0 ORDER BY state'),
    };
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    MIGRATIONS.forEach((migration, index) => {
      const version = index + 1;
      if (applied.has(version)) return;
      this.db.transaction(() => {
        migration(this.db);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
      })();
    });
  }

  schemaVersion(): number {
    return (this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  caseCount(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  /** The case's share of the position counts: its leaf states and whether each is overdue. */
  private contribution(caseId: string): Contribution {
    const rows = this.stmts.contribution.all(caseId) as { pathway: string; state: string; overdue: number }[];
    return new Map(rows.map((r) => [`${r.pathway}\u0000${r.state}`, { pathway: r.pathway, state: r.state, overdue: Number(r.overdue) }]));
  }

  /** Moves the counters from the case's old share to its new one (unchanged states cancel out). */
  private recount(before: Contribution, after: Contribution): void {
    for (const [key, b] of before) {
      const a = after.get(key);
      if (a && a.overdue === b.overdue) continue;
      this.stmts.bumpPosition.run(b.pathway, b.state, a ? 0 : -1, (a?.overdue ?? 0) - b.overdue);
    }
    for (const [key, a] of after) if (!before.has(key)) this.stmts.bumpPosition.run(a.pathway, a.state, 1, a.overdue);
  }

  insertCase(state: CaseState, derived: Derived, sandbox: boolean, now: Instant): void {
    const { info } = state;
    this.stmts.insertCase.run({
      id: info.id, pathway: state.pathway, pathwayVersion: state.pathwayVersion, firstPathway: state.pathway,
      info: JSON.stringify(info), personnummer: info.patient.personnummer, kommun: info.kommun,
      snapshot: JSON.stringify(state.snapshot), state: derived.state, phase: derived.phase, status: derived.status,
      sandbox: sandbox ? 1 : 0, admittedAt: info.admittedAt, now,
    });
    this.writeDerived(info.id, state.pathway, derived);
    this.recount(new Map(), this.contribution(info.id));
  }

  /** Appends the event and writes the new snapshot, if the row is still at `expectedVersion`. */
  appendEvent(state: CaseState, entry: LoggedEvent, derived: Derived, expectedVersion: number, idempotencyKey: string | null, now: Instant, previous?: Derived): boolean {
    const updated = this.stmts.updateCase.run({
      id: state.info.id, pathway: state.pathway, pathwayVersion: state.pathwayVersion, snapshot: JSON.stringify(state.snapshot),
      state: derived.state, phase: derived.phase, status: derived.status, now, expected: expectedVersion,
    });
    if (updated.changes !== 1) return false;
    const before = this.contribution(state.info.id);
    const { type, at, ...payload } = entry.event as { type: string; at: string };
    this.stmts.insertEvent.run({
      caseId: state.info.id, seq: entry.seq, type, payload: JSON.stringify(payload), at, by: entry.by, pathway: entry.pathway, idempotencyKey, now,
      actor: entry.actor ? JSON.stringify(entry.actor) : null,
    });
    if (previous && previous.status === 'active' && state.pathway === entry.pathway) this.writeDerivedChanges(state.info.id, state.pathway, previous, derived);
    else this.writeDerived(state.info.id, state.pathway, derived);
    this.recount(before, this.contribution(state.info.id));
    return true;
  }

  /** Writes only what changed since `previous` (the common case: one event moves little). */
  private writeDerivedChanges(caseId: string, pathway: string, previous: Derived, next: Derived): void {
    const before = new Map(previous.deadlines.map((d) => [d.id, d]));
    for (const d of next.deadlines) {
      const old = before.get(d.id);
      const row = { caseId, id: d.id, rule: d.rule, party: d.party, due: d.due, metAt: d.metAt, cancelledAt: d.cancelledAt };
      if (!old) this.stmts.insertDeadline.run({ ...row, overdueNotedAt: null });
      else if (old.due !== d.due || old.metAt !== d.metAt || old.cancelledAt !== d.cancelledAt || old.rule !== d.rule || old.party !== d.party) this.stmts.updateDeadline.run(row);
      before.delete(d.id);
    }
    for (const id of before.keys()) this.stmts.deleteDeadline.run(caseId, id);
    const active = next.status === 'active';
    const oldStates = new Set(previous.states.map((s) => s.state));
    const newStates = new Set(active ? next.states.map((s) => s.state) : []);
    for (const s of oldStates) if (!newStates.has(s)) this.stmts.deleteState.run(caseId, s);
    if (active) for (const s of next.states) if (!oldStates.has(s.state)) this.stmts.insertState.run(caseId, pathway, s.state, s.party);
    const oldTodo = new Set(previous.todo);
    const newTodo = new Set(active ? next.todo : []);
    for (const p of oldTodo) if (!newTodo.has(p)) this.stmts.deleteOneTodo.run(caseId, p);
    for (const p of newTodo) if (!oldTodo.has(p)) this.stmts.insertTodo.run(caseId, p);
    const oldAccess = new Set(previous.access);
    const newAccess = new Set(next.access);
    for (const k of oldAccess) if (!newAccess.has(k)) this.stmts.deleteOneAccess.run(caseId, k);
    for (const k of newAccess) if (!oldAccess.has(k)) this.stmts.insertAccess.run(k, caseId);
    if (JSON.stringify(previous.liability) !== JSON.stringify(next.liability)) this.writeLiability(caseId, next.liability);
  }

  private writeDerived(caseId: string, pathway: string, derived: Derived): void {
    const noted = new Map((this.stmts.notedDeadlines.all(caseId) as { id: string; overdue_noted_at: string }[]).map((r) => [r.id, r.overdue_noted_at]));
    this.stmts.deleteDeadlines.run(caseId);
    for (const d of derived.deadlines) {
      this.stmts.insertDeadline.run({ caseId, id: d.id, rule: d.rule, party: d.party, due: d.due, metAt: d.metAt, cancelledAt: d.cancelledAt, overdueNotedAt: noted.get(d.id) ?? null });
    }
    this.stmts.deleteStates.run(caseId);
    if (derived.status === 'active') for (const s of derived.states) this.stmts.insertState.run(caseId, pathway, s.state, s.party);
    this.stmts.deleteTodo.run(caseId);
    if (derived.status === 'active') for (const p of derived.todo) this.stmts.insertTodo.run(caseId, p);
    this.writeAccess(caseId, derived.access);
    this.writeLiability(caseId, derived.liability);
  }

  writeLiability(caseId: string, row: LiabilityRow | null): void {
    if (!row) {
      this.stmts.deleteLiability.run(caseId);
      return;
    }
    this.stmts.putLiability.run({
      caseId, ...row, discharged: row.discharged ? 1 : 0, kommunConcerned: row.kommunConcerned ? 1 : 0, applies: row.applies ? 1 : 0, reasons: JSON.stringify(row.reasons),
    });
  }

  /** Liability rows of cases discharged in [from, to) (local dates), of the given pathways. */
  liabilityRows(filter: { from: string; to: string; pathways: readonly string[]; kommun?: string }): (LiabilityRow & { caseId: string })[] {
    if (filter.pathways.length === 0) return [];
    const params: Record<string, unknown> = { from: filter.from, to: filter.to };
    filter.pathways.forEach((p, i) => { params[`p${i}`] = p; });
    const where = ['discharged = 1', 'ended_on >= @from', 'ended_on < @to', `pathway IN (${filter.pathways.map((_, i) => `@p${i}`).join(', ')})`];
    if (filter.kommun) { where.push('kommun = @kommun'); params.kommun = filter.kommun; }
    return (this.db.prepare(`SELECT * FROM case_liability WHERE ${where.join(' AND ')} ORDER BY kommun, ended_on, case_id`).all(params) as Record<string, string | number | null>[])
      .map((r) => ({
        caseId: String(r.case_id), pathway: String(r.pathway), kommun: String(r.kommun), ward: r.ward === null ? null : String(r.ward),
        dayZero: r.day_zero === null ? null : String(r.day_zero), endedOn: r.ended_on === null ? null : String(r.ended_on), discharged: r.discharged === 1,
        kommunConcerned: r.kommun_concerned === 1,
        readyDays: Number(r.ready_days), applies: r.applies === 1, chargeableDays: Number(r.chargeable_days),
        threshold: r.threshold === null ? null : Number(r.threshold), reasons: JSON.parse(String(r.reasons)) as string[],
      }));
  }

  /**
   * Deadlines of the given rules due in [from, to) (UTC instants), with the owing unit, for
   * compliance. CROSS JOIN keeps the period's slice of `deadlines_due` as the outer loop, so the
   * cost follows the period, not the history.
   */
  complianceRows(filter: { from: string; to: string; pathways: readonly string[]; rules: readonly string[] }): { caseId: string; pathway: string; kommun: string; rule: string; party: string; unit: string; due: string; metAt: string | null; cancelledAt: string | null }[] {
    if (filter.pathways.length === 0) return [];
    const params: Record<string, unknown> = { from: filter.from, to: filter.to };
    filter.pathways.forEach((p, i) => { params[`p${i}`] = p; });
    filter.rules.forEach((r, i) => { params[`r${i}`] = r; });
    return this.db.prepare(`SELECT d.case_id AS caseId, c.pathway, c.kommun, d.rule, d.party,
        CASE WHEN d.party = 'slutenvard' THEN COALESCE(json_extract(c.info, '$.ward'), '') ELSE c.kommun END AS unit,
        d.due, d.met_at AS metAt, d.cancelled_at AS cancelledAt
      FROM deadlines d CROSS JOIN cases c ON c.id = d.case_id
      WHERE c.sandbox = 0 AND d.due >= @from AND d.due < @to AND c.pathway IN (${filter.pathways.map((_, i) => `@p${i}`).join(', ')})
        AND d.rule IN (${filter.rules.map((_, i) => `@r${i}`).join(', ')})
      ORDER BY d.due`).all(params) as never;
  }

  /** Replaces the case's access keys (closed cases keep theirs: their parties may still read them). */
  writeAccess(caseId: string, keys: string[]): void {
    this.stmts.deleteAccess.run(caseId);
    for (const k of keys) this.stmts.insertAccess.run(k, caseId);
  }

  /** Whether a rebuild left by a migration (e.g. `case_access`) is still to be done. */
  pendingRebuild(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM pending_rebuild WHERE name = ?').get(name) !== undefined;
  }

  rebuildDone(name: string): void {
    this.db.prepare('DELETE FROM pending_rebuild WHERE name = ?').run(name);
  }

  /** Appends one access log entry with the cases it concerns; returns its id. */
  logAccess(entry: AccessEntry): number {
    const { caseIds, roles, ...row } = entry;
    // One commit for the entry and its cases (a list may name many).
    return this.db.transaction(() => {
      const id = Number(this.stmts.insertAccessLog.run({ ...row, roles: roles.join(' ') }).lastInsertRowid);
      for (const caseId of caseIds) this.stmts.insertAccessLogCase.run(caseId, id);
      return id;
    })();
  }

  /** The access log, newest first, for log follow-up. */
  searchAccess(filter: AccessFilter): { items: (AccessEntry & { id: number })[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit, offset: filter.offset };
    if (filter.caseId) { where.push('l.id IN (SELECT log_id FROM access_log_cases WHERE case_id = @caseId)'); params.caseId = filter.caseId; }
    if (filter.userId) { where.push('l.user_id = @userId'); params.userId = filter.userId; }
    if (filter.unitId) { where.push('l.unit_id = @unitId'); params.unitId = filter.unitId; }
    if (filter.action) { where.push('l.action = @action'); params.action = filter.action; }
    if (filter.from) { where.push('l.at >= @from'); params.from = filter.from; }
    if (filter.to) { where.push('l.at < @to'); params.to = filter.to; }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM access_log l ${clause}`).get(params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT l.*, (SELECT json_group_array(case_id) FROM access_log_cases c WHERE c.log_id = l.id) AS case_ids
      FROM access_log l ${clause} ORDER BY l.id DESC LIMIT @limit OFFSET @offset`).all(params) as Record<string, string | number | null>[];
    return {
      total,
      items: rows.map((r) => ({
        id: Number(r.id), at: String(r.at), userId: String(r.user_id), userName: String(r.user_name), unitId: String(r.unit_id),
        unitName: String(r.unit_name), party: r.party === null ? null : String(r.party), roles: String(r.roles).split(' ').filter(Boolean),
        action: String(r.action), route: String(r.route), status: Number(r.status), detail: r.detail === null ? null : String(r.detail),
        caseIds: JSON.parse(String(r.case_ids)) as string[],
      })),
    };
  }

  /** Open cases where `party` has something to do (case_todo) and that hold one of the unit's `keys`. */
  todoCases(party: string, keys: string[], filter: { pathway?: string; kommun?: string } = {}): string[] {
    if (keys.length === 0) return [];
    const params: Record<string, unknown> = { party };
    keys.forEach((k, i) => { params[`k${i}`] = k; });
    const where = ['t.party = @party', `EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = t.case_id AND a.key IN (${keys.map((_, i) => `@k${i}`).join(', ')}))`];
    if (filter.pathway) { where.push('c.pathway = @pathway'); params.pathway = filter.pathway; }
    if (filter.kommun) { where.push('c.kommun = @kommun'); params.kommun = filter.kommun; }
    return (this.db.prepare(`SELECT t.case_id AS id FROM case_todo t JOIN cases c ON c.id = t.case_id WHERE ${where.join(' AND ')} AND c.sandbox = 0 AND c.status = 'active'`)
      .all(params) as { id: string }[]).map((r) => r.id);
  }

  /**
   * Overdue duties right now, per owing unit and rule, oldest first: the ward for slutenvården, the
   * party in the case's kommun for the others (as `caseAccessKeys` names them).
   */
  escalation(pathways: readonly string[], now: Instant): { party: string; unit: string; rule: string; count: number; oldestDue: Instant; caseIds: string[] }[] {
    if (pathways.length === 0) return [];
    const params: Record<string, unknown> = { now };
    pathways.forEach((p, i) => { params[`p${i}`] = p; });
    const rows = this.db.prepare(`SELECT d.party AS party, CASE WHEN d.party = 'slutenvard' THEN COALESCE(json_extract(c.info, '$.ward'), '') ELSE c.kommun END AS unit,
        d.rule AS rule, COUNT(*) AS count, MIN(d.due) AS oldestDue, json_group_array(c.id) AS caseIds
      FROM deadlines d JOIN cases c ON c.id = d.case_id
      WHERE d.met_at IS NULL AND d.cancelled_at IS NULL AND d.due <= @now AND c.status = 'active' AND c.sandbox = 0
        AND c.pathway IN (${pathways.map((_, i) => `@p${i}`).join(', ')})
      GROUP BY 1, 2, 3 ORDER BY oldestDue`).all(params) as { party: string; unit: string; rule: string; count: number; oldestDue: string; caseIds: string }[];
    return rows.map((r) => ({ ...r, count: Number(r.count), caseIds: (JSON.parse(r.caseIds) as string[]).slice(0, 50) }));
  }

  /** How a case is visible: its access keys, sandbox flag and pathway (the inputs of `lensFor`). */
  accessOf(caseId: string): { keys: string[]; sandbox: boolean; pathway: string } | null {
    const row = this.db.prepare('SELECT sandbox, pathway FROM cases WHERE id = ?').get(caseId) as { sandbox: number; pathway: string } | undefined;
    if (!row) return null;
    const keys = (this.db.prepare('SELECT key FROM case_access WHERE case_id = ? ORDER BY key').all(caseId) as { key: string }[]).map((r) => r.key);
    return { keys, sandbox: row.sandbox === 1, pathway: row.pathway };
  }

  loadCase(id: string): (StoredCase & { version: number }) | null {
    const row = this.stmts.getCase.get(id) as Record<string, unknown> | undefined;
    if (!row) return null;
    const events = (this.stmts.getEvents.all(id) as Record<string, string | number>[]).map((e): LoggedEvent => ({
      seq: Number(e.seq),
      at: String(e.at),
      type: String(e.type),
      by: e.by as LoggedEvent['by'],
      pathway: e.pathway as PathwayId,
      event: { type: e.type, at: e.at, ...(JSON.parse(String(e.payload)) as object) } as LoggedEvent['event'],
      ...(e.actor ? { actor: JSON.parse(String(e.actor)) as LoggedEvent['actor'] } : {}),
    }));
    return {
      state: {
        info: JSON.parse(String(row.info)) as CaseInfo,
        pathway: row.pathway as PathwayId,
        pathwayVersion: Number(row.pathway_version),
        snapshot: JSON.parse(String(row.snapshot)),
        log: events,
      },
      firstPathway: row.first_pathway as PathwayId,
      sandbox: row.sandbox === 1,
      version: Number(row.version),
    };
  }

  /** Open deadlines that have passed and were not yet noted as overdue (K-7), oldest first. */
  dueDeadlines(now: Instant, limit = 500): { caseId: string; pathway: PathwayId; id: string; rule: string; party: string; due: string }[] {
    return this.stmts.dueDeadlines.all(now, limit) as { caseId: string; pathway: PathwayId; id: string; rule: string; party: string; due: string }[];
  }

  noteOverdue(caseId: string, deadlineId: string, at: Instant): void {
    const before = this.contribution(caseId);
    this.stmts.noteOverdue.run(at, caseId, deadlineId);
    this.recount(before, this.contribution(caseId));
  }

  idempotent(key: string): { scope: string; status: number; body: string } | null {
    return (this.stmts.getIdempotent.get(key) as { scope: string; status: number; body: string } | undefined) ?? null;
  }

  rememberIdempotent(key: string, scope: string, status: number, body: string, now: Instant): void {
    this.stmts.putIdempotent.run(key, scope, status, body, now);
  }

  /** Live positions from the counters: active cases per leaf state, and those past a noted deadline. */
  positions(pathway: string): { state: string; active: number; overdue: number }[] {
    return (this.stmts.positionCounts.all(pathway) as { state: string; active: number; overdue: number }[])
      .map((r) => ({ state: r.state, active: Number(r.active), overdue: Number(r.overdue) }));
  }

  /** The same figures counted from scratch (the counters' reference, for tests and repair). */
  positionsByScan(pathway: string): { state: string; active: number; overdue: number }[] {
    return (this.db.prepare(`SELECT s.state AS state, COUNT(*) AS active, SUM(EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = s.case_id
        AND d.party = s.party AND d.overdue_noted_at IS NOT NULL AND d.met_at IS NULL AND d.cancelled_at IS NULL)) AS overdue
      FROM case_states s WHERE s.pathway = ? GROUP BY s.state ORDER BY s.state`).all(pathway) as { state: string; active: number; overdue: number }[])
      .map((r) => ({ state: r.state, active: Number(r.active), overdue: Number(r.overdue) }));
  }

  listCases(filter: CaseFilter, now: Instant): { items: CaseRow[]; total: number } {
    const where: string[] = ['c.sandbox = @sandbox'];
    const params: Record<string, unknown> = { sandbox: filter.sandbox ? 1 : 0, now, limit: filter.limit, offset: filter.offset };
    if (filter.pathway) { where.push('c.pathway = @pathway'); params.pathway = filter.pathway; }
    if (filter.status) { where.push('c.status = @status'); params.status = filter.status; }
    if (filter.personnummer) { where.push('c.personnummer = @personnummer'); params.personnummer = filter.personnummer; }
    let member = '1';
    if (filter.visibleTo) {
      const { keys, pathways } = filter.visibleTo;
      keys.forEach((k, i) => { params[`k${i}`] = k; });
      pathways.forEach((p, i) => { params[`p${i}`] = p; });
      member = keys.length ? `EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = c.id AND a.key IN (${keys.map((_, i) => `@k${i}`).join(', ')}))` : '0';
      const owned = pathways.length ? `c.pathway IN (${pathways.map((_, i) => `@p${i}`).join(', ')})` : '0';
      // A personnummer is looked up only among the reader's own cases: it identifies a patient.
      where.push(filter.personnummer ? member : `(${member} OR ${owned})`);
    }
    if (filter.state) { where.push('EXISTS (SELECT 1 FROM case_states s WHERE s.case_id = c.id AND s.state = @state)'); params.state = filter.state; }
    if (filter.party) { where.push('EXISTS (SELECT 1 FROM case_todo t WHERE t.case_id = c.id AND t.party = @party)'); params.party = filter.party; }
    if (filter.overdue) {
      // Driven by the partial index of open deadlines: the overdue ones are few, however long the history.
      where.push(`c.status = 'active' AND c.id IN (SELECT d.case_id FROM deadlines d WHERE d.met_at IS NULL AND d.cancelled_at IS NULL AND d.due <= @now)`);
    }
    const clause = where.join(' AND ');
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM cases c WHERE ${clause}`).get(params) as { n: number }).n;
    const items = (this.db.prepare(`SELECT c.id, c.pathway, c.pathway_version, c.status, c.phase, c.kommun, c.admitted_at, c.updated_at, c.version, c.info,
        ${member} AS member FROM cases c WHERE ${clause} ORDER BY c.updated_at DESC, c.id LIMIT @limit OFFSET @offset`).all(params) as Record<string, string | number>[])
      .map((r) => ({
        id: String(r.id), pathway: String(r.pathway), pathwayVersion: Number(r.pathway_version), status: String(r.status), phase: String(r.phase),
        kommun: String(r.kommun), admittedAt: String(r.admitted_at), updatedAt: String(r.updated_at), version: Number(r.version),
        // Process owners reading another unit's case see no identity (`gateView`'s owner lens).
        patientName: Number(r.member) === 1 || filter.sandbox ? (JSON.parse(String(r.info)) as CaseInfo).patient.name : null,
      }));
    return { items, total };
  }

  versionRows(pathway?: string): VersionRow[] {
    const sql = `SELECT pathway, version, definition, author, comment, published_at AS publishedAt FROM pathway_versions ${pathway ? 'WHERE pathway = ?' : ''} ORDER BY pathway, version`;
    return (pathway ? this.db.prepare(sql).all(pathway) : this.db.prepare(sql).all()) as VersionRow[];
  }

  insertVersion(row: VersionRow): void {
    this.db.prepare('INSERT INTO pathway_versions (pathway, version, definition, author, comment, published_at) VALUES (@pathway, @version, @definition, @author, @comment, @publishedAt)').run(row);
  }

  draftRow(pathway: string): { baseVersion: number; definition: string; author: string; updatedAt: string } | null {
    return (this.db.prepare('SELECT base_version AS baseVersion, definition, author, updated_at AS updatedAt FROM pathway_drafts WHERE pathway = ?').get(pathway) as never) ?? null;
  }

  saveDraft(pathway: string, baseVersion: number, definition: string, author: string, at: string): void {
    this.db.prepare('INSERT OR REPLACE INTO pathway_drafts (pathway, base_version, definition, author, updated_at) VALUES (?, ?, ?, ?, ?)').run(pathway, baseVersion, definition, author, at);
  }

  deleteDraft(pathway: string): void {
    this.db.prepare('DELETE FROM pathway_drafts WHERE pathway = ?').run(pathway);
  }

  /** Cases per pathway version (open and all), for the version list. */
  casesPerVersion(pathway: string): { version: number; active: number; total: number }[] {
    return (this.db.prepare(`SELECT pathway_version AS version, SUM(status = 'active') AS active, COUNT(*) AS total FROM cases WHERE pathway = ? AND sandbox = 0 GROUP BY 1 ORDER BY 1`)
      .all(pathway) as { version: number; active: number; total: number }[]).map((r) => ({ version: Number(r.version), active: Number(r.active), total: Number(r.total) }));
  }

  /** Open, real cases of a pathway version (for migration and impact previews). */
  caseIdsOn(pathway: string, version?: number): string[] {
    const rows = version === undefined
      ? this.db.prepare(`SELECT id FROM cases WHERE pathway = ? AND status = 'active' AND sandbox = 0 ORDER BY id`).all(pathway)
      : this.db.prepare(`SELECT id FROM cases WHERE pathway = ? AND pathway_version = ? AND status = 'active' AND sandbox = 0 ORDER BY id`).all(pathway, version);
    return (rows as { id: string }[]).map((r) => r.id);
  }

  /** Moves a case to another version of its pathway: new snapshot, version and info (with the migration recorded). */
  migrateCase(state: CaseState, derived: Derived, expectedVersion: number, now: Instant, previous?: Derived): boolean {
    const updated = this.db.prepare(`UPDATE cases SET pathway_version = @pathwayVersion, snapshot = @snapshot, info = @info, state = @state, phase = @phase, status = @status, updated_at = @now
      WHERE id = @id AND version = @expected`).run({
      id: state.info.id, pathwayVersion: state.pathwayVersion, snapshot: JSON.stringify(state.snapshot), info: JSON.stringify(state.info),
      state: derived.state, phase: derived.phase, status: derived.status, now, expected: expectedVersion,
    });
    if (updated.changes !== 1) return false;
    const before = this.contribution(state.info.id);
    if (previous) this.writeDerivedChanges(state.info.id, state.pathway, previous, derived);
    else this.writeDerived(state.info.id, state.pathway, derived);
    this.recount(before, this.contribution(state.info.id));
    return true;
  }

  /** Every case id with its first pathway, for verification by replay. */
  allCaseIds(): string[] {
    return (this.db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  }
}
