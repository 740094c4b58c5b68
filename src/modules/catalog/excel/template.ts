import {
  CATEGORIES,
  DATA_TYPES,
  FORMAT_CATEGORIES,
  IMPORTANCE_LEVELS,
  LEGACY_TYPE_LETTERS,
  MASKING_RULES,
  OPEN_DOMAINS,
  OPEN_TYPES,
  SENSITIVITY_LEVELS,
  SHARE_MODES,
  SHARE_TYPES,
  UPDATE_FREQUENCIES,
  type DataType,
  type Sensitivity,
} from '../codes.js';
import type { DataItem, Resource } from '../resources/resources.schemas.js';
import {
  cellText,
  codeList,
  date,
  dateCell,
  formatYesNo,
  guard,
  Invalid,
  integer,
  lengthAndPrecision,
  normalizeLabel,
  text,
  textList,
  yesNo,
  type CellOut,
  type CellParser,
} from './cells.js';

/**
 * The catalogue template (政务信息资源目录填报模板): one sheet, one row per data item; the
 * resource columns are repeated on each item row of their resource, merged across them, or left
 * blank below the first. Every column is defined once here; import and export both derive from it.
 */
export const CATALOGUE_SHEET = '信息资源目录';
export const GUIDE_SHEET = '填写说明';

export const categories = codeList('资源分类', CATEGORIES, { 基础: 1, 主题: 2, 部门: 3, 基础类: 1, 主题类: 2, 部门类: 3 });
export const shareTypes = codeList('共享类型', SHARE_TYPES, {
  受限共享: 'CONDITIONAL',
  不共享: 'NOT_SHARED',
  1: 'UNCONDITIONAL',
  2: 'CONDITIONAL',
  3: 'NOT_SHARED',
});
export const openTypes = codeList('开放类型', OPEN_TYPES, {
  有条件开放: 'RESTRICTED',
  不予开放: 'PROHIBITED',
  不开放: 'PROHIBITED',
  1: 'UNCONDITIONAL',
  2: 'RESTRICTED',
  3: 'PROHIBITED',
});
export const shareModes = codeList('共享方式', SHARE_MODES, {
  接口方式: 'API',
  接口共享: 'API',
  服务接口: 'API',
  库表方式: 'DATABASE',
  库表交换: 'DATABASE',
  数据库: 'DATABASE',
  文件方式: 'FILE',
  文件下载: 'FILE',
  离线拷贝: 'OFFLINE',
});
export const updateFrequencies = codeList('更新周期', UPDATE_FREQUENCIES, { 每天: '02', 每季: '05', 半年: '06', 每年度: '07', 不定时: '09' });
export const formatCategories = codeList('格式分类', FORMAT_CATEGORIES, {
  电子文件类: 1,
  电子表格类: 2,
  数据库类: 3,
  图形图像类: 4,
  流媒体类: 5,
  自描述格式类: 6,
  服务接口类: 7,
});
export const openDomains = codeList('开放领域', OPEN_DOMAINS);
// "L2低敏感" and "L2（低敏感）" name a level too.
export const sensitivities = codeList(
  '敏感级别',
  SENSITIVITY_LEVELS,
  Object.fromEntries(
    (Object.entries(SENSITIVITY_LEVELS) as [Sensitivity, { zh: string }][]).flatMap(([k, v]) => [
      [`${k}${v.zh}`, k],
      [`${k}(${v.zh})`, k],
    ]),
  ),
);
export const importanceLevels = codeList('重要程度', IMPORTANCE_LEVELS, { 一般: 'GENERAL', 重要: 'IMPORTANT', 核心: 'CORE' });
export const maskingRules = codeList('脱敏规则', MASKING_RULES, { 无: 'NONE' });
const dataTypes = codeList('数据类型', DATA_TYPES, {
  字符串: 'STRING',
  字符: 'STRING',
  文本: 'TEXT',
  整数: 'INTEGER',
  数值: 'DECIMAL',
  数字: 'DECIMAL',
  浮点: 'DOUBLE',
  日期: 'DATE',
  日期时间: 'DATETIME',
  布尔: 'BOOLEAN',
  布尔型: 'BOOLEAN',
  VARCHAR: 'STRING',
  VARCHAR2: 'STRING',
  CHAR: 'STRING',
  INT: 'INTEGER',
  NUMBER: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  FLOAT: 'DOUBLE',
  TIMESTAMP: 'DATETIME',
  CLOB: 'TEXT',
  BLOB: 'BINARY',
});

