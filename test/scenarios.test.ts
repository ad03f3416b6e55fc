import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateFile } from '../server/cli.ts';

const dir = join(import.meta.dirname, 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function run(path: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = simulateFile(path, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('seed cases as scenarios (the same code path as `samverkan simulate`)', () => {
  it.each(files)('%s: every expectation holds', (file) => {
    const { code, err, out } = run(join(dir, file));
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { steps: unknown[] };
    expect(out).toHaveLength(scenario.steps.length);
  });

  it('every scenario names its rules in step notes', () => {
    for (const file of files) {
      const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { description?: string; steps: { note?: string }[] };
      expect(scenario.description, file).toBeTruthy();
      expect(scenario.steps.some((s) => /\b[CISVBK]-[LO]?\d+\b/.test(s.note ?? '')), file).toBe(true);
    }
  });
});

describe('scenario runner', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'samverkan-scenario-'));
  const write = (name: string, value: unknown) => {
    const path = join(tmp, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  const base = {
    pathway: 'sth-gul',
    case: { patient: { personnummer: '19400107-9120', name: 'Test Testsson', address: 'Testgatan 1' }, kommun: 'Solna', admittedAt: '2026-03-06T14:00:00+01:00' },
  };

  it('prints one JSON line per step with the contract shape', () => {
    const { code, out } = run(write('ok.json', { ...base, steps: [{ at: '2026-03-06T16:00:00+01:00', send: { type: 'SEND_ADMISSION_NOTICE' } }, { at: '2026-03-07T10:00:00+01:00' }] }));
    expect(code).toBe(0);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => Object.keys(l))).toEqual([['step', 'at', 'view'], ['step', 'at', 'view']]);
    expect(lines[1]).toMatchObject({ step: 2, at: '2026-03-07T09:00:00.000Z', view: { pathway: 'sth-gul', status: 'active', phase: 'vardtid' } });
  });

  it('a refused send prints `rejected` with rule ids and counts as a failure unless expected', () => {
    const steps = [{ send: { type: 'DECLARE_READY' } }];
    const failing = run(write('refused.json', { ...base, steps }));
    expect(failing.code).toBe(1);
    const line = JSON.parse(failing.out[0]!) as { rejected: { code: string; rules: string[] } };
    expect(Object.keys(line)).toEqual(['step', 'at', 'rejected', 'view']);
    expect(line.rejected.code).toBe('NOT_EXPECTED');
    expect(run(write('refused-ok.json', { ...base, steps: [{ ...steps[0], expectRejected: true }] })).code).toBe(0);
  });

  it('exits 1 when an expectation does not hold, naming the step and the field', () => {
    const { code, err } = run(write('wrong.json', { ...base, steps: [{ expect: { phase: 'hemgang' } }] }));
    expect(code).toBe(1);
    expect(err[0]).toMatch(/steg 1: phase/);
  });

  it.each([
    ['not JSON', '{ "pathway": ', /inte giltig JSON/],
    ['an unknown pathway', { ...base, pathway: 'sth-lila', steps: [] }, /fältet pathway/],
    ['a bad personnummer checksum', { ...base, case: { ...base.case, patient: { ...base.case.patient, personnummer: '19400107-9121' } }, steps: [] }, /case\.patient\.personnummer: Kontrollsiffran/],
    ['an unknown event type', { ...base, steps: [{ send: { type: 'TELEPORT' } }] }, /steps\[0\]\.send\.type/],
    ['a bad payload field', { ...base, steps: [{ send: { type: 'ACKNOWLEDGE', party: 'grannen', of: 'READY' } }] }, /steps\[0\]\.send\.party/],
    ['a bad time', { ...base, steps: [{ at: 'tisdag' }] }, /steps\[0\]\.at/],
    ['time going backwards', { ...base, steps: [{ at: '2026-03-06T15:00:00+01:00' }, { at: '2026-03-06T14:30:00+01:00' }] }, /steps\[1\]\.at/],
    ['steps missing', { ...base }, /fältet steps/],
  ])('exits 2 on a malformed file: %s', (_name, content, message) => {
    const { code, err } = run(write(`bad-${Math.random()}.json`, content));
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  it('unknown keys in a scenario are ignored', () => {
    expect(run(write('extra.json', { ...base, author: 'x', steps: [{ at: '2026-03-06T15:00:00+01:00', comment: 'y' }] })).code).toBe(0);
  });

  it('`npx samverkan simulate` runs a seed scenario end to end and exits 0', () => {
    const output = execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'samverkan.mjs'), 'simulate', join(dir, files[0]!)], { encoding: 'utf8' });
    expect(output.trim().split('\n').length).toBeGreaterThan(0);
    const bad = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'samverkan.mjs'), 'simulate', write('cli-bad.json', { ...base, steps: [{ send: { type: 'CONFIRM', item: 'kaffe' } }] })], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/steps\[0\]\.send\.item/);
  }, 30_000);
});
