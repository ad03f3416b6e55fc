import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleLocations } from '../engine/ruleIndex.ts';
import { GUARDS } from '../machines/guards.ts';
import { PATHWAYS } from '../machines/pathways.ts';
import { RULES, getRule } from '../machines/rules.ts';

const root = join(import.meta.dirname, '..');
const ID = /\b(?:[CISB]-\d+|K-\d|V-(?:L|O)?\d)\b/g;

function walk(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

/** Rule ids named in test titles, and in notes of scenario steps that assert something. */
function citedByTests(): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  const add = (id: string, where: string) => cited.set(id, [...(cited.get(id) ?? []), where]);
  const title = /\b(?:it|test|describe)(?:\.each\([\s\S]*?\))?\(\s*(['"`])((?:(?!\1)[\s\S])*)\1/g;
  for (const file of walk(join(root, 'test'), (p) => p.endsWith('.test.ts'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(title)) {
      for (const id of match[2]!.match(ID) ?? []) add(id, relative(root, file));
    }
  }
  for (const file of walk(join(root, 'test', 'scenarios'), (p) => p.endsWith('.json'))) {
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as { steps: { note?: string; expect?: unknown; expectRejected?: unknown }[] };
    for (const step of scenario.steps) {
      if (step.expect === undefined && step.expectRejected === undefined) continue;
      for (const id of step.note?.match(ID) ?? []) add(id, relative(root, file));
    }
  }
  return cited;
}

describe('rule catalogue', () => {
  it('has every rule once, with a Swedish sentence and an owner', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.sentence.length, rule.id).toBeGreaterThan(20);
      expect(rule.summary.length, rule.id).toBeGreaterThan(10);
    }
    expect(ids).toEqual(expect.arrayContaining(['C-1', 'C-11', 'I-5', 'S-9', 'V-1', 'V-3', 'V-L4', 'V-O6', 'B-5', 'K-7']));
  });

  it('every rule is implemented somewhere (machine, guard, deadline or engine module)', () => {
    const unimplemented = [...ruleLocations()].filter(([, places]) => places.length === 0).map(([id]) => id);
    expect(unimplemented).toEqual([]);
  });

  it('every guard and transition cites a catalogued rule', () => {
    for (const guard of Object.values(GUARDS)) expect(() => getRule(guard.rule)).not.toThrow();
    expect(() => ruleLocations()).not.toThrow();
    for (const definition of Object.values(PATHWAYS)) for (const id of definition.rules) expect(() => getRule(id)).not.toThrow();
  });

  it('every rule id is cited by at least one test that asserts it (uncovered ids are listed)', () => {
    const cited = citedByTests();
    const uncovered = RULES.map((r) => r.id).filter((id) => !cited.has(id));
    expect(uncovered, `rules no test cites: ${uncovered.join(', ')}`).toEqual([]);
  });

  it('nothing in the project reads ../shared (a user\'s clone has none)', () => {
    const sources = walk(root, (p) => /\.(ts|tsx|mjs|js|json|sh)$/.test(p) || p.endsWith('/.ci/run'))
      .filter((p) => !p.includes(`${join('test', 'rules.test.ts')}`) && !p.endsWith('package-lock.json'));
    const offenders = sources.filter((p) => /\.\.\/shared|\/work\/shared/.test(readFileSync(p, 'utf8')));
    expect(offenders.map((p) => relative(root, p))).toEqual([]);
  });
});
