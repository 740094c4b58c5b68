import type { ThemeAttribute, ThemeDefinition, ThemeMember } from '../modules/themes/contracts.js';
import { SYSTEM_ACTOR, type Actor } from '../shared/actor.js';

/**
 * The demo city's six thematic databases 六大主题库 (DOMAIN.md §8), each built from the demo's
 * own member resources by the real mechanism: the demo start defines them through the themes
 * service once the records are loaded (defineDemoThemes), and the masters come out of the sync.
 *
 * Member resources are named by catalogue code here (ids exist only once the loader made them).
 * Priorities follow authority: public security first for names and ID data (人口基本信息, then the
 * e-ID card), market regulation first for entity names, each base's own registrar for its own
 * subjects; lower priority members fill what the authoritative ones lack. Records without a
 * valid key match only on fixed combinations of several attributes, never on a name alone.
 */
export type DemoThemeMember = Omit<ThemeMember, 'resourceId'> & { resource: string };
export type DemoTheme = Omit<ThemeDefinition, 'members' | 'attributePriority'> & {
  members: DemoThemeMember[];
  /** Per attribute: member resource codes in order of authority. */
  attributePriority?: Record<string, string[]>;
};

const attr = (code: string, name: string, nameEn: string, indexed = false): ThemeAttribute => ({ code, name, nameEn, ...(indexed ? { indexed } : {}) });

const POPULATION: DemoTheme = {
  code: 'population',
  name: '人口综合库',
  nameEn: 'Population base',
  keyKind: 'CITIZEN_ID',
  attributes: [
    attr('citizen_id', '公民身份号码', 'Citizen ID number'),
    attr('name', '姓名', 'Name'),
    attr('sex_code', '性别代码', 'Sex code'),
    attr('birth_date', '出生日期', 'Date of birth'),
    attr('nation_code', '民族代码', 'Ethnic group code'),
    attr('region_code', '户籍地行政区划代码', 'Domicile region code'),
    attr('address', '户籍地详址', 'Domicile address'),
    attr('mobile', '联系电话', 'Mobile number'),
    attr('education_code', '学历代码', 'Education level code'),
    attr('marital_status', '婚姻状况代码', 'Marital status code'),
    attr('household_no', '户号', 'Household number'),
    attr('employer_name', '参保单位名称', 'Employer'),
    attr('assistance_type', '救助类别', 'Assistance type'),
  ],
  members: [
    {
      resource: '101001/00001', // 人口基本信息 (公安局): the authoritative source
      keyItem: 'citizen_id',
      priority: 1,
      attributes: {
        citizen_id: 'citizen_id',
        name: 'name',
        sex_code: 'sex_code',
        birth_date: 'birth_date',
        nation_code: 'nation_code',
        region_code: 'domicile_region_code',
        address: 'domicile_address',
        education_code: 'education_code',
        marital_status: 'marital_status',
        household_no: 'household_no',
      },
    },
    {
      resource: '105002/00001', // 居民身份证电子证照 (公安局)
      keyItem: 'citizen_id',
      priority: 2,
      attributes: {
        citizen_id: 'citizen_id',
        name: 'name',
        sex_code: 'sex_code',
        birth_date: 'birth_date',
        nation_code: 'nation_code',
        address: 'domicile_address',
      },
    },
    {
      resource: '101001/00002', // 户籍迁移登记信息 (公安局)
      keyItem: 'citizen_id',
      priority: 3,
      attributes: { name: 'name' },
    },
    {
      resource: '101004/00001', // 社会保险参保信息 (人社局)
      keyItem: 'citizen_id',
      priority: 4,
      attributes: { name: 'name', sex_code: 'sex_code', employer_name: 'employer_name' },
    },
    {
      resource: '201001/00001', // 困难群众救助对象信息 (民政局)
      keyItem: 'citizen_id',
      priority: 5,
      attributes: {
        name: 'name',
        sex_code: 'sex_code',
        birth_date: 'birth_date',
        mobile: 'mobile',
        assistance_type: 'assistance_type',
      },
    },
  ],
  attributePriority: {
    name: ['101001/00001', '105002/00001', '101001/00002', '101004/00001', '201001/00001'],
    // Only the ID card data carry the number as an attribute: a legacy or mistyped key elsewhere is no rival value.
    citizen_id: ['101001/00001', '105002/00001'],
  },
  fallbackMatch: [
    ['name', 'birth_date', 'sex_code', 'region_code'],
    ['name', 'birth_date', 'sex_code', 'address'],
  ],
  regionAttribute: 'region_code',
};

