import { buildUscc } from '../../shared/validation/uscc.js';
import { daysFromCivil, isoDay } from './dates.js';
import { randomName } from './people.js';
import { address, randomLineage, randomStreet, type Street } from './places.js';
import { createRandom, type Random } from './random.js';

/**
 * SYNTHETIC market entities and organisations. The k-th entity of a kind is always the same,
 * so 企业登记, 纳税人登记 and 信用评价 describe the same firms and can be joined by USCC.
 * Names are assembled from common words; any likeness to a real firm is chance.
 */

/** GB 32100 registration authority + entity type: 91 企业, 92 个体工商户, 52 社会组织 (民办非企业), 12 事业单位. */
export type FirmKind = 'company' | 'individual' | 'social' | 'institution';
const USCC_TYPE: Record<FirmKind, string> = { company: '91', individual: '92', social: '52', institution: '12' };
const KIND_SEED: Record<FirmKind, number> = { company: 101, individual: 202, social: 303, institution: 404 };

export type Industry = { word: string; code: string; scope: string };

/** GB/T 4754-2017 classes typical of Shaoxing (textiles, dyeing, chemical fibre, 黄酒 …). */
export const INDUSTRIES: readonly Industry[] = [
  { word: '纺织', code: 'C1711', scope: '棉纱、坯布的生产、加工、销售；货物进出口' },
  { word: '印染', code: 'C1713', scope: '纺织品印染、后整理加工；纺织原料及产品销售' },
  { word: '化纤', code: 'C2822', scope: '涤纶纤维制造、销售；化工原料（除危险化学品）销售' },
  { word: '服饰', code: 'C1819', scope: '服装、服饰制造、加工、销售；面料、辅料销售' },
  { word: '黄酒', code: 'C1515', scope: '黄酒生产、销售；预包装食品销售' },
  { word: '机械', code: 'C3499', scope: '通用设备及配件制造、加工、销售；机械设备维修' },
  { word: '电子科技', code: 'C3989', scope: '电子元器件研发、制造、销售；技术服务、技术转让' },
  { word: '医药', code: 'C2720', scope: '化学药品制剂的研发、生产、销售' },
  { word: '建材', code: 'C3021', scope: '水泥制品、新型建材的生产、销售' },
  { word: '食品', code: 'C1499', scope: '食品生产、销售；农副产品收购' },
  { word: '贸易', code: 'F5132', scope: '纺织品、针织品及原料批发、零售；货物进出口、技术进出口' },
  { word: '物流', code: 'G5821', scope: '普通货运；货物运输代理；仓储服务（除危险品）' },
  { word: '建设工程', code: 'E4710', scope: '房屋建筑工程、市政公用工程施工；建筑劳务分包' },
  { word: '信息技术', code: 'I6513', scope: '软件开发；信息系统集成服务；数据处理服务' },
  { word: '餐饮管理', code: 'H6210', scope: '餐饮服务；餐饮管理；预包装食品销售' },
  { word: '农业开发', code: 'A0141', scope: '蔬菜、水果种植、销售；农业技术开发' },
];
const INDUSTRY_WEIGHTS = [14, 10, 6, 8, 3, 8, 5, 2, 3, 4, 12, 5, 6, 5, 6, 3];

const TRADE_CHARS = [...'恒瑞华兴盛达昌隆鑫源泰丰和越宏伟金银东方永康信诚嘉美天海正中明新立远安宁鼎汇通运博雅'];
const COMPANY_SUFFIXES = ['有限公司', '有限公司', '有限公司', '股份有限公司', '有限责任公司'];
const SHOP_WORDS = ['小吃店', '便利店', '服装店', '五金店', '理发店', '面馆', '水果店', '超市', '茶叶店', '电器维修部', '布行', '酒行'];
const SOCIAL_TOPICS = ['纺织行业', '黄酒产业', '物流行业', '软件行业', '摄影', '书法', '老年体育', '志愿服务', '慈善', '心理健康', '青少年发展', '社区养老'];
const SOCIAL_SUFFIXES = ['协会', '促进会', '服务中心', '研究会', '基金会'];
const INSTITUTION_TOPICS = [
  '疾病预防控制',
  '社会福利',
  '公共资源交易',
  '职业技能培训',
  '文化馆',
  '图书馆',
  '水利工程管理',
  '不动产登记服务',
  '政务服务',
  '城市建设档案',
];

export type Firm = {
  kind: FirmKind;
  uscc: string;
  name: string;
  /** 字号 (trade name), e.g. 恒瑞. */
  trade: string;
  industry: Industry;
  legalRep: string;
  street: Street;
  address: string;
  establishDate: string;
  /** 注册资本 in 10,000 yuan. */
  capital: number;
  phone: string;
};

/** splitmix-style mixing of (seed, k) into one 32-bit seed. */
function mix(seed: number, k: number): number {
  let z = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d) >>> 0;
  return (z ^ (z >>> 12)) >>> 0;
}

/**
 * An affine scramble of k over 10^8 (3,467,131 is coprime with it): distinct k give distinct
 * organisation-code bodies, so USCCs of one kind never repeat, yet they do not count up visibly.
 */
function body8(kind: FirmKind, k: number): string {
  return String((3_467_131 * k + KIND_SEED[kind] * 1_000_003) % 100_000_000).padStart(8, '0');
}

const FIRST_DAY = daysFromCivil(1995, 1, 1);
const LAST_DAY = daysFromCivil(2024, 12, 31);

export function firmAt(kind: FirmKind, k: number): Firm {
  const rnd = createRandom(mix(KIND_SEED[kind], k));
  const street = randomStreet(rnd, randomLineage(rnd));
  const industry = rnd.weighted(INDUSTRIES, INDUSTRY_WEIGHTS);
  const trade = rnd.pick(TRADE_CHARS) + rnd.pick(TRADE_CHARS);
  const district = street.lineage.district;
  const name =
    kind === 'company'
      ? `${rnd.next() < 0.3 ? '浙江' : `绍兴${rnd.next() < 0.5 ? '市' : `市${district}`}`}${trade}${industry.word}${rnd.pick(COMPANY_SUFFIXES)}`
      : kind === 'individual'
        ? `${district}${trade}${rnd.pick(SHOP_WORDS)}`
        : kind === 'social'
          ? `绍兴市${rnd.next() < 0.4 ? district : ''}${rnd.pick(SOCIAL_TOPICS)}${rnd.pick(SOCIAL_SUFFIXES)}`
          : `绍兴市${rnd.next() < 0.5 ? district : ''}${rnd.pick(INSTITUTION_TOPICS)}中心`;
  return {
    kind,
    uscc: buildUscc(`${USCC_TYPE[kind]}${street.lineage.currentCode}`, body8(kind, k)),
    name,
    trade,
    industry,
    legalRep: randomName(rnd),
    street,
    address: address(rnd, street, false),
    establishDate: isoDay(FIRST_DAY + rnd.int(LAST_DAY - FIRST_DAY + 1)),
    capital: kind === 'individual' ? 1 + rnd.int(50) : Math.round(10 ** (1 + rnd.next() * 3.5)),
    phone: `0575-8${rnd.digits(7)}`,
  };
}

/** Any firm of the kind, for a second party on a row (a supervisor, an employer). */
export function randomFirm(rnd: Random, kind: FirmKind = 'company'): Firm {
  return firmAt(kind, 50_000_000 + rnd.int(40_000_000));
}
