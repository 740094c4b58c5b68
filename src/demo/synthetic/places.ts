import { LINEAGES, ROADS, type Lineage } from './population-data.js';
import type { Random } from './random.js';

/**
 * Places in Shaoxing for synthetic rows: districts, townships (乡镇/街道) with 9-digit GB/T 10114
 * style codes, addresses and coordinates. Names are public geography; codes after the region
 * are assigned here (街道 001…, 镇 101…), not looked up.
 */

export type Street = { code: string; name: string; lineage: Lineage };

export const STREETS: readonly Street[] = LINEAGES.flatMap((lineage) => {
  let town = 100;
  let street = 0;
  return lineage.streets.map((name) => ({
    code: `${lineage.currentCode}${String(name.endsWith('街道') ? ++street : ++town).padStart(3, '0')}`,
    name,
    lineage,
  }));
});

/** Rough centres of the six districts/counties (WGS-84), around 120.58 E, 30.0 N for the city. */
const CENTRES: Record<string, readonly [number, number]> = {
  '330602': [120.58, 30.0],
  '330603': [120.49, 30.08],
  '330604': [120.87, 30.03],
  '330624': [120.9, 29.5],
  '330681': [120.24, 29.71],
  '330683': [120.83, 29.59],
};

const VILLAGE_SUFFIXES = ['村', '社区'];
const VILLAGE_WORDS = [
  '东',
  '西',
  '南',
  '北',
  '新',
  '前',
  '后',
  '上',
  '下',
  '大',
  '小',
  '王',
  '陈',
  '张',
  '湖',
  '山',
  '溪',
  '塘',
  '桥',
  '岙',
  '坞',
  '江',
  '浦',
  '埠',
  '林',
  '竹',
  '梅',
  '兰',
  '安',
  '和',
  '丰',
  '福',
];
const BUILDING_WORDS = ['金色', '阳光', '锦绣', '翠苑', '风华', '鉴湖', '镜湖', '兰亭', '会稽', '蕺山', '府山', '柯岩', '越秀', '水岸', '凤凰', '香榭'];
const BUILDING_SUFFIXES = ['花园', '小区', '家园', '公寓', '新村', '大厦', '广场', '苑'];

export function randomLineage(rnd: Random): Lineage {
  // Weighted roughly by population: 越城, 柯桥, 上虞, 新昌, 诸暨, 嵊州.
  return rnd.weighted(LINEAGES, [18, 20, 15, 8, 24, 15]);
}

export function randomStreet(rnd: Random, lineage: Lineage = randomLineage(rnd)): Street {
  const inDistrict = STREETS.filter((s) => s.lineage === lineage);
  return rnd.pick(inDistrict);
}

export function villageName(rnd: Random): string {
  return rnd.pick(VILLAGE_WORDS) + rnd.pick(VILLAGE_WORDS) + rnd.pick(VILLAGE_SUFFIXES);
}

export function buildingName(rnd: Random): string {
  return rnd.pick(BUILDING_WORDS) + rnd.pick(BUILDING_SUFFIXES);
}

export function roadName(rnd: Random): string {
  return rnd.pick(ROADS);
}

/** 浙江省绍兴市<district><street><road><n>号[<building>幢<room>室]. */
export function address(rnd: Random, street: Street = randomStreet(rnd), withRoom = rnd.next() < 0.5): string {
  const base = `浙江省绍兴市${street.lineage.district}${street.name}${rnd.pick(ROADS)}${1 + rnd.int(300)}号`;
  return withRoom ? `${base}${1 + rnd.int(30)}幢${(1 + rnd.int(20)) * 100 + 1 + rnd.int(4)}室` : base;
}

/** Longitude and latitude (6 decimals) near the district's centre. */
export function coordinates(rnd: Random, regionCode: string): { longitude: string; latitude: string } {
  const [lng, lat] = CENTRES[regionCode] ?? CENTRES['330602']!;
  return { longitude: (lng + (rnd.next() - 0.5) * 0.16).toFixed(6), latitude: (lat + (rnd.next() - 0.5) * 0.12).toFixed(6) };
}

/** A small closed WKT polygon around a point: plots, grids. */
export function polygon(rnd: Random, regionCode: string, size = 0.004): string {
  const { longitude, latitude } = coordinates(rnd, regionCode);
  const x = Number(longitude);
  const y = Number(latitude);
  const w = size * (0.5 + rnd.next());
  const h = size * (0.5 + rnd.next());
  const p = (a: number, b: number) => `${a.toFixed(6)} ${b.toFixed(6)}`;
  return `POLYGON((${p(x, y)}, ${p(x + w, y)}, ${p(x + w, y + h)}, ${p(x, y + h)}, ${p(x, y)}))`;
}