const LEGAL_ENTITY: DemoTheme = {
  code: 'legal_entity',
  name: '法人综合库',
  nameEn: 'Legal-entity base',
  keyKind: 'USCC',
  attributes: [
    attr('uscc', '统一社会信用代码', 'Unified social credit code'),
    attr('name', '名称', 'Name'),
    attr('legal_rep_name', '法定代表人（负责人、经营者）', 'Legal representative'),
    attr('establish_date', '成立日期', 'Date of establishment'),
    attr('address', '住所（经营场所）', 'Registered address'),
    attr('industry_code', '国民经济行业代码', 'Industry code'),
    attr('region_code', '行政区划代码', 'Region code'),
    attr('reg_status', '登记状态', 'Registration status'),
    attr('reg_authority', '登记机关', 'Registration authority'),
    attr('taxpayer_type', '纳税人类型', 'Taxpayer type'),
    attr('tax_credit_grade', '纳税信用等级', 'Tax credit grade'),
  ],
  members: [
    {
      resource: '102001/00001', // 企业登记基本信息 (市场监管局)
      keyItem: 'uscc',
      priority: 1,
      attributes: {
        uscc: 'uscc',
        name: 'ent_name',
        legal_rep_name: 'legal_rep_name',
        establish_date: 'establish_date',
        address: 'reg_address',
        industry_code: 'industry_code',
        region_code: 'region_code',
        reg_status: 'reg_status',
        reg_authority: 'reg_authority',
      },
    },
    {
      resource: '102001/00002', // 个体工商户登记信息 (市场监管局)
      keyItem: 'uscc',
      priority: 1,
      attributes: {
        uscc: 'uscc',
        name: 'trade_name',
        legal_rep_name: 'operator_name',
        establish_date: 'establish_date',
        address: 'business_place',
        industry_code: 'industry_code',
        reg_status: 'reg_status',
        reg_authority: 'reg_authority',
      },
    },
    {
      resource: '102002/00001', // 社会组织登记信息 (民政局)
      keyItem: 'uscc',
      priority: 1,
      attributes: {
        uscc: 'uscc',
        name: 'org_name',
        legal_rep_name: 'legal_rep_name',
        establish_date: 'establish_date',
        address: 'reg_address',
        reg_authority: 'reg_authority',
      },
    },
    {
      resource: '102003/00001', // 事业单位登记信息 (编办)
      keyItem: 'uscc',
      priority: 1,
      attributes: { uscc: 'uscc', name: 'org_name', legal_rep_name: 'legal_rep_name', address: 'reg_address' },
    },
    {
      resource: '102004/00001', // 纳税人登记信息 (税务, via the credit platform): older rows keyed by organisation code
      keyItem: 'uscc',
      priority: 3,
      attributes: { name: 'ent_name', industry_code: 'industry_code', taxpayer_type: 'taxpayer_type', tax_credit_grade: 'tax_credit_grade' },
    },
  ],
  attributePriority: {
    name: ['102001/00001', '102001/00002', '102002/00001', '102003/00001', '102004/00001'],
    industry_code: ['102001/00001', '102001/00002', '102004/00001'],
  },
  fallbackMatch: [['name', 'region_code']],
  regionAttribute: 'region_code',
};

const CREDIT: DemoTheme = {
  code: 'credit',
  name: '信用信息库',
  nameEn: 'Credit base',
  keyKind: 'SUBJECT',
  attributes: [
    attr('name', '主体名称', 'Subject name'),
    attr('credit_score', '公共信用评分', 'Public credit score'),
    attr('credit_grade', '公共信用等级', 'Public credit grade'),
    attr('evaluation_date', '评价日期', 'Evaluation date'),
    attr('region_code', '行政区划代码', 'Region code'),
    attr('dishonest_list', '严重失信名单类型', 'Serious dishonesty list'),
    attr('listing_date', '列入日期', 'Listed on'),
    attr('removal_date', '移出日期', 'Removed on'),
    attr('record_type', '自然人信用记录类型', 'Personal record type'),
    attr('record_date', '自然人信用记录日期', 'Personal record date'),
  ],
  members: [
    {
      resource: '104001/00001', // 企业公共信用评价结果 (发改委)
      keyItem: 'uscc',
      priority: 1,
      attributes: {
        name: 'ent_name',
        credit_score: 'credit_score',
        credit_grade: 'credit_grade',
        evaluation_date: 'evaluation_date',
        region_code: 'region_code',
      },
    },
    {
      resource: '104003/00001', // 严重失信主体名单 (发改委)
      keyItem: 'subject_uscc',
      priority: 2,
      attributes: { name: 'subject_name', dishonest_list: 'list_type', listing_date: 'listing_date', removal_date: 'removal_date' },
    },
    {
      resource: '104004/00001', // 自然人公共信用信息 (发改委): a few ID numbers with a wrong check digit wait for review
      keyItem: 'citizen_id',
      priority: 1,
      attributes: { name: 'name', record_type: 'record_type', record_date: 'record_date' },
    },
  ],
  regionAttribute: 'region_code',
};