/**
 * 数据类型 accepts a label (字符型), the legacy letter of the national template (C), or both
 * (字符型(C)); the letter is kept so export gives back what was imported.
 */
const dataType: CellParser<{ dataType: DataType; legacyType: string | null }> = guard((cell) => {
  const raw = cellText(cell) ?? '';
  const s = raw.normalize('NFKC').trim();
  if (/^[A-Za-z]$/.test(s)) {
    const letter = s.toUpperCase();
    const t = LEGACY_TYPE_LETTERS[letter];
    return t
      ? { dataType: t, legacyType: letter }
      : new Invalid(`'${raw}' is not a legacy type letter (${Object.keys(LEGACY_TYPE_LETTERS).join(' ')})`, 'UNKNOWN_VALUE');
  }
  const withLetter = /^(.+?)\s*\(\s*([A-Za-z])\s*\)$/.exec(s);
  const t = dataTypes.parse(withLetter ? withLetter[1]! : s);
  if (t === undefined || t instanceof Invalid) return t;
  return { dataType: t, legacyType: withLetter ? withLetter[2]!.toUpperCase() : null };
});
const formatDataType = (i: DataItem) => `${DATA_TYPES[i.dataType].zh}${i.legacyType ? `(${i.legacyType})` : ''}`;

/** Codes of related resources: separated by commas, 、, semicolons, spaces or new lines. */
const codeListCell = textList(/[,，、;；\s]+/);
const joinLabels = (xs: string[]) => (xs.length ? xs.join('、') : null);

export type ExportRefs = {
  department(id: string): { name: string; uscc: string } | undefined;
  systemName(id: string | null): string | null;
};

type Spec<K extends string, T> = {
  key: K;
  header: string;
  /** Other headers departments use; compared after removing spaces, * and a trailing (hint). */
  aliases?: readonly string[];
  /** The ResourceInput (resource level) or DataItemInput (item level) field: validation paths map back to this column. */
  field: string;
  /** The column must be present (its cells may still be optional). */
  required?: boolean;
  width?: number;
  /** Allowed values: a dropdown on export and a line in 填写说明. */
  choices?: readonly string[];
  /** One cell may list several of the choices (no dropdown on export). */
  multiple?: boolean;
  note?: string;
  parse: CellParser<T>;
};
export type ResourceColumn<K extends string = string, T = unknown> = Spec<K, T> & {
  level: 'resource';
  write: (r: Resource, refs: ExportRefs) => CellOut;
};
export type ItemColumn<K extends string = string, T = unknown> = Spec<K, T> & { level: 'item'; write: (i: DataItem) => CellOut };

const resourceColumn = <K extends string, T>(c: Omit<ResourceColumn<K, T>, 'level'>): ResourceColumn<K, T> => ({ ...c, level: 'resource' });
const itemColumn = <K extends string, T>(c: Omit<ItemColumn<K, T>, 'level'>): ItemColumn<K, T> => ({ ...c, level: 'item' });

