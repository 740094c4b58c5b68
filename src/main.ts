import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { startupBanner } from './cli/startup-banner.js';
import { loadConfig, type Config } from './config.js';
import { buildDeps, type Deps } from './deps.js';
import { servingWorkerIndex, superviseServingProcesses } from './serve-processes.js';
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
async function prepareDatabase(deps: Deps) {
  const { config, services } = deps;
  await migrateToLatest(services.storage);
  const first = await services.identity.ensureFirstAdmin(config.adminUsername, config.adminToken);
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
  const deps = buildDeps(config);
  const { logger, services } = deps;
  if (config.serveProcesses > 1 && cluster.isPrimary) {
    await prepareDatabase(deps);
    // This process serves nothing: its own connections (database, Redis) close before the workers open theirs.
    for (const m of [...services.modules].reverse()) await m.stop?.();
    await services.storage.close();
    await superviseServingProcesses(config.serveProcesses, logger);
    logger.info({ url: `http://${config.host}:${config.port}`, processes: config.serveProcesses }, 'Kuaiji is listening');
    return null;
  }
  const worker = servingWorkerIndex();
  if (worker === null) await prepareDatabase(deps);
  const background = worker === null || worker === 0;
  // Modules start their background work: jobs a killed process left behind are recovered before
  // anything new is submitted, schedulers begin.
  for (const m of services.modules) await m.start?.({ logger, background });
  if (background) await options.onReady?.(deps);
  const app = await buildApp(services, { logger, bodyLimitBytes: config.bodyLimitBytes });
  await options.onApp?.(app, deps);
  await app.listen({ port: config.port, host: config.host });
  if (worker === null) logger.info({ url: `http://${config.host}:${config.port}`, database: services.storage.dialect.name }, 'Kuaiji is listening');
  let stopping = false;
  const stop = async (signal: string) => {
    // A terminal's Ctrl-C reaches a worker twice: its own SIGINT and the primary's SIGTERM.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    for (const m of [...services.modules].reverse()) await m.stop?.();
    await services.storage.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return { app, deps };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  start().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