const ELICENCE: DemoTheme = {
  code: 'elicence',
  name: '电子证照库',
  nameEn: 'E-licence base',
  keyKind: 'LICENCE_ID',
  attributes: [
    attr('name', '证照名称', 'Licence name'),
    attr('type_code', '证照类型代码', 'Licence type code'),
    attr('number', '证照编号', 'Licence number'),
    attr('holder', '持证主体', 'Holder'),
    attr('holder_code', '持证主体代码', 'Holder code', true),
    attr('holder_code_type', '持证主体代码类型', 'Holder code type'),
    attr('issuer', '颁证单位', 'Issuer'),
    attr('issuer_code', '颁证单位代码', 'Issuer code'),
    attr('issue_date', '颁证日期', 'Issue date'),
    attr('valid_from', '有效期起始日期', 'Valid from'),
    attr('valid_to', '有效期截止日期', 'Valid to'),
    attr('region_code', '行政区划代码', 'Region code'),
    attr('status', '证照状态', 'Status'),
  ],
  members: [
    {
      resource: '105001/00001', // 营业执照电子证照 (市场监管局)
      keyItem: 'licence_id',
      priority: 1,
      attributes: {
        name: 'licence_name',
        type_code: 'licence_type_code',
        number: 'licence_no',
        holder: 'holder_name',
        holder_code: 'holder_code',
        holder_code_type: 'holder_code_type',
        issuer: 'issuer_name',
        issuer_code: 'issuer_code',
        issue_date: 'issue_date',
        valid_from: 'valid_from',
        valid_to: 'valid_to',
        region_code: 'region_code',
        status: 'licence_status',
      },
    },
    {
      resource: '105002/00001', // 居民身份证电子证照 (公安局): the card's number is the holder's ID number
      keyItem: 'licence_id',
      priority: 1,
      attributes: {
        name: 'licence_name',
        type_code: 'licence_type_code',
        number: 'citizen_id',
        holder: 'name',
        holder_code: 'citizen_id',
        holder_code_type: 'holder_code_type',
        issuer: 'issuer_name',
        issuer_code: 'issuer_code',
        issue_date: 'valid_from',
        valid_from: 'valid_from',
        valid_to: 'valid_to',
        region_code: 'region_code',
        status: 'licence_status',
      },
    },
    {
      resource: '105003/00001', // 不动产权证书电子证照 (自然资源局)
      keyItem: 'licence_id',
      priority: 1,
      attributes: {
        name: 'licence_name',
        type_code: 'licence_type_code',
        number: 'licence_no',
        holder: 'holder_name',
        holder_code: 'holder_code',
        holder_code_type: 'holder_code_type',
        issuer: 'issuer_name',
        issuer_code: 'issuer_code',
        issue_date: 'issue_date',
        region_code: 'region_code',
        status: 'licence_status',
      },
    },
    {
      resource: '105004/00001', // 食品经营许可证电子证照 (市场监管局)
      keyItem: 'licence_id',
      priority: 1,
      attributes: {
        name: 'licence_name',
        type_code: 'licence_type_code',
        number: 'licence_no',
        holder: 'operator_name',
        holder_code: 'uscc',
        holder_code_type: 'holder_code_type',
        issuer: 'issuer_name',
        issuer_code: 'issuer_code',
        issue_date: 'issue_date',
        valid_to: 'valid_to',
        region_code: 'region_code',
        status: 'licence_status',
      },
    },
  ],
  regionAttribute: 'region_code',
};

