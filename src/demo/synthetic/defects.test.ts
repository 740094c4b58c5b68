import { describe, expect, it } from 'vitest';
import { DEMO_CITY } from '../city.js';
import { checkCitizenId, citizenIdCheckChar } from '../../shared/validation/citizen-id.js';
import { normalizeMobile } from '../../shared/validation/contact.js';
import { isHistoricalRegionCode } from '../../reference/regions.js';
import { DEMO_DEFECTS, defectRows, UNKNOWN_REGION, withDemoDefects } from './defects.js';

describe('synthetic demo defects', () => {
  it('name items the demo catalogue has', () => {
    for (const d of DEMO_DEFECTS) {
      const r = DEMO_CITY.resources.find((x) => x.code === d.resource);
      expect(
        r?.items.some((i) => i.code === d.item && !i.primaryKey && i.nullable !== false),
        `${d.resource} ${d.item}`,
      ).toBe(true);
    }
  });

  it('hit a share of the rows, at least `min`, spread over the file', () => {
    const d = DEMO_DEFECTS.find((x) => x.kind === 'empty')!;
    expect(defectRows(d, 2400).size).toBe(Math.round(d.share * 2400));
    expect(defectRows(d, 10).size).toBe(d.min);
    expect([...defectRows(d, 3)].every((i) => i < 3)).toBe(true);
  });

  it('damage the values the way their rules catch', () => {
    const id = `33060219900103905${citizenIdCheckChar('33060219900103905')}`;
    expect(checkCitizenId(id, isHistoricalRegionCode)).toMatchObject({ valid: true });
    const code = '104004/00001';
    const rows = [
      ...withDemoDefects(
        code,
        ['citizen_id', 'name'],
        [
          [id, 'a'],
          [id, 'b'],
          [id, 'c'],
        ],
        3,
      ),
    ];
    expect(rows.filter((r) => !checkCitizenId(r[0]!, isHistoricalRegionCode).valid)).toHaveLength(2);
    expect(rows.map((r) => r[1])).toEqual(['a', 'b', 'c']);
    const [mobile] = [...withDemoDefects('204002/00001', ['mobile'], [['13805751234']], 1)];
    expect(normalizeMobile(mobile![0]!)).toBeNull();
    const [region] = [...withDemoDefects('316001/00001', ['region_code'], [['330602']], 1)];
    expect(region).toEqual([UNKNOWN_REGION]);
    expect(isHistoricalRegionCode(UNKNOWN_REGION)).toBe(false);
    expect([...withDemoDefects('999999/00001', ['mobile'], [['13805751234']], 1)]).toEqual([['13805751234']]);
  });
});
