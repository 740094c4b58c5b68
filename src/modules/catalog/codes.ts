/**
 * Code lists of the catalogue (DOMAIN.md §3). Each entry: stored value → Chinese and English labels.
 * The Excel template and the UI show the Chinese labels; the API speaks the code names.
 */
import type { ColumnType } from '../../storage/column-types.js';

type CodeList<K extends string | number> = Readonly<Record<K, { zh: string; en: string }>>;

export const CATEGORIES = {
  1: { zh: '基础信息资源', en: 'base' },
  2: { zh: '主题信息资源', en: 'thematic' },
  3: { zh: '部门信息资源', en: 'departmental' },
} as const satisfies CodeList<number>;
export type Category = 1 | 2 | 3;

/** Share and open types are ordered by restriction: a larger number is more restricted. */
export const SHARE_TYPES = {
  UNCONDITIONAL: { zh: '无条件共享', en: 'unconditional' },
  CONDITIONAL: { zh: '有条件共享', en: 'conditional' },
  NOT_SHARED: { zh: '不予共享', en: 'not shared' },
} as const satisfies CodeList<string>;
export type ShareType = keyof typeof SHARE_TYPES;
export const SHARE_TYPE_RANK: Record<ShareType, number> = { UNCONDITIONAL: 1, CONDITIONAL: 2, NOT_SHARED: 3 };

export const OPEN_TYPES = {
  UNCONDITIONAL: { zh: '无条件开放', en: 'unconditional' },
  RESTRICTED: { zh: '受限开放', en: 'restricted' },
  PROHIBITED: { zh: '禁止开放', en: 'prohibited' },
} as const satisfies CodeList<string>;
export type OpenType = keyof typeof OPEN_TYPES;
export const OPEN_TYPE_RANK: Record<OpenType, number> = { UNCONDITIONAL: 1, RESTRICTED: 2, PROHIBITED: 3 };

export const SHARE_MODES = {
  API: { zh: '接口', en: 'API' },
  DATABASE: { zh: '库表', en: 'database tables' },
  FILE: { zh: '文件', en: 'file' },
  REALTIME_CDC: { zh: '数据高铁', en: 'realtime channel' },
  OFFLINE: { zh: '离线', en: 'offline' },
} as const satisfies CodeList<string>;
export type ShareMode = keyof typeof SHARE_MODES;

export const UPDATE_FREQUENCIES = {
  '01': { zh: '实时', en: 'realtime' },
  '02': { zh: '每日', en: 'daily' },
  '03': { zh: '每周', en: 'weekly' },
  '04': { zh: '每月', en: 'monthly' },
  '05': { zh: '每季度', en: 'quarterly' },
  '06': { zh: '每半年', en: 'semi-annual' },
  '07': { zh: '每年', en: 'annual' },
  '08': { zh: '其他', en: 'other' },
  '09': { zh: '不定期', en: 'irregular' },
  '10': { zh: '不更新', en: 'never' },
} as const satisfies CodeList<string>;
export type UpdateFrequency = keyof typeof UPDATE_FREQUENCIES;

export const FORMAT_CATEGORIES = {
  1: { zh: '电子文件', en: 'electronic document' },
  2: { zh: '电子表格', en: 'spreadsheet' },
  3: { zh: '数据库', en: 'database' },
  4: { zh: '图形图像', en: 'image' },
  5: { zh: '流媒体', en: 'streaming media' },
  6: { zh: '自描述格式', en: 'self-describing format' },
  7: { zh: '服务接口', en: 'service interface' },
} as const satisfies CodeList<number>;
export type FormatCategory = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** DB33/T 2351-2021 sensitivity levels, ordered. */
export const SENSITIVITY_LEVELS = {
  L1: { zh: '不敏感', en: 'not sensitive' },
  L2: { zh: '低敏感', en: 'low' },
  L3: { zh: '较敏感', en: 'moderate' },
  L4: { zh: '敏感', en: 'sensitive' },
} as const satisfies CodeList<string>;
export type Sensitivity = keyof typeof SENSITIVITY_LEVELS;

export const IMPORTANCE_LEVELS = {
  GENERAL: { zh: '一般数据', en: 'general' },
  IMPORTANT: { zh: '重要数据', en: 'important' },
  CORE: { zh: '核心数据', en: 'core' },
} as const satisfies CodeList<string>;
export type Importance = keyof typeof IMPORTANCE_LEVELS;

