import { buildApp } from './app.js';
import { startupBanner } from './cli/startup-banner.js';
import { loadConfig, type Config } from './config.js';
import { buildDeps } from './deps.js';
import { migrateToLatest } from './storage/migrate.js';

export type StartOptions = { onReady?: (deps: ReturnType<typeof buildDeps>) => Promise<void> };

/** config → deps → migrate → modules start → app → listen; closes cleanly on SIGINT/SIGTERM. */
export async function start(config: Config = loadConfig(), options: StartOptions = {}) {
  const deps = buildDeps(config);
  const { logger, services } = deps;
  await migrateToLatest(services.storage);
  const first = await services.identity.ensureFirstAdmin(config.adminUsername, config.adminToken);
  // Plain text first: URL, data folder, database, and the admin token (printed once: stored as a hash).
  process.stdout.write(startupBanner({ config, firstAdminToken: first && !config.adminToken ? first.token : null, firstAdminCreated: first !== null }));
  // Modules start their background work: jobs a killed process left behind are recovered before
  // anything new is submitted, schedulers begin.
  for (const m of services.modules) await m.start?.({ logger });
  await options.onReady?.(deps);
  const app = await buildApp(services, { logger, bodyLimitBytes: config.bodyLimitBytes });
  await app.listen({ port: config.port, host: config.host });
  logger.info({ url: `http://${config.host}:${config.port}`, database: services.storage.dialect.name }, 'Kuaiji is listening');
  const stop = async (signal: string) => {
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
