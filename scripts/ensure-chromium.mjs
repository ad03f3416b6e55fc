#!/usr/bin/env node
/**
 * The browser tests drive Debian's chromium (a browser cannot be downloaded by a test tool here).
 * Installs it with apt when it is missing and we are root; otherwise says what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    console.log('[ensure-chromium] installing chromium with apt-get …');
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { stdio: 'inherit', env });
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return CHROMIUM;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureChromium();
  console.log(`[ensure-chromium] ${CHROMIUM}`);
}
