/**
 * The benchmarks' server process: the real `startServer` (identity from the environment, demo mode
 * in the benchmarks), reporting its address over IPC and, on request, its memory after two forced
 * collections (run with --expose-gc). `BENCH_CLOCK` pins a manual clock.
 */
import pino from 'pino';
import { ManualClock } from '../engine/engine.ts';
import { startServer } from '../server/main.ts';

const clock = process.env.BENCH_CLOCK ? new ManualClock(process.env.BENCH_CLOCK) : undefined;
const running = await startServer({
  port: 0,
  dbPath: process.env.SAMVERKAN_DB,
  demo: false,
  logger: pino({ level: 'silent' }),
  ...(clock ? { clock } : {}),
});

process.on('message', (message) => {
  if (message === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    process.send?.({ memory: { rss: m.rss, heapUsed: m.heapUsed } });
  } else if (message === 'close') {
    void running.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void running.close().then(() => process.exit(0)));
process.send?.({ url: running.url });
