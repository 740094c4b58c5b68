import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CITY } from '../src/demo/city.js';
import { loadDemoCity } from '../src/demo/load.js';
import { recordCount } from '../src/demo/synthetic/resource-plans.js';
import { buildServices } from '../src/deps.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openSqlite } from '../src/storage/sqlite.js';

const README = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The README's bold demo figures: "**36 departments**" → { departments: 36 }. */
function readmeFigures(): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const m of README.matchAll(/\*\*([\d,]+) (regions|departments|information systems|resources|data items|synthetic records)\*\*/g)) {
    figures[m[2]!] = Number(m[1]!.replaceAll(',', ''));
  }
  return figures;
}

describe('README', () => {
  it("states the demo city's figures as the demo loader loads them", async () => {
    const storage = openSqlite(':memory:');
    try {
      await migrateToLatest(storage);
      const result = await loadDemoCity(buildServices(storage));
      if (!result.loaded) throw new Error(result.reason);
      const f = result.figures;
      const records = DEMO_CITY.resources.reduce((sum, r) => sum + recordCount(r.code, 1), 0);
      expect(readmeFigures()).toEqual({
        regions: f.regions,
        departments: f.departments,
        'information systems': f.systems,
        resources: f.resources,
        'data items': f.items,
        'synthetic records': records,
      });
    } finally {
      await storage.close();
    }
  });
});
