#!/usr/bin/env node
/**
 * Builds the designer into designer/dist when it is missing or older than its sources (the
 * designer's own files and the engine modules the simulator bundles).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

export function designerIsStale() {
  const index = join(root, 'designer', 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = ['designer/src', 'designer/index.html', 'designer/vite.config.ts', 'engine', 'machines', 'package.json'];
  return sources.some((s) => newest(join(root, s)) > built);
}

export function ensureDesignerBuilt() {
  if (!designerIsStale()) return false;
  console.log('[designer] building designer/dist …');
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'designer/vite.config.ts', '--logLevel', 'warn'], {
    // vitest sets NODE_ENV=test; the designer is always built as it ships (React's production build).
    cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' },
  });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDesignerBuilt();
