/**
 * Starts the server: opens (and migrates) the database, seeds the demo region on first start,
 * catches up on deadlines that passed while it was down, runs the scheduler, serves the API and
 * drains in-flight requests on SIGTERM before closing the database.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import pino, { type Logger } from 'pino';
import { shippedPathways } from '../engine/cases.ts';
import { seedDemo } from '../engine/demo.ts';
import { CaseEngine, systemClock, type Clock } from '../engine/engine.ts';
import { Store } from '../engine/store.ts';
import { createApp } from './app.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dbPath?: string;
  clock?: Clock;
  /** Seed the demo region when the database is new (default true). */
  demo?: boolean;
  demoCases?: number;
  schedulerMs?: number;
  logger?: Logger;
}

export interface RunningServer {
  server: Server;
  engine: CaseEngine;
  url: string;
  close(): Promise<void>;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization'] });
  const dbPath = options.dbPath ?? process.env.SAMVERKAN_DB ?? join(process.cwd(), 'data', 'samverkan.db');
  const store = new Store(dbPath);
  const engine = new CaseEngine(store, shippedPathways, options.clock ?? systemClock);
  if ((options.demo ?? process.env.SAMVERKAN_DEMO !== '0') && store.caseCount() === 0) {
    const seeded = seedDemo(engine, { count: options.demoCases ?? 300 });
    logger.info(seeded, 'seeded the demo region (synthetic patients)');
  }
  const caughtUp = engine.tick();
  if (caughtUp > 0) logger.info({ deadlines: caughtUp }, 'noted deadlines that passed while the server was down');

  const inFlight = { count: 0 };
  const app = createApp({ engine, logger, inFlight });
  const designer = join(root, 'designer', 'dist');
  if (existsSync(join(designer, 'index.html'))) {
    app.use(express.static(designer, { index: 'index.html', maxAge: '1h' }));
    app.get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(join(designer, 'index.html')));
  }

  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const server = await new Promise<Server>((done, fail) => {
    const s = app.listen(port, host, () => done(s));
    s.on('error', fail);
  });
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  const scheduler = setInterval(() => {
    try {
      engine.tick();
    } catch (error) {
      logger.error({ err: error }, 'scheduler tick failed');
    }
  }, options.schedulerMs ?? 1000);
  scheduler.unref();
  logger.info({ url, db: dbPath }, 'samverkan listening');

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= new Promise<void>((done) => {
      clearInterval(scheduler);
      engine.changes.emit('shutdown');
      server.close(() => {
        store.close();
        logger.info('closed');
        done();
      });
      server.closeIdleConnections();
      // Once no request is in flight, drop what is left (keep-alive sockets that never sent a
      // request are not "idle" to Node); stragglers get ten seconds at most.
      const drained = setInterval(() => {
        if (inFlight.count === 0) {
          clearInterval(drained);
          server.closeAllConnections();
        }
      }, 50);
      setTimeout(() => {
        clearInterval(drained);
        server.closeAllConnections();
      }, 10_000).unref();
    });
    return closing;
  };
  return { server, engine, url, close };
}

/** Entry point of `samverkan serve` / `npm start`. */
export async function serve(): Promise<number> {
  const running = await startServer();
  console.log(`Samverkan: ${running.url} (API under /api, dokumentation /api/openapi.json)`);
  await new Promise<void>((done) => {
    const stop = () => void running.close().then(done);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
