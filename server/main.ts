/**
 * Starts the server: opens (and migrates) the database, seeds the demo region on first start,
 * catches up on deadlines that passed while it was down, runs the scheduler, serves the API and
 * drains in-flight requests on SIGTERM before closing the database.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import pino, { type Logger } from 'pino';
import { seedDemo } from '../engine/demo.ts';
import { CaseEngine, systemClock, type Clock } from '../engine/engine.ts';
import { Store } from '../engine/store.ts';
import { VersionedRegistry } from '../engine/versions.ts';
import { createApp } from './app.ts';
import { authConfigFromEnv, Authenticator, type AuthConfig } from './auth.ts';

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
  /** Identity: demo (built-in key, the default without configuration) or the region's JWT issuer. */
  auth?: AuthConfig;
  /** Requests per user and minute (default 600; 0 turns the limit off, e.g. for benchmarks). */
  rateLimit?: number;
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
  const clock = options.clock ?? systemClock;
  // Pathway versions live in the database; the shipped definitions are their version-1 seeds.
  const versions = new VersionedRegistry(store, clock.now());
  const engine = new CaseEngine(store, versions, clock);
  if ((options.demo ?? process.env.SAMVERKAN_DEMO !== '0') && store.caseCount() === 0) {
    const seeded = seedDemo(engine, { count: options.demoCases ?? 300 });
    logger.info(seeded, 'seeded the demo region (synthetic patients)');
  }
  const caughtUp = engine.tick();
  if (caughtUp > 0) logger.info({ deadlines: caughtUp }, 'noted deadlines that passed while the server was down');

  const authConfig = options.auth ?? authConfigFromEnv();
  const auth = await Authenticator.create(authConfig);
  if (auth.demo) logger.warn('DEMO MODE: tokens are signed with a key made at start for the built-in demo users; configure SAMVERKAN_JWKS_URL or SAMVERKAN_JWT_PUBLIC_KEY for real use');

  const inFlight = { count: 0 };
  const designer = join(root, 'designer', 'dist');
  const rateLimit = options.rateLimit ?? Number(process.env.SAMVERKAN_RATE_LIMIT ?? 600);
  const app = createApp({ engine, versions, logger, auth, rateLimit, inFlight, scriptHashes: inlineScriptHashes(join(designer, 'index.html')) });
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

/** CSP hashes of the inline scripts of the designer's page, so no 'unsafe-inline' is needed. */
function inlineScriptHashes(indexHtml: string): string[] {
  if (!existsSync(indexHtml)) return [];
  const html = readFileSync(indexHtml, 'utf8');
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `sha256-${createHash('sha256').update(m[1]!).digest('base64')}`);
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
