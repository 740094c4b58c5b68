/**
 * The server bench/themes.ts measures, in a child process: the app started as `kuaiji serve`
 * starts it (src/main.ts, run by tsx), plus the anchor route only the benchmark needs:
 *   GET /bench/master/:id   one master read by its key from theme_masters (the unique index on
 *                           (theme_id, master_key)) — no authentication, purpose, member records,
 *                           grants, masking or audit: the floor under any one-ID answer.
 * SIGTERM closes it as main.ts does: the app, then the modules, then the database.
 *   env: the usual KUAIJI_* and PORT, BENCH_THEME_ID
 */
import { loadConfig } from '../src/config.js';
import { buildDeps } from '../src/deps.js';
import { buildApp } from '../src/app.js';
import { migrateToLatest } from '../src/storage/migrate.js';

const config = loadConfig();
const { logger, services } = buildDeps(config);
await migrateToLatest(services.storage);
await services.identity.ensureFirstAdmin(config.adminUsername, config.adminToken);
for (const m of services.modules) await m.start?.({ logger });
const app = await buildApp(services, { logger, bodyLimitBytes: config.bodyLimitBytes });

const themeId = process.env.BENCH_THEME_ID!;
const db = services.storage.db;
app.get('/bench/master/:id', async (request) => {
  const { id } = request.params as { id: string };
  const row = await db
    .selectFrom('theme_masters')
    .where('theme_id', '=', themeId)
    .where('master_key', '=', id)
    .select(['id', 'master_key', 'attributes', 'provenance', 'source_count'])
    .executeTakeFirst();
  return { data: row ?? null };
});

await app.listen({ port: config.port, host: config.host });
process.stdout.write(`listening on ${config.port}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    for (const m of [...services.modules].reverse()) await m.stop?.();
    await services.storage.close();
    process.exit(0);
  })();
});
