import react from '@vitejs/plugin-react';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * `virtual:elk-cache`: ELK's layouts of the shipped pathway definitions, computed at build time by
 * scripts/elk-cache.ts and keyed by ELK's input, so a first visit does not wait for ELK to start.
 */
function elkCache(): Plugin {
  const id = 'virtual:elk-cache';
  return {
    name: 'samverkan-elk-cache',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const json = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/elk-cache.ts'], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      return `export default JSON.parse(${JSON.stringify(json)});`;
    },
  };
}

// The designer imports the engine's pure modules (../engine, ../machines) for the simulator.
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), elkCache()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    target: 'es2022',
    // The ELK cache runs ELK at build time on purpose: no timing report about it.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    fs: { allow: [projectRoot] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
