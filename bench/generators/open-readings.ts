/**
 * A generated open resource for the opening tests and bench/opening.ts: air-quality readings,
 * one row per (station, sequence), every item UNCONDITIONAL and L1, as a CSV stream of `rows`
 * rows produced lazily (memory: one chunk), so a million-row resource needs no file.
 */
import { Readable } from 'node:stream';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';

export const READINGS_HEADER = ['seq', 'station', 'reading', 'measured_on', 'note'];

export function readingsResource(departmentId: string, code: string): ResourceInput {
  return {
    code,
    name: '空气质量监测读数(合成数据)',
    nameEn: 'Air quality readings (synthetic)',
    category: 3,
    providerDepartmentId: departmentId,
    summary: '基准测试用合成监测数据',
    formatCategory: 3,
    shareType: 'UNCONDITIONAL',
    shareModes: ['API'],
    openType: 'UNCONDITIONAL',
    openDomain: 10,
    updateFrequency: '02',
    relatedCodes: [],
    sensitivity: 'L1',
    importance: 'GENERAL',
    classified: false,
    tags: ['空气质量'],
    items: [
      { code: 'seq', name: '序号', dataType: 'INTEGER', primaryKey: true },
      { code: 'station', name: '监测站点', dataType: 'STRING', length: 50, primaryKey: false },
      { code: 'reading', name: '读数', dataType: 'DECIMAL', length: 10, precision: 2, primaryKey: false },
      { code: 'measured_on', name: '监测日期', dataType: 'DATE', primaryKey: false },
      { code: 'note', name: '备注', dataType: 'STRING', length: 100, primaryKey: false },
    ],
  };
}

const STATIONS = ['越城站', '柯桥站', '上虞站', '新昌站', '诸暨站', '嵊州站'];

/** Row `i` (1-based) as CSV cells. */
export function readingRow(i: number): string {
  const day = new Date(Date.UTC(2020, 0, 1) + (i % 1500) * 86_400_000).toISOString().slice(0, 10);
  return `${i},${STATIONS[i % STATIONS.length]},${(i % 500) + 0.25},${day},第${i}次读数`;
}

/** The CSV of rows `from`..`to` (header first), generated as it is read. */
export function readingsCsv(from: number, to: number): Readable {
  let next = from;
  let headerSent = false;
  return new Readable({
    read() {
      let chunk = headerSent ? '' : `${READINGS_HEADER.join(',')}\n`;
      headerSent = true;
      for (let n = 0; n < 5000 && next <= to; n++, next++) chunk += `${readingRow(next)}\n`;
      this.push(chunk.length ? chunk : null);
      if (next > to && chunk.length) this.push(null);
    },
  });
}
