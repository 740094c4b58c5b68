import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { startupBanner } from './cli/startup-banner.js';
import { loadConfig, type Config } from './config.js';
import { buildDeps, buildPrimaryDeps, type Deps } from './deps.js';
import type { IdentityService } from './modules/identity/index.js';
import { servingWorkerIndex, superviseServingProcesses } from './serve-processes.js';
import type { Storage } from './storage/dialect.js';
import { migrateToLatest } from './storage/migrate.js';

/**
 * `onReady`: after the modules started, in the process that runs the background work (the demo's load);
 * `onApp`: in every serving process, before it listens (bench/gateway-server.ts adds its routes).
 */
export type StartOptions = {
  onReady?: (deps: Deps) => Promise<void>;
  onApp?: (app: FastifyInstance, deps: Deps) => Promise<void>;
};

/** Migrates the database and makes sure of the first administrator; says so in plain text (the banner). */
async function prepareDatabase(config: Config, storage: Storage, identity: IdentityService) {
  await migrateToLatest(storage);
  const first = await identity.ensureFirstAdmin(config.adminUsername, config.adminToken);
  // Plain text first: URL, data folder, database, and the admin token (printed once: stored as a hash).
  process.stdout.write(startupBanner({ config, firstAdminToken: first && !config.adminToken ? first.token : null, firstAdminCreated: first !== null }));
}

/**
 * config → deps → migrate → modules start → app → listen; closes cleanly on SIGINT/SIGTERM.
 * With KUAIJI_SERVE_PROCESSES > 1 this process migrates, then forks the serving processes and
 * watches them (serve-processes.ts, ADR 0039); each of them comes back here as a worker, skips the
 * migration, and starts the background work only if it is the first (`onReady` too).
 */
export async function start(config: Config = loadConfig(), options: StartOptions = {}) {
  if (config.serveProcesses > 1 && cluster.isPrimary) {
    const primary = buildPrimaryDeps(config);
    try {
      await prepareDatabase(config, primary.storage, primary.identity);
    } finally {
      // This process serves nothing: its connection closes before the workers open theirs.
      await primary.storage.close();
    }
    await superviseServingProcesses(config.serveProcesses, primary.logger);
    primary.logger.info({ url: `http://${config.host}:${config.port}`, processes: config.serveProcesses }, 'Kuaiji is listening');
    return null;
  }
  const deps = buildDeps(config);
  const { logger, services } = deps;
  let app: FastifyInstance | null = null;
  // The app, then the modules (the call recorder flushes), then the database.
  const closeAll = async () => {
    await app?.close();
    for (const m of [...services.modules].reverse()) await m.stop?.();
    await services.storage.close();
  };
  const worker = servingWorkerIndex();
  try {
    if (worker === null) await prepareDatabase(config, services.storage, services.identity);
    const background = worker === null || worker === 0;
    // Modules start their background work: jobs a killed process left behind are recovered before
    // anything new is submitted, schedulers begin.
    for (const m of services.modules) await m.start?.({ logger, background });
    if (background) await options.onReady?.(deps);
    app = await buildApp(services, { logger, bodyLimitBytes: config.bodyLimitBytes });
    await options.onApp?.(app, deps);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // Nothing serves (a port another program holds, a database that cannot migrate): what started
    // stops, so the process ends with the error instead of living on with nothing listening.
    await closeAll().catch((closing: unknown) => logger.error({ err: closing }, 'closing after a failed start'));
    // A serving process's channel to its primary would keep it alive: let go of it, so it ends
    // (the CLI reports the error and sets the exit code) and the primary stops the server (ADR 0039).
    cluster.worker?.disconnect();
    throw err;
  }
  if (worker === null) logger.info({ url: `http://${config.host}:${config.port}`, database: services.storage.dialect.name }, 'Kuaiji is listening');
  let stopping = false;
  const stop = async (signal: string) => {
    // A terminal's Ctrl-C reaches a worker twice: its own SIGINT and the primary's SIGTERM.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await closeAll();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return { app: app as FastifyInstance, deps };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  start().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
