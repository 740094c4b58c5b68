import { DEMO_CITY } from '../city.js';
import { DEMO_DEPARTMENTS } from '../organisation.js';
import { firmAt } from './firms.js';
import { coordinates, STREETS } from './places.js';
import { createRandom } from './random.js';

/**
 * Finite sets a composite key ranges over (monitoring stations, buses, budget subjects …), each
 * entry with the facts that go with it, so a station keeps its name on every reading.
 * SYNTHETIC: station codes and positions are invented.
 */
export type Site = { key: string; attrs: Record<string, string> };

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const AIR_STATIONS = [
  '市监测站',
  '城东',
  '袍江',
  '镜湖',
  '柯桥区监测站',
  '柯岩',
  '上虞区监测站',
  '曹娥',
  '诸暨市监测站',
  '浣东',
  '嵊州市监测站',
  '新昌县监测站',
];
const WATERS: [string, string][] = [
  ['曹娥江上浦闸', 'ZZ'],
  ['浦阳江诸暨站', 'ZZ'],
  ['鉴湖', 'ZZ'],
  ['若耶溪', 'ZZ'],
  ['剡溪嵊州站', 'ZZ'],
  ['新昌江', 'ZZ'],
  ['环城河', 'ZZ'],
  ['西小江', 'ZZ'],
  ['汤浦水库', 'RR'],
  ['长诏水库', 'RR'],
  ['南山水库', 'RR'],
  ['巧英水库', 'RR'],
  ['石壁水库', 'RR'],
  ['平水', 'PP'],
  ['王坛', 'PP'],
  ['稽东', 'PP'],
];
const REGIONS = ['330602', '330603', '330604', '330624', '330681', '330683'];

/** A 22-character 医疗机构登记号-like code; the same k is the same institution in every resource. */
export function institutionCode(k: number): string {
  return `PDY${pad(k + 1, 5)}X${REGIONS[k % REGIONS.length]}12A1001`;
}

const BUDGET_SUBJECTS: [string, string][] = [
  ['2010101', '人大事务行政运行'],
  ['2010301', '政府办公厅（室）行政运行'],
  ['2040201', '公安行政运行'],
  ['2050201', '学前教育'],
  ['2050202', '小学教育'],
  ['2050203', '初中教育'],
  ['2080501', '行政单位离退休'],
  ['2100302', '乡镇卫生院'],
  ['2120101', '城乡社区管理事务行政运行'],
  ['2130101', '农业农村行政运行'],
  ['2140101', '公路水路运输行政运行'],
  ['2210201', '住房公积金'],
];
const UNIT_SUFFIXES = ['（本级）', '信息中心', '机关服务中心', '档案馆', '培训中心', '执法队', '事务中心'];

function list(keys: string[], attrs: (i: number) => Record<string, string> = () => ({})): Site[] {
  return keys.map((key, i) => ({ key, attrs: attrs(i) }));
}

/** Sites by resource code and key item code. */
export function sitesFor(resourceCode: string, itemCode: string): Site[] | undefined {
  switch (`${resourceCode}:${itemCode}`) {
    case '308001/00001:station_code':
      return list(
        AIR_STATIONS.map((_, i) => `3306A${pad(i + 1, 2)}`),
        (i) => ({ station_name: AIR_STATIONS[i]! }),
      );
    case '310001/00001:station_id':
      return list(Array.from({ length: 10 }, (_, i) => String(58450 + i)));
    case '317001/00001:station_code':
      return list(
        WATERS.map((_, i) => `6320${pad(i + 1, 4)}`),
        (i) => {
          const [name, type] = WATERS[i]!;
          const rnd = createRandom(317 + i);
          return { station_name: name, station_type: type, ...coordinates(rnd, REGIONS[i % REGIONS.length]!), warning_level: (4 + rnd.next() * 6).toFixed(3) };
        },
      );
    case '308002/00001:outlet_code':
      return list(
        Array.from({ length: 80 }, (_, i) => `DW${pad(i + 1, 4)}`),
        (i) => {
          const firm = firmAt('company', i * 7);
          return { uscc: firm.uscc, ent_name: firm.name, outlet_type: i % 3 === 0 ? '废气' : '废水' };
        },
      );
    case '205001/00001:vehicle_no':
      return list(
        Array.from({ length: 300 }, (_, i) => `SX${pad(1001 + i, 5)}`),
        (i) => ({ line_no: `${1 + (i % 60)}路` }),
      );
    case '204001/00001:hospital_code':
      return list(Array.from({ length: 20 }, (_, i) => institutionCode(i)));
    case '201002/00001:street_code':
      return list(
        STREETS.map((s) => s.code),
        (i) => ({ street_name: STREETS[i]!.name }),
      );
    case '313001/00001:subject_code':
      return list(
        BUDGET_SUBJECTS.map(([code]) => code),
        (i) => ({ subject_name: BUDGET_SUBJECTS[i]![1] }),
      );
    case '321001/00001:interface_code':
      return list(
        DEMO_CITY.resources.map((r) => `IF${r.code.replace('/', '')}`),
        (i) => {
          const r = DEMO_CITY.resources[i]!;
          return { interface_name: `${r.name}查询接口`, provider_dept: DEMO_DEPARTMENTS.find((d) => d.key === r.provider)?.name ?? '' };
        },
      );
    case '321001/00001:consumer_dept':
      return list(DEMO_DEPARTMENTS.map((d) => d.name));
    default:
      return undefined;
  }
}

/** 预算单位: the n-th unit of a department, with its name. */
export function budgetUnit(k: number): Site {
  const department = DEMO_DEPARTMENTS[k % DEMO_DEPARTMENTS.length]!;
  const n = Math.floor(k / DEMO_DEPARTMENTS.length);
  const suffix = UNIT_SUFFIXES[n] ?? `所属单位${n}`;
  return { key: `${pad(101 + (k % DEMO_DEPARTMENTS.length), 3)}${pad(n + 1, 3)}`, attrs: { unit_name: `${department.name}${suffix}` } };
}