const GRASSROOTS: DemoTheme = {
  code: 'grassroots',
  name: '基层治理库',
  nameEn: 'Grassroots governance base',
  keyKind: 'GRID_CODE',
  attributes: [
    attr('grid_code', '网格编码', 'Grid code'),
    attr('grid_name', '网格名称', 'Grid name'),
    attr('street_code', '乡镇（街道）代码', 'Township code'),
    attr('village_name', '所属村（社区）', 'Village or community'),
    attr('grid_type', '网格类型', 'Grid type'),
    attr('households', '户数', 'Households'),
  ],
  members: [
    {
      resource: '202001/00001', // 诸暨市全科网格信息
      keyItem: 'grid_code',
      priority: 1,
      attributes: {
        grid_code: 'grid_code',
        grid_name: 'grid_name',
        street_code: 'street_code',
        village_name: 'village_name',
        grid_type: 'grid_type',
        households: 'households',
      },
    },
    {
      resource: '202001/00002', // 诸暨市基层治理事件信息
      // A grid's events join it in the crosswalk (its one-ID view lists them) but map no attribute:
      // the many events of one grid would only disagree with each other.
      keyItem: 'grid_code',
      priority: 2,
      attributes: {},
    },
  ],
};

const SPATIAL: DemoTheme = {
  code: 'spatial',
  name: '空间地理库',
  nameEn: 'Spatial base',
  keyKind: 'FEATURE_ID',
  attributes: [
    attr('name', '名称', 'Name'),
    attr('region_code', '行政区划代码', 'Region code'),
    attr('street_code', '乡镇（街道）代码', 'Township code'),
    attr('community_name', '社区（村）', 'Community'),
    attr('building_name', '小区/楼宇名称', 'Estate or building'),
    attr('longitude', '经度', 'Longitude'),
    attr('latitude', '纬度', 'Latitude'),
  ],
  members: [
    {
      resource: '103003/00001', // 标准地址信息 (公安局): door plates with their coordinates
      keyItem: 'address_code',
      priority: 1,
      attributes: {
        name: 'full_address',
        region_code: 'region_code',
        street_code: 'street_code',
        community_name: 'community_name',
        building_name: 'building_name',
        longitude: 'longitude',
        latitude: 'latitude',
      },
    },
  ],
  geometry: { longitude: 'longitude', latitude: 'latitude' },
  regionAttribute: 'region_code',
};

export const DEMO_THEMES: readonly DemoTheme[] = [POPULATION, LEGAL_ENTITY, CREDIT, ELICENCE, GRASSROOTS, SPATIAL];

/** A demo theme with its members' catalogue codes turned into resource ids (codes the catalogue lacks are reported). */
export function resolveDemoTheme(theme: DemoTheme, idOf: (code: string) => string | undefined): ThemeDefinition {
  const id = (code: string) => {
    const found = idOf(code);
    if (!found) throw new Error(`theme ${theme.code}: no catalogue resource ${code}`);
    return found;
  };
  const { members, attributePriority, ...rest } = theme;
  return {
    ...rest,
    members: members.map(({ resource, ...m }) => ({ ...m, resourceId: id(resource) })),
    ...(attributePriority ? { attributePriority: Object.fromEntries(Object.entries(attributePriority).map(([a, codes]) => [a, codes.map(id)])) } : {}),
  };
}

/** What the demo needs of the themes service: an administrator's PUT /api/v1/themes/:code. */
export type DemoThemesService = { put(actor: Actor, code: string, input: Omit<ThemeDefinition, 'code'>): Promise<unknown> };

/**
 * Defines the six themes through the themes service, as an administrator would (PUT: created, or
 * replaced when the demo runs again over an existing catalogue); each definition queues a sync of
 * its members, so the masters are built from the records collection has loaded.
 */
export async function defineDemoThemes(
  themes: DemoThemesService,
  resources: readonly { id: string; code: string }[],
  actor: Actor = SYSTEM_ACTOR,
  step: (name: string) => void = () => undefined,
): Promise<number> {
  const ids = new Map(resources.map((r) => [r.code, r.id]));
  for (const theme of DEMO_THEMES) {
    const { code, ...input } = resolveDemoTheme(theme, (c) => ids.get(c));
    await themes.put(actor, code, input);
    step(`theme ${code} ${theme.name}`);
  }
  return DEMO_THEMES.length;
}
