import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceClock, parseCommandEvent } from '../server/step.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'samverkan.mjs');

describe('samverkan simulate --step', () => {
  it('parses events typed as fields or JSON', () => {
    expect(parseCommandEvent('ACKNOWLEDGE party=socialtjanst of=ADMISSION_NOTICE')).toEqual({ type: 'ACKNOWLEDGE', party: 'socialtjanst', of: 'ADMISSION_NOTICE' });
    expect(parseCommandEvent('RECORD_CONSENT given=true')).toEqual({ type: 'RECORD_CONSENT', given: true });
    expect(parseCommandEvent('CALL_SIP {"meetingAt":"2026-03-10T10:00"}')).toEqual({ type: 'CALL_SIP', meetingAt: '2026-03-10T10:00' });
    expect(parseCommandEvent('FLY away=true')).toMatch(/Okänd händelse/);
  });

  it('K-1/K-2: `advance 2 weekdays` skips the weekend and `advance 1d` keeps the local time across DST', () => {
    expect(advanceClock('2026-03-06T15:00:00.000Z', '2 weekdays')).toBe('2026-03-10T15:00:00.000Z'); // Fri 16:00 → Tue 16:00
    expect(advanceClock('2026-03-28T09:00:00.000Z', '1d')).toBe('2026-03-29T08:00:00.000Z'); // 10:00 CET → 10:00 CEST
    expect(advanceClock('2026-03-06T15:00:00.000Z', '90m')).toBe('2026-03-06T16:30:00.000Z');
    expect(advanceClock('2026-03-06T15:00:00.000Z', 'snart')).toMatch(/Okänd/);
  });

  it('an interactive session steps, undoes and saves a scenario that `simulate` replays with exit 0', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'samverkan-step-')), 'run.json');
    const input = [
      'RECORD_CONSENT given=true',
      'SEND_ADMISSION_NOTICE',
      'DECLARE_READY',
      'advance 3h',
      'ACKNOWLEDGE party=socialtjanst of=ADMISSION_NOTICE',
      'ACKNOWLEDGE party=kommunal_hsl of=ADMISSION_NOTICE',
      'undo',
      'advance 2 weekdays',
      `save ${file}`,
      'quit',
    ].join('\n');
    const session = spawnSync(process.execPath, [bin, 'simulate', '--step', 'sth-gul', '--at=2026-03-06T14:00'], { input, encoding: 'utf8' });
    expect(session.status).toBe(0);
    expect(session.stdout).toContain('Avvisad (C-5)');
    expect(session.stdout).toContain('FÖRSENAD C-2');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { pathway: string; steps: { send?: { type: string } }[] };
    expect(saved.pathway).toBe('sth-gul');
    expect(saved.steps.filter((s) => s.send).map((s) => s.send!.type)).toEqual(['RECORD_CONSENT', 'SEND_ADMISSION_NOTICE', 'ACKNOWLEDGE']);
    const replay = spawnSync(process.execPath, [bin, 'simulate', file], { encoding: 'utf8' });
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    const last = JSON.parse(replay.stdout.trim().split('\n').at(-1)!) as { view: { deadlines: { id: string; status: string }[] } };
    expect(last.view.deadlines).toContainEqual(expect.objectContaining({ id: 'C-2:kommunal_hsl', status: 'overdue' }));
  }, 30_000);
});
