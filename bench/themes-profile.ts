/**
 * Where a theme sync's time goes (issue 13, ADR 0033): on a database kept by
 * `npx tsx bench/themes.ts --persons N --keep`, the theme's masters, crosswalk, terms and conflicts
 * are emptied and every member synced again, inline, in member order — as the definition's PUT
 * would queue them — with each SQL statement's time summed by its text (Kysely's query log).
 *
 *   npx tsx bench/themes-profile.ts --db /tmp/kuaiji-bench-themes-…/data/kuaiji.sqlite [--theme population] [--top 25] [--cache-mb 256]
 *
 * Run it under `node --cpu-prof --import tsx` for the JavaScript side.
 */
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { createAuditor } from '../src/modules/audit/index.js';
import { createRecordReader, type RecordEntry } from '../src/modules/collection/index.js';
import { themeOf } from '../src/modules/themes/definitions/theme-definition.js';
import { runSync } from '../src/modules/themes/masters/sync-runner.js';
import { systemClock } from '../src/shared/clock.js';
import { toBool } from '../src/storage/dialect.js';
import type { Schema } from '../src/storage/schema.js';
import { ImmediateSqliteDialect, withBooleanParams } from '../src/storage/sqlite.js';

const { values } = parseArgs({
  options: { db: { type: 'string' }, theme: { type: 'string', default: 'population' }, top: { type: 'string', default: '25' }, 'cache-mb': { type: 'string' } },
});
if (!values.db) throw new Error('--db <kept bench database file> is required');

const spent = new Map<string, { n: number; ms: number }>();
const raw = new SQLite(values.db);
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
if (values['cache-mb']) raw.pragma(`cache_size = -${Number(values['cache-mb']) * 1024}`);
const db = new Kysely<Schema>({
  dialect: new ImmediateSqliteDialect({ database: withBooleanParams(raw) }),
  log(event) {
    // Statements differing only in their row count or IN-list length are one line.
    const text = event.query.sql
      .replace(/(\(\?(, \?)*\)(, )?)+/g, '(…)')
      .replace(/\s+/g, ' ')
      .slice(0, 110);
    const s = spent.get(text) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += event.queryDurationMillis;
    spent.set(text, s);
  },
});

const row = await db.selectFrom('themes').selectAll().where('code', '=', values.theme).executeTakeFirstOrThrow();
const theme = themeOf(row);
for (const table of ['theme_sources', 'theme_master_terms', 'theme_conflicts', 'theme_masters'] as const) {
  await db.deleteFrom(table).where('theme_id', '=', theme.id).execute();
}
const records = createRecordReader({
  db,
  auditor: createAuditor({ db, dialect: (await import('../src/storage/sqlite.js')).sqliteDialect, clock: systemClock }),
});

async function entryOf(resourceId: string): Promise<RecordEntry> {
  const r = await db.selectFrom('resources').select(['id', 'provider_department_id', 'classified']).where('id', '=', resourceId).executeTakeFirstOrThrow();
  const items = await db.selectFrom('data_items').selectAll().where('resource_id', '=', resourceId).orderBy('seq').execute();
  return {
    id: r.id,
    providerDepartmentId: r.provider_department_id,
    classified: toBool(r.classified),
    items: items.map((i) => ({
      code: i.code,
      dataType: i.data_type as RecordEntry['items'][number]['dataType'],
      length: i.length,
      precision: i.precision,
      primaryKey: toBool(i.primary_key),
      maskingRule: i.masking_rule as RecordEntry['items'][number]['maskingRule'],
    })),
  };
}

let rows = 0;
const started = performance.now();
for (const m of theme.definition.members) {
  const t = performance.now();
  const out = await runSync(db, records, {
    syncId: 'profile',
    theme,
    entry: await entryOf(m.resourceId),
    force: false,
    drop: [],
    now: new Date().toISOString(),
  });
  rows += out.rowsSeen;
  console.log(
    `member ${m.resourceId}: ${out.rowsSeen} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (${out.mastersCreated} masters created, ${out.conflictsOpened} conflicts)`,
  );
}
const seconds = (performance.now() - started) / 1000;
const sqlMs = [...spent.values()].reduce((a, s) => a + s.ms, 0);
console.log(`\n${rows} member rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s; SQL ${(sqlMs / 1000).toFixed(1)} s of it`);
for (const [text, s] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(values.top))) {
  console.log(`${(s.ms / 1000).toFixed(2).padStart(7)} s ${String(s.n).padStart(6)}×  ${text}`);
}
await db.destroy();