export const COLUMNS = [
  resourceColumn({
    key: 'code',
    header: '信息资源代码',
    aliases: ['资源代码', '目录代码', '信息资源编码'],
    field: 'code',
    required: true,
    width: 16,
    note: '分类代码/顺序号，如 301001/00001；同一资源的各行填写相同代码（或合并单元格、下方留空）',
    parse: text,
    write: (r) => r.code,
  }),
  resourceColumn({
    key: 'name',
    header: '信息资源名称',
    aliases: ['资源名称', '目录名称'],
    field: 'name',
    required: true,
    width: 28,
    parse: text,
    write: (r) => r.name,
  }),
  resourceColumn({
    key: 'nameEn',
    header: '英文名称',
    aliases: ['信息资源英文名称', '资源英文名称'],
    field: 'nameEn',
    width: 24,
    parse: text,
    write: (r) => r.nameEn,
  }),
  resourceColumn({
    key: 'category',
    header: '资源分类',
    aliases: ['资源属性分类', '资源属性', '信息资源分类'],
    field: 'category',
    required: true,
    width: 14,
    choices: categories.labels,
    note: '基础/主题/部门，或 1/2/3',
    parse: categories.parse,
    write: (r) => categories.label(r.category as 1 | 2 | 3),
  }),
  resourceColumn({
    key: 'providerName',
    header: '提供方',
    aliases: ['信息资源提供方', '提供单位', '数源部门', '提供方名称', '资源提供方'],
    field: 'providerDepartmentId',
    width: 24,
    note: '部门全称；与提供方代码至少填一项',
    parse: text,
    write: (r, refs) => refs.department(r.providerDepartmentId)?.name ?? null,
  }),
  resourceColumn({
    key: 'providerUscc',
    header: '提供方代码',
    aliases: ['信息资源提供方代码', '统一社会信用代码', '提供方统一社会信用代码', '提供单位代码'],
    field: 'providerDepartmentId',
    width: 22,
    note: '18位统一社会信用代码',
    parse: text,
    write: (r, refs) => refs.department(r.providerDepartmentId)?.uscc ?? null,
  }),
  resourceColumn({
    key: 'regionCode',
    header: '所属行政区划',
    aliases: ['行政区划', '行政区划代码', '所属区划'],
    field: 'regionCode',
    width: 14,
    note: '6位区划代码；空则取提供方所在区划',
    parse: text,
    write: (r) => r.regionCode,
  }),
  resourceColumn({
    key: 'systemName',
    header: '所属信息系统',
    aliases: ['信息系统', '来源系统', '所属系统', '来源信息系统'],
    field: 'systemId',
    width: 22,
    note: '提供方已登记的信息系统名称',
    parse: text,
    write: (r, refs) => refs.systemName(r.systemId),
  }),
  resourceColumn({
    key: 'summary',
    header: '资源摘要',
    aliases: ['信息资源摘要', '摘要'],
    field: 'summary',
    required: true,
    width: 36,
    parse: text,
    write: (r) => r.summary,
  }),
  resourceColumn({
    key: 'formatCategory',
    header: '格式分类',
    aliases: ['信息资源格式分类', '资源格式分类'],
    field: 'formatCategory',
    required: true,
    width: 12,
    choices: formatCategories.labels,
    parse: formatCategories.parse,
    write: (r) => formatCategories.label(r.formatCategory as 1),
  }),
  resourceColumn({
    key: 'formatType',
    header: '格式类型',
    aliases: ['信息资源格式类型', '资源格式类型'],
    field: 'formatType',
    width: 12,
    note: '如 xlsx、MySQL、JSON',
    parse: text,
    write: (r) => r.formatType,
  }),
  resourceColumn({
    key: 'shareType',
    header: '共享类型',
    aliases: ['共享属性'],
    field: 'shareType',
    required: true,
    width: 14,
    choices: shareTypes.labels,
    note: '受限共享 视同 有条件共享',
    parse: shareTypes.parse,
    write: (r) => shareTypes.label(r.shareType),
  }),
  resourceColumn({
    key: 'shareCondition',
    header: '共享条件',
    field: 'shareCondition',
    width: 24,
    note: '有条件共享时必填',
    parse: text,
    write: (r) => r.shareCondition,
  }),
  resourceColumn({
    key: 'notSharedBasis',
    header: '不予共享依据',
    aliases: ['不共享依据'],
    field: 'notSharedBasis',
    width: 24,
    note: '不予共享时必填（法律法规依据）',
    parse: text,
    write: (r) => r.notSharedBasis,
  }),
  resourceColumn({
    key: 'shareModes',
    header: '共享方式',
    aliases: ['共享方式分类', '共享方式类型'],
    field: 'shareModes',
    width: 16,
    choices: shareModes.labels,
    multiple: true,
    note: '可多选，用、或逗号分隔',
    parse: shareModes.parseList,
    write: (r) => joinLabels(r.shareModes.map((m) => shareModes.label(m as keyof typeof SHARE_MODES))),
  }),
  resourceColumn({
    key: 'openType',
    header: '开放类型',
    aliases: ['开放属性', '是否向社会开放'],
    field: 'openType',
    required: true,
    width: 14,
    choices: openTypes.labels,
    note: '有条件开放 视同 受限开放；不予开放 视同 禁止开放',
    parse: openTypes.parse,
    write: (r) => openTypes.label(r.openType),
  }),
  resourceColumn({
    key: 'openCondition',
    header: '开放条件',
    field: 'openCondition',
    width: 24,
    note: '受限开放时必填',
    parse: text,
    write: (r) => r.openCondition,
  }),
  resourceColumn({
    key: 'openDomain',
    header: '开放领域',
    aliases: ['所属领域', '领域'],
    field: 'openDomain',
    width: 12,
    choices: openDomains.labels,
    note: '可开放的资源必填',
    parse: openDomains.parse,
    write: (r) => (r.openDomain === null ? null : openDomains.label(r.openDomain as 1)),
  }),
  resourceColumn({
    key: 'updateFrequency',
    header: '更新周期',
    aliases: ['更新频率'],
    field: 'updateFrequency',
    required: true,
    width: 10,
    choices: updateFrequencies.labels,
    note: '或代码 01–10',
    parse: updateFrequencies.parse,
    write: (r) => updateFrequencies.label(r.updateFrequency as keyof typeof UPDATE_FREQUENCIES),
  }),
  resourceColumn({
    key: 'publishedOn',
    header: '发布日期',
    aliases: ['发布时间'],
    field: 'publishedOn',
    width: 12,
    note: 'YYYY-MM-DD',
    parse: date,
    write: (r) => dateCell(r.publishedOn),
  }),
  resourceColumn({
    key: 'relatedCodes',
    header: '关联资源代码',
    aliases: ['关联资源', '关联信息资源代码'],
    field: 'relatedCodes',
    width: 18,
    note: '多个用逗号分隔',
    parse: codeListCell,
    write: (r) => (r.relatedCodes.length ? r.relatedCodes.join(',') : null),
  }),
  resourceColumn({
    key: 'sensitivity',
    header: '敏感级别',
    aliases: ['敏感等级', '数据敏感级别', '敏感程度'],
    field: 'sensitivity',
    required: true,
    width: 10,
    choices: Object.keys(SENSITIVITY_LEVELS),
    note: 'L1 不敏感、L2 低敏感、L3 较敏感、L4 敏感',
    parse: sensitivities.parse,
    write: (r) => r.sensitivity,
  }),
  resourceColumn({
    key: 'importance',
    header: '重要程度',
    aliases: ['数据重要程度'],
    field: 'importance',
    width: 10,
    choices: importanceLevels.labels,
    note: '空则为一般数据',
    parse: importanceLevels.parse,
    write: (r) => importanceLevels.label(r.importance as keyof typeof IMPORTANCE_LEVELS),
  }),
  resourceColumn({
    key: 'classified',
    header: '是否涉密',
    aliases: ['涉密'],
    field: 'classified',
    width: 8,
    choices: ['是', '否'],
    note: '空则为否',
    parse: yesNo,
    write: (r) => formatYesNo(r.classified),
  }),
  resourceColumn({
    key: 'tags',
    header: '标签',
    aliases: ['资源标签', '关键字'],
    field: 'tags',
    width: 16,
    note: '多个用、分隔',
    parse: textList(),
    write: (r) => joinLabels(r.tags),
  }),

  itemColumn({
    key: 'itemCode',
    header: '信息项编码',
    aliases: ['信息项代码', '数据项编码', '字段编码', '字段英文名'],
    field: 'code',
    required: true,
    width: 16,
    note: '字母开头，字母、数字、下划线；资源内唯一',
    parse: text,
    write: (i) => i.code,
  }),
  itemColumn({
    key: 'itemName',
    header: '信息项名称',
    aliases: ['数据项名称', '字段中文名', '字段名称'],
    field: 'name',
    required: true,
    width: 18,
    parse: text,
    write: (i) => i.name,
  }),
  itemColumn({
    key: 'itemNameEn',
    header: '信息项英文名',
    aliases: ['信息项英文名称', '英文名称'],
    field: 'nameEn',
    width: 18,
    parse: text,
    write: (i) => i.nameEn,
  }),
  itemColumn({
    key: 'dataType',
    header: '数据类型',
    aliases: ['字段类型', '信息项数据类型'],
    field: 'dataType',
    required: true,
    width: 12,
    choices: dataTypes.labels,
    note: '或旧模板字母 C N D T …，可写作 字符型(C)',
    parse: dataType,
    write: formatDataType,
  }),
  itemColumn({
    key: 'length',
    header: '数据长度',
    aliases: ['长度', '字段长度'],
    field: 'length',
    width: 8,
    note: '也可写作 10,2（长度,小数位）',
    parse: lengthAndPrecision,
    write: (i) => i.length,
  }),
  itemColumn({ key: 'precision', header: '小数位', aliases: ['精度', '小数位数'], field: 'precision', width: 8, parse: integer, write: (i) => i.precision }),
  itemColumn({
    key: 'primaryKey',
    header: '是否主键',
    aliases: ['主键'],
    field: 'primaryKey',
    width: 8,
    choices: ['是', '否'],
    note: '空则为否',
    parse: yesNo,
    write: (i) => formatYesNo(i.primaryKey),
  }),
  itemColumn({
    key: 'nullable',
    header: '是否可为空',
    aliases: ['可否为空', '是否为空', '允许为空', '是否允许为空'],
    field: 'nullable',
    width: 10,
    choices: ['是', '否'],
    note: '空则主键为否、其余为是',
    parse: yesNo,
    write: (i) => formatYesNo(i.nullable),
  }),
  itemColumn({ key: 'codeSet', header: '代码集', aliases: ['引用代码集', '代码标准'], field: 'codeSet', width: 14, parse: text, write: (i) => i.codeSet }),
  itemColumn({
    key: 'dataElement',
    header: '数据元',
    aliases: ['标准数据元', '引用数据元'],
    field: 'dataElement',
    width: 14,
    parse: text,
    write: (i) => i.dataElement,
  }),
  itemColumn({
    key: 'itemShareType',
    header: '信息项共享类型',
    aliases: ['共享类型'],
    field: 'shareType',
    width: 14,
    choices: shareTypes.labels,
    note: '空则同资源',
    parse: shareTypes.parse,
    write: (i) => shareTypes.label(i.shareType),
  }),
  itemColumn({
    key: 'itemShareCondition',
    header: '信息项共享条件',
    aliases: ['共享条件'],
    field: 'shareCondition',
    width: 20,
    parse: text,
    write: (i) => i.shareCondition,
  }),
  itemColumn({
    key: 'itemOpenType',
    header: '信息项开放类型',
    aliases: ['开放类型'],
    field: 'openType',
    width: 14,
    choices: openTypes.labels,
    note: '空则取资源与敏感级别允许的最宽松类型',
    parse: openTypes.parse,
    write: (i) => openTypes.label(i.openType),
  }),
  itemColumn({
    key: 'itemOpenCondition',
    header: '信息项开放条件',
    aliases: ['开放条件'],
    field: 'openCondition',
    width: 20,
    parse: text,
    write: (i) => i.openCondition,
  }),
  itemColumn({
    key: 'itemSensitivity',
    header: '信息项敏感级别',
    aliases: ['敏感级别', '敏感等级'],
    field: 'sensitivity',
    width: 10,
    choices: Object.keys(SENSITIVITY_LEVELS),
    note: '空则同资源',
    parse: sensitivities.parse,
    write: (i) => i.sensitivity,
  }),
  itemColumn({
    key: 'maskingRule',
    header: '脱敏规则',
    aliases: ['脱敏方式'],
    field: 'maskingRule',
    width: 16,
    choices: maskingRules.labels,
    parse: maskingRules.parse,
    write: (i) => (i.maskingRule ? maskingRules.label(i.maskingRule) : null),
  }),
  itemColumn({
    key: 'sourceField',
    header: '来源字段',
    aliases: ['源字段', '来源系统字段'],
    field: 'sourceField',
    width: 16,
    parse: text,
    write: (i) => i.sourceField,
  }),
  itemColumn({
    key: 'description',
    header: '说明',
    aliases: ['备注', '信息项说明'],
    field: 'description',
    width: 24,
    parse: text,
    write: (i) => i.description,
  }),
] as const;

