import { isoSecond, daysFromCivil, monthBefore } from './dates.js';
import { firmAt, type FirmKind } from './firms.js';
import { demoLicenceId } from './licences.js';
import { LINEAGES } from './population-data.js';
import type { PersonStream } from './people.js';
import { STREETS } from './places.js';
import { budgetUnit, institutionCode, sitesFor } from './sites.js';
import type { SyntheticItem, SyntheticResource } from './types.js';

/**
 * The values a primary-key item ranges over. `at(k)` is distinct for distinct k below `size`
 * (Infinity: a sequence), so keys are unique by construction, with nothing remembered.
 */
export type KeyDomain = {
  size: number;
  /** How many values a sequence contributes when it is not the row's main key (e.g. 24 months). */
  minorSize?: number;
  /** People come from a stream that only moves forward: such a key must be the main one. */
  forwardOnly?: boolean;
  at(k: number): string;
  attrs?(k: number): Record<string, string>;
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const END_SECOND = daysFromCivil(2025, 6, 30) * 86400 + 23 * 3600;
const SERIES_STEP_SECONDS: Record<string, number> = { gps_time: 30, monitor_time: 3600, observe_time: 3600 };

/** 文书号 style: 绍市监处罚〔2021〕123号; the year and number together are unique per k. */
const docNo = (prefix: string) => (k: number) => `${prefix}〔${2019 + (k % 6)}〕${Math.floor(k / 6) + 1}号`;
const DOC_PREFIXES: Record<string, string> = {
  '104002/00001:decision_no': '绍市监处罚',
  '104002/00002:decision_no': '绍市监许可',
  '103001/00002:approval_no': '诸宅审',
  '318001/00001:case_no': '柯综执罚',
  '311001/00001:permit_no': '（浙）WH安许证字',
};

/** A serial like 3306 + year + number that fits `length`; distinct for distinct k. */
function serial(length: number, prefix = ''): (k: number) => string {
  if (length >= 14 + prefix.length) {
    const width = Math.min(8, length - 8 - prefix.length);
    return (k) => `${prefix}3306${2016 + (k % 10)}${pad(Math.floor(k / 10) + 1, width)}`;
  }
  const first = 10 ** Math.max(length - 1, 0);
  return (k) => String(first + k);
}

const SERIAL_PREFIXES: Record<string, string> = {
  transfer_id: 'QY',
  event_id: 'SJ',
  job_id: 'GW',
  application_no: 'GZ',
  sample_no: 'CY',
  contract_no: 'QY',
  record_id: 'XY',
  list_id: 'SX',
  registration_id: 'JY',
  settlement_id: 'JS',
  record_no: 'MZ',
  address_code: 'DZ',
  parcel_code: 'DK',
  work_code: 'RF',
};

/** 不动产单元号: region (6) + 宗地 (6) + 2 letters + 5 digits + F + 8 digits = 28 characters. */
export function unitNo(k: number): string {
  const region = LINEAGES[k % LINEAGES.length]!.currentCode;
  return `${region}${pad(1 + (Math.floor(k / 6) % 999), 3)}001GB${pad(Math.floor(k / 6000) + 1, 5)}F${pad(Math.floor(k / 6) + 1, 8)}`;
}

/** 项目代码: year-region-industry-type-serial, 24 characters. */
export function projectCode(k: number): string {
  const region = LINEAGES[k % LINEAGES.length]!.currentCode;
  return `${2018 + (k % 7)}-${region}-${pad(10 + (k % 80), 2)}-0${1 + (k % 3)}-${pad(Math.floor(k / 7) + 1, 6)}`;
}

function finite(values: readonly { key: string; attrs: Record<string, string> }[]): KeyDomain {
  return { size: values.length, at: (k) => values[k]!.key, attrs: (k) => values[k]!.attrs };
}

export type KeyEnv = { people: PersonStream; firmKind: FirmKind; firmOffset: number };

export function keyDomain(item: SyntheticItem, resource: SyntheticResource, env: KeyEnv): KeyDomain {
  const sites = sitesFor(resource.code, item.code);
  if (sites) return finite(sites);
  const prefix = DOC_PREFIXES[`${resource.code}:${item.code}`];
  if (prefix) return { size: Infinity, at: docNo(prefix) };
  const person = (k: number) => env.people.at(k);
  const length = item.length ?? 32;
  switch (item.code) {
    case 'citizen_id':
      return { size: Infinity, forwardOnly: true, at: (k) => person(k).citizenId };
    case 'student_no':
      // 全国学籍号 is G followed by the pupil's ID number.
      return { size: Infinity, forwardOnly: true, at: (k) => `G${person(k).citizenId}` };
    case 'licence_no':
      // A driving licence number is the holder's ID number.
      if (length === 18) return { size: Infinity, forwardOnly: true, at: (k) => person(k).citizenId };
      break;
    case 'uscc':
      return { size: Infinity, at: (k) => firmAt(env.firmKind, env.firmOffset + k).uscc };
    case 'insurance_type':
      // LD/T 90-2012: 110 养老, 210 失业, 310 医疗, 410 工伤, 510 生育.
      return { size: 5, at: (k) => ['110', '210', '310', '410', '510'][k]! };
    case 'rating_year':
    case 'fiscal_year':
      return { size: 6, at: (k) => String(2024 - k) };
    case 'stat_month':
      return { size: Infinity, minorSize: 24, at: (k) => monthBefore(2025, 6, k + 1) };
    case 'unit_code':
      return { size: Infinity, at: (k) => budgetUnit(k).key, attrs: (k) => budgetUnit(k).attrs };
    case 'grid_code': {
      const region = resource.provider.regionCode;
      const streets = region === '330600' ? STREETS : STREETS.filter((s) => s.lineage.currentCode === region);
      return {
        size: Infinity,
        at: (k) => `${streets[k % streets.length]!.code}${pad(Math.floor(k / streets.length) + 1, 4)}`,
        attrs: (k) => ({ street_code: streets[k % streets.length]!.code }),
      };
    }
    case 'institution_code':
      return { size: Infinity, at: institutionCode };
    case 'school_code':
      return { size: Infinity, at: (k) => `2133${pad(k + 1, 6)}` };
    case 'unit_no':
      return { size: Infinity, at: unitNo };
    case 'project_code':
      return { size: Infinity, at: projectCode };
    case 'certificate_no':
      // 出生医学证明编号: a letter and nine digits.
      if (length === 10) return { size: Infinity, at: (k) => `R${330000000 + k}` };
      break;
    case 'registration_no':
      return { size: Infinity, at: (k) => `J${LINEAGES[k % 6]!.currentCode}-${2010 + (k % 15)}-${pad(Math.floor(k / 15) + 1, 6)}` };
    case 'sheet_no':
      return { size: 999 * 999, at: (k) => `H51G${pad(Math.floor(k / 999) + 1, 3)}${pad((k % 999) + 1, 3)}` };
    case 'licence_id':
      // 1.2.156.3005.2.<类型代码>.<颁证单位代码>.<流水号>.<版本>.<校验位>, a valid identifier (licences.ts).
      return { size: Infinity, at: (k) => demoLicenceId(resource.code, resource.provider.uscc, k) };
    case 'lawyer_licence_no':
      return { size: Infinity, at: (k) => `13306${201000000000 + k}` };
    case 'permit_no':
      if (resource.code === '305001/00001') return { size: Infinity, at: (k) => `330600${2019 + (k % 6)}${pad(Math.floor(k / 6) + 1, 8)}` };
      break;
  }
  if (item.dataType === 'DATETIME') {
    const step = SERIES_STEP_SECONDS[item.code] ?? 3600;
    return { size: Infinity, minorSize: 24, at: (k) => isoSecond(END_SECOND - k * step) };
  }
  if (item.dataType === 'INTEGER') return { size: Infinity, minorSize: 10, at: (k) => String(k + 1) };
  return { size: Infinity, minorSize: 20, at: serial(length, SERIAL_PREFIXES[item.code] ?? '') };
}

export type KeyPlan = {
  /** Rows the key can tell apart, at most the rows asked for. */
  count: number;
  /** The position of each key item's value for row i, and the row's main (major) index. */
  split(i: number): { major: number; positions: number[] };
};

/**
 * Row i → a value position per key item: the other key items vary fastest (a station's readings
 * hour by hour, a person's five insurance types), the main key (the first sequence) slowest,
 * so the main index only grows and people can be streamed.
 */
export function planKeys(domains: readonly KeyDomain[], wanted: number, label: string): KeyPlan {
  const majorAt = domains.findIndex((d) => d.size === Infinity);
  const sizes = domains.map((d, j) => (j === majorAt ? Infinity : d.size === Infinity ? (d.minorSize ?? 20) : d.size));
  domains.forEach((d, j) => {
    if (d.forwardOnly && j !== majorAt) throw new Error(`${label}: a person key must be the first sequence of the key`);
  });
  const minorProduct = sizes.reduce((a, s, j) => (j === majorAt ? a : a * s), 1);
  const count = majorAt < 0 ? Math.min(wanted, minorProduct) : wanted;
  return {
    count,
    split(i) {
      const positions = new Array<number>(domains.length);
      let rest = i;
      for (let j = domains.length - 1; j >= 0; j--) {
        if (j === majorAt) continue;
        positions[j] = rest % sizes[j]!;
        rest = Math.floor(rest / sizes[j]!);
      }
      if (majorAt >= 0) positions[majorAt] = rest;
      return { major: majorAt >= 0 ? rest : i, positions };
    },
  };
}