export const OPEN_DOMAINS = {
  1: { zh: '信用服务', en: 'credit services' },
  2: { zh: '医疗卫生', en: 'health' },
  3: { zh: '社保就业', en: 'social security and employment' },
  4: { zh: '公共安全', en: 'public safety' },
  5: { zh: '城建住房', en: 'urban construction and housing' },
  6: { zh: '交通运输', en: 'transport' },
  7: { zh: '教育文化', en: 'education and culture' },
  8: { zh: '科技创新', en: 'science and innovation' },
  9: { zh: '资源能源', en: 'resources and energy' },
  10: { zh: '生态环境', en: 'ecology and environment' },
  11: { zh: '工业农业', en: 'industry and agriculture' },
  12: { zh: '商贸流通', en: 'commerce and trade' },
  13: { zh: '财税金融', en: 'finance and tax' },
  14: { zh: '安全生产', en: 'work safety' },
  15: { zh: '市场监管', en: 'market regulation' },
  16: { zh: '社会救助', en: 'social assistance' },
  17: { zh: '法律服务', en: 'legal services' },
  18: { zh: '生活服务', en: 'daily-life services' },
  19: { zh: '气象服务', en: 'weather' },
  20: { zh: '地理空间', en: 'geospatial' },
  21: { zh: '机构团体', en: 'organisations' },
  99: { zh: '其他', en: 'other' },
} as const satisfies CodeList<number>;
export type OpenDomain = keyof typeof OPEN_DOMAINS;

/**
 * Data item types: a normalized enum, with the legacy xBase/DBF letter of the national
 * template kept alongside (C N Y D T L M G B I F).
 */
export const DATA_TYPES = {
  STRING: { zh: '字符型', en: 'string', letter: 'C' },
  TEXT: { zh: '备注型', en: 'long text', letter: 'M' },
  INTEGER: { zh: '整型', en: 'integer', letter: 'I' },
  DECIMAL: { zh: '数值型', en: 'decimal', letter: 'N' },
  DOUBLE: { zh: '浮点型', en: 'floating point', letter: 'F' },
  DATE: { zh: '日期型', en: 'date', letter: 'D' },
  DATETIME: { zh: '日期时间型', en: 'date-time', letter: 'T' },
  BOOLEAN: { zh: '逻辑型', en: 'boolean', letter: 'L' },
  BINARY: { zh: '二进制', en: 'binary', letter: 'G' },
} as const satisfies Record<ColumnType, { zh: string; en: string; letter: string }>;
export type DataType = keyof typeof DATA_TYPES;

/** Legacy letters that have no enum of their own map onto the nearest type. */
export const LEGACY_TYPE_LETTERS: Record<string, DataType> = {
  C: 'STRING',
  M: 'TEXT',
  I: 'INTEGER',
  N: 'DECIMAL',
  Y: 'DECIMAL',
  F: 'DOUBLE',
  B: 'DOUBLE',
  D: 'DATE',
  T: 'DATETIME',
  L: 'BOOLEAN',
  G: 'BINARY',
};

export const SYSTEM_LEVELS = {
  NATIONAL: { zh: '国家级', en: 'national' },
  PROVINCIAL: { zh: '省级', en: 'provincial' },
  CITY: { zh: '市级', en: 'city' },
  COUNTY: { zh: '县级', en: 'county' },
} as const satisfies CodeList<string>;
export type SystemLevel = keyof typeof SYSTEM_LEVELS;

export const SYSTEM_STATUSES = {
  IN_USE: { zh: '在用', en: 'in use' },
  BUILDING: { zh: '在建', en: 'being built' },
  SUSPENDED: { zh: '停用', en: 'suspended' },
  RETIRED: { zh: '已下线', en: 'retired' },
} as const satisfies CodeList<string>;
export type SystemStatus = keyof typeof SYSTEM_STATUSES;

export const DEPARTMENT_KINDS = {
  PARTY: { zh: '党委部门', en: 'party organ' },
  GOVERNMENT: { zh: '政府部门', en: 'government department' },
  INSTITUTION: { zh: '事业单位', en: 'public institution' },
  ENTERPRISE: { zh: '国有企业', en: 'state-owned enterprise' },
  OTHER: { zh: '其他', en: 'other' },
} as const satisfies CodeList<string>;
export type DepartmentKind = keyof typeof DEPARTMENT_KINDS;

export const MASKING_RULES = {
  NONE: { zh: '不脱敏', en: 'none' },
  CITIZEN_ID: { zh: '身份证号保留前6后4', en: 'ID number: first 6 + last 4' },
  MOBILE: { zh: '手机号保留前3后4', en: 'mobile: first 3 + last 4' },
  NAME: { zh: '姓名保留姓', en: 'name: keep surname' },
  ADDRESS: { zh: '地址保留到区县', en: 'address: down to district' },
  BANK_CARD: { zh: '银行卡保留前6后4', en: 'bank card: first 6 + last 4' },
  FULL: { zh: '全部遮蔽', en: 'fully masked' },
} as const satisfies CodeList<string>;
export type MaskingRule = keyof typeof MASKING_RULES;

export function keysOf<T extends object>(list: T): (keyof T & string)[] {
  return Object.keys(list) as (keyof T & string)[];
}