export type Column = (typeof COLUMNS)[number];
export type ColumnKey = Column['key'];
export type ValueOf<K extends ColumnKey> = Exclude<ReturnType<Extract<Column, { key: K }>['parse']>, Invalid | undefined>;
/** The parsed cells of one row, by column key; a blank cell is absent. */
export type RowValues = { [K in ColumnKey]?: ValueOf<K> };

export const RESOURCE_COLUMNS = COLUMNS.filter((c): c is Extract<Column, { level: 'resource' }> => c.level === 'resource');
export const ITEM_COLUMNS = COLUMNS.filter((c): c is Extract<Column, { level: 'item' }> => c.level === 'item');
export const columnByKey = new Map<ColumnKey, Column>(COLUMNS.map((c) => [c.key, c]));
/** At least one of these names the provider department. */
export const PROVIDER_KEYS = ['providerUscc', 'providerName'] as const satisfies readonly ColumnKey[];

/** Headers compare without spaces or line breaks, * marks, or a trailing hint in brackets: "共享类型\n(无条件共享/…)". */
export function normalizeHeader(h: string): string {
  return normalizeLabel(h)
    .replace(/[*＊]/g, '')
    .replace(/\([^()]*\)$/, '')
    .replace(/[:：]$/, '');
}

const byHeader = new Map<string, Column[]>();
for (const c of COLUMNS) {
  for (const h of [c.header, ...(c.aliases ?? [])]) {
    const n = normalizeHeader(h);
    const list = byHeader.get(n) ?? byHeader.set(n, []).get(n)!;
    if (!list.includes(c)) list.push(c);
  }
}

