import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { compileRowCoercer } from '../../src/modules/collection/parsing/row-coercer.js';
import { mapHeader } from '../../src/modules/collection/parsing/header-mapping.js';
import { openRecords } from '../../src/modules/collection/parsing/records.js';
import { currentRegions, isHistoricalRegionCode } from '../../src/reference/regions.js';
import { checkCitizenId } from '../../src/shared/validation/citizen-id.js';
import { POPULATION_HEADER, POPULATION_ITEMS } from '../../src/demo/synthetic/population-items.js';
import { generatePopulationRows } from '../../src/demo/synthetic/population-rows.js';
import { writePopulationFile } from './population.js';

const column = (code: string) => POPULATION_ITEMS.findIndex((i) => i.code === code);

describe('generatePopulationRows', () => {
  const rows = [...generatePopulationRows(7, 20_000)];

  it('is deterministic for a seed', () => {
    expect([...generatePopulationRows(7, 50)]).toEqual(rows.slice(0, 50));
    expect([...generatePopulationRows(8, 50)]).not.toEqual(rows.slice(0, 50));
  });

  it('makes valid, unique ID numbers consistent with birth date and sex', () => {
    const ids = new Set<string>();
    const regionSegments = new Set<string>();
    for (const row of rows) {
      const id = row[column('citizen_id')]!;
      const check = checkCitizenId(id, isHistoricalRegionCode);
      expect(check, id).toMatchObject({ valid: true });
      if (!check.valid) continue;
      expect(check.birthDate).toBe(row[column('birth_date')]);
      expect(check.sex === 'male' ? '1' : '2').toBe(row[column('sex')]);
      ids.add(id);
      regionSegments.add(check.regionCode);
    }
    expect(ids.size).toBe(rows.length);
    // Retired codes appear for people registered before the 2013 reorganisation.
    expect(regionSegments).toContain('330621');
    expect(regionSegments).toContain('330682');
  });

  it('fills the other items plausibly', () => {
    const current = currentRegions();
    for (const row of rows.slice(0, 2000)) {
      expect(row).toHaveLength(POPULATION_ITEMS.length);
      expect(current.get(row[column('region_code')]!)?.parentCode).toBe('330600');
      expect(row[column('name')]).toMatch(/^\p{Script=Han}{2,3}$/u);
      expect(row[column('address')]).toMatch(/^浙江省绍兴市/);
      expect(row[column('phone')]).toMatch(/^(1[3-9]\d{9})?$/);
      expect(row[column('ethnic_group')]).toMatch(/^\d{2}$/);
      expect(row[column('registered_on')]! >= row[column('birth_date')]!).toBe(true);
      expect(row[column('updated_at')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const ethnic = rows.map((r) => r[column('ethnic_group')]);
    expect(ethnic.filter((e) => e === '01').length / ethnic.length).toBeGreaterThan(0.95);
  });
});

describe('writePopulationFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-pop-'));

  it('writes a GBK CSV that the collection readers load without a reject', async () => {
    const file = path.join(dir, 'p.gbk.csv');
    expect(await writePopulationFile('gbk', 500, file, 3)).toBe(500);
    expect(iconv.decode(fs.readFileSync(file), 'gbk').split('\r\n')[0]).toBe(POPULATION_HEADER.join(','));
    const stream = await openRecords(file, { format: 'csv' });
    expect(stream.encoding).toBe('gb18030');
    const mapping = mapHeader(stream.header, POPULATION_ITEMS);
    expect(mapping.loadable).toBe(true);
    const coerce = compileRowCoercer(POPULATION_ITEMS, mapping.columnOf);
    let count = 0;
    for await (const batch of stream.batches) {
      expect(batch.rejects).toEqual([]);
      for (const row of batch.rows) expect(coerce(row.cells), String(row.rowNumber)).toMatchObject({ ok: true });
      count += batch.rows.length;
    }
    expect(count).toBe(500);
  });

  it('writes an XLSX with date cells that reads back as the same values', async () => {
    const file = path.join(dir, 'p.xlsx');
    await writePopulationFile('xlsx', 50, file, 3);
    const stream = await openRecords(file, { format: 'xlsx' });
    expect(stream.header).toEqual(POPULATION_HEADER);
    const expected = [...generatePopulationRows(3, 50)];
    const got: (string | null)[][] = [];
    for await (const batch of stream.batches) got.push(...batch.rows.map((r) => r.cells));
    expect(got).toHaveLength(50);
    got.forEach((cells, i) => {
      const want = expected[i]!.map((v, c) => (v === '' ? null : POPULATION_ITEMS[c]!.dataType === 'DATETIME' ? v.replace(' ', 'T') : v));
      expect(cells).toEqual(want);
    });
  });
});