export type HeaderMatch = {
  /** Sheet column number (1-based) → template column. */
  columns: Map<number, Column>;
  /** Template column → the header as the sheet spells it. */
  headerOf: Map<ColumnKey, string>;
  unknown: { index: number; header: string }[];
  duplicates: { index: number; header: string; column: Column }[];
  missing: Column[];
  /** Neither 提供方 nor 提供方代码 is present. */
  missingProvider: boolean;
};

/**
 * Maps a header row onto the template. A header both levels use (共享类型, 敏感级别, 英文名称 …)
 * means the item's column when it stands right of the first item-only column, as in the
 * national template where the 信息项 block repeats them.
 */
export function matchHeaders(cells: (string | null)[]): HeaderMatch {
  const candidates = cells.map((h) => (h ? (byHeader.get(normalizeHeader(h)) ?? []) : []));
  const firstItem = candidates.findIndex((cs) => cs.length > 0 && cs.every((c) => c.level === 'item'));
  const out: HeaderMatch = { columns: new Map(), headerOf: new Map(), unknown: [], duplicates: [], missing: [], missingProvider: false };
  const used = new Set<ColumnKey>();
  candidates.forEach((cs, index) => {
    const header = cells[index];
    if (!header) return;
    const level = firstItem >= 0 && index > firstItem ? 'item' : 'resource';
    const column = cs.length > 1 ? (cs.find((c) => c.level === level) ?? cs[0]) : cs[0];
    if (!column) return out.unknown.push({ index, header });
    if (used.has(column.key)) return out.duplicates.push({ index, header, column });
    used.add(column.key);
    out.columns.set(index, column);
    out.headerOf.set(column.key, header);
  });
  out.missing = COLUMNS.filter((c) => c.required && !used.has(c.key));
  out.missingProvider = !PROVIDER_KEYS.some((k) => used.has(k));
  return out;
}
