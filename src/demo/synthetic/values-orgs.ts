import { after, between, decimal, integer, rowDate, yesNo } from './helpers.js';
import { randomFirm } from './firms.js';
import { randomCitizenId, randomName } from './people.js';
import type { RowContext, ValueFn } from './types.js';

/** Values about firms, organisations, licences, penalties and credit. SYNTHETIC throughout. */

const VIOLATIONS: [string, string, string][] = [
  ['销售不符合食品安全标准的食品', '当事人经营的食品经抽样检验不合格，货值金额较小', '《中华人民共和国食品安全法》第一百二十四条'],
  ['虚假宣传', '当事人在其网店页面发布与实际不符的产品功效宣传内容', '《中华人民共和国反不正当竞争法》第二十条'],
  ['未按规定公示年度报告', '当事人未在规定期限内通过国家企业信用信息公示系统报送年度报告', '《企业信息公示暂行条例》第十七条'],
  ['销售侵犯注册商标专用权的商品', '当事人销售的纺织面料带有他人注册商标标识，无法提供合法来源', '《中华人民共和国商标法》第六十条'],
  ['计量器具未按规定检定', '当事人使用的电子计价秤未按规定申请周期检定', '《中华人民共和国计量法实施细则》第四十三条'],
  ['未取得许可从事经营活动', '当事人未取得食品经营许可证从事食品销售活动', '《中华人民共和国食品安全法》第一百二十二条'],
];
const PENALTY_TYPES = ['警告', '罚款', '没收违法所得、罚款', '责令停产停业', '通报批评'];
const LICENCES: [string, string][] = [
  ['食品经营许可证', '预包装食品（含冷藏冷冻食品）销售，散装食品销售'],
  ['排污许可证', '废水、废气污染物排放'],
  ['建筑工程施工许可证', '房屋建筑工程施工'],
  ['道路运输经营许可证', '道路普通货物运输'],
  ['医疗机构执业许可证', '内科、外科、预防保健科诊疗服务'],
  ['公共场所卫生许可证', '住宿、美容美发场所卫生'],
  ['危险化学品经营许可证', '危险化学品（不带储存设施）批发'],
];
const LIST_TYPES: [string, string, string][] = [
  ['失信被执行人', '有履行能力而拒不履行生效法律文书确定的义务', '绍兴市中级人民法院'],
  ['重大税收违法失信主体', '偷税数额在100万元以上且占各种应纳税总额10%以上', '国家税务总局绍兴市税务局'],
  ['严重违法失信企业', '被列入经营异常名录届满3年仍未履行相关义务', '绍兴市市场监督管理局'],
  ['拖欠农民工工资失信联合惩戒对象', '克扣、无故拖欠农民工工资数额达到认定拒不支付劳动报酬罪数额标准', '绍兴市人力资源和社会保障局'],
  ['安全生产严重失信主体', '发生较大生产安全责任事故', '绍兴市应急管理局'],
];
const CREDIT_SOURCES = ['绍兴市公安局', '绍兴市人力资源和社会保障局', '绍兴市民政局', '绍兴市卫生健康委员会', '绍兴市中级人民法院', '绍兴市交通运输局'];
const CREDIT_RECORDS: [string, string][] = [
  ['01', '获评绍兴市优秀志愿者'],
  ['01', '无偿献血累计达到2000毫升'],
  ['01', '获评见义勇为先进个人'],
  ['02', '按时足额缴纳水电燃气费用'],
  ['03', '逾期未履行法院判决确定的还款义务'],
  ['03', '公共交通工具上违规吸烟，被行政处罚'],
  ['04', '拒不执行人民法院生效判决'],
];
const TAX_GRADES = ['A', 'B', 'M', 'C', 'D'];
const SOCIAL_SUPERVISORS = ['绍兴市民政局', '绍兴市教育局', '绍兴市文化广电旅游局', '绍兴市体育局', '绍兴市科学技术局', '绍兴市卫生健康委员会'];

const firmOrEmployer = (c: RowContext) => (c.subject === 'person' ? c.employer() : c.firm());
const unemployed = (c: RowContext) => c.get('employment_status') === '02';

/** 当事人: a firm, or now and then a person; name and code made together. */
function party(c: RowContext) {
  return c.once('party', () => {
    if (c.rnd.next() < 0.75) return { name: c.firm().name, code: c.firm().uscc, isFirm: true };
    const sex = c.rnd.next() < 0.6 ? '1' : '2';
    return { name: randomName(c.rnd, sex), code: randomCitizenId(c.rnd, sex, 1955, 2000).id, isFirm: false };
  });
}

export const ORG_VALUES: Record<string, ValueFn> = {
  uscc: (c) => c.firm().uscc,
  ent_name: (c) => c.firm().name,
  org_name: (c) => c.firm().name,
  trade_name: (c) => c.firm().name,
  legal_rep_name: (c) => c.firm().legalRep,
  operator_name: (c, item) => ((item.length ?? 50) <= 50 ? c.firm().legalRep : c.firm().name),
  operator_citizen_id: (c) => c.once('operator', () => randomCitizenId(c.rnd, c.rnd.next() < 0.6 ? '1' : '2', 1960, 2000)).id,
  ent_type_code: (c) => (c.firm().name.endsWith('股份有限公司') ? '1200' : c.rnd.weighted(['1100', '1130', '1150', '1190'], [50, 30, 10, 10])),
  reg_capital: (c) => c.firm().capital.toFixed(6),
  currency_code: (c) => (c.rnd.next() < 0.95 ? '156' : c.rnd.pick(['840', '344', '978'])),
  establish_date: (c) => c.firm().establishDate,
  business_term_from: (c) => c.firm().establishDate,
  business_term_to: (c) => (c.rnd.next() < 0.6 ? '' : after(c, c.firm().establishDate, 20 * 365, 30 * 365, true)),
  business_scope: (c) => `${c.firm().industry.scope}（依法须经批准的项目，经相关部门批准后方可开展经营活动）`,
  reg_authority: (c) => c.authority().name,
  reg_address: (c) => c.firm().address,
  industry_code: (c) => c.firm().industry.code,
  reg_status: (c) => c.rnd.weighted(['存续', '在业', '吊销', '注销', '迁出'], [70, 15, 4, 9, 2]),
  approval_date: (c) => (c.get('establish_date') ? after(c, c.get('establish_date'), 0, 3000) || c.get('establish_date')! : rowDate(c)),
  form_of_composition: (c) => c.rnd.weighted(['01', '02'], [80, 20]),
  business_place: (c) => c.firm().address,
  org_phone: (c) => c.firm().phone,

  // 社会组织、事业单位
  registered_fund: (c) => decimal(c.rnd, 3, 500),
  supervisor_org: (c) => c.rnd.pick(SOCIAL_SUPERVISORS),
  assessment_grade: (c) => c.rnd.weighted(['5A', '4A', '3A', '2A', '1A', ''], [3, 10, 20, 10, 5, 52]),
  purpose_scope: (c) => `承担${c.firm().name.replace(/^绍兴市(越城区|柯桥区|上虞区|新昌县|诸暨市|嵊州市)?/, '')}的公益服务职能；开展相关业务培训、咨询与研究。`,
  sponsor_org: (c) => c.rnd.pick(SOCIAL_SUPERVISORS),
  funding_source: (c) => c.rnd.weighted(['财政全额拨款', '财政差额补助', '经费自理'], [55, 25, 20]),
  start_fund: (c) => decimal(c.rnd, 10, 2000),
  certificate_valid_to: (c) => between(c.rnd, '2025-07-01', '2030-06-30'),

  // 税务
  taxpayer_type: (c) => c.rnd.weighted(['01', '02'], [35, 65]),
  tax_authority: (c) => `国家税务总局绍兴市${c.firm().street.lineage.district}税务局`,
  tax_credit_grade: (c) => c.rnd.weighted(TAX_GRADES, [30, 45, 15, 7, 3]),
  grade_year: (c) => String(2024 - c.rnd.int(3)),
  tax_reg_date: (c) => after(c, c.firm().establishDate, 0, 30) || c.firm().establishDate,

  // 雇主
  employer_uscc: (c) => (unemployed(c) ? '' : firmOrEmployer(c).uscc),
  employer_name: (c) => (unemployed(c) ? '' : firmOrEmployer(c).name),
  builder_uscc: (c) => c.firm().uscc,
  builder_name: (c) => c.firm().name,
  contractor_name: (c) => `浙江${randomFirm(c.rnd).trade}建设有限公司`,
  supervisor_name: (c) => `浙江${randomFirm(c.rnd).trade}工程监理有限公司`,
  producer_name: (c) => `浙江${randomFirm(c.rnd).trade}食品有限公司`,
  sampled_name: (c) => c.firm().name,
  sampled_uscc: (c) => c.firm().uscc,

  // 信用
  credit_score: (c) => c.once('score', () => decimal(c.rnd, 55, 99.9)),
  credit_grade: (c) => {
    const s = Number(c.once('score', () => decimal(c.rnd, 55, 99.9)));
    return s >= 90 ? '优' : s >= 75 ? '良' : s >= 60 ? '中' : '差';
  },
  basic_score: (c) => decimal(c.rnd, 15, 30),
  compliance_score: (c) => decimal(c.rnd, 20, 40),
  evaluation_date: (c) => between(c.rnd, '2024-01-01', '2025-06-30'),
  party_name: (c) => party(c).name,
  party_uscc: (c) => (party(c).isFirm ? party(c).code : ''),
  party_code: (c) => party(c).code,
  violation_type: (c) => c.once('violation', () => c.rnd.pick(VIOLATIONS))[0],
  violation_facts: (c) => `经查，${c.once('violation', () => c.rnd.pick(VIOLATIONS))[1]}。`,
  penalty_basis: (c) => `依据${c.once('violation', () => c.rnd.pick(VIOLATIONS))[2]}`,
  penalty_type: (c) => c.rnd.weighted(PENALTY_TYPES, [15, 55, 20, 5, 5]),
  fine_amount: (c) => decimal(c.rnd, 0.05, 20, 4),
  decision_date: (c) => rowDate(c),
  decision_org: (c) => c.authority().name,
  publicity_until: (c) => after(c, c.get('decision_date'), 365, 3 * 365, true),
  licence_name: (c) => c.once('licence', () => c.rnd.pick(LICENCES))[0],
  licence_category: (c) => c.rnd.weighted(['普通', '特许', '认可', '核准', '登记'], [70, 5, 10, 10, 5]),
  licence_content: (c) => c.once('licence', () => c.rnd.pick(LICENCES))[1],
  subject_name: (c) => c.firm().name,
  subject_uscc: (c) => c.firm().uscc,
  list_type: (c) => c.once('list', () => c.rnd.pick(LIST_TYPES))[0],
  listing_org: (c) => c.once('list', () => c.rnd.pick(LIST_TYPES))[2],
  source_org: (c) => c.rnd.pick(CREDIT_SOURCES),
  listing_reason: (c) => c.once('list', () => c.rnd.pick(LIST_TYPES))[1],
  listing_date: (c) => rowDate(c),
  removal_date: (c) => (c.rnd.next() < 0.3 ? after(c, c.get('listing_date'), 365, 3 * 365) : ''),
  record_type: (c) => c.once('credit', () => c.rnd.pick(CREDIT_RECORDS))[0],
  record_content: (c) => c.once('credit', () => c.rnd.pick(CREDIT_RECORDS))[1],
  record_date: (c) => rowDate(c),
  expiry_date: (c) => after(c, c.get('record_date'), 3 * 365, 5 * 365, true),

  // 证照
  holder_name: (c) => (c.subject === 'person' || c.resource.code.startsWith('105003') ? c.person().name : c.firm().name),
  holder_code: (c) => (c.resource.code.startsWith('105003') ? c.person().citizenId : c.firm().uscc),
  issuer_name: (c) => c.authority().name,
  issuer_code: (c) => c.authority().uscc,
  issue_date: (c) => rowDate(c),
  valid_from: (c) => c.get('issue_date') ?? rowDate(c),
  valid_to: (c) => after(c, c.get('valid_from') ?? c.get('issue_date') ?? c.get('decision_date'), 3 * 365, 5 * 365, true),
  licence_status: (c) => c.rnd.weighted(['有效', '注销', '吊销'], [92, 6, 2]),
  surface_data: (c) =>
    JSON.stringify({
      名称: c.get('holder_name') ?? c.firm().name,
      证照编号: c.get('licence_no') ?? '',
      发证机关: c.authority().name,
      发证日期: c.get('issue_date') ?? rowDate(c),
    }),
  business_items: (c) =>
    c.rnd.pick(['预包装食品（含冷藏冷冻食品）销售', '散装食品（不含冷藏冷冻食品）销售', '热食类食品制售', '冷食类食品制售', '糕点类食品（含裱花蛋糕）制售']),
  permit_scope: (c) => c.rnd.pick(['建筑施工', '危险化学品生产', '烟花爆竹批发', '非煤矿山开采', '危险化学品经营（带储存设施）']),
  vehicle_count: (c) => integer(c.rnd, 1, 300),
  subsidy_claimed: (c) => yesNo(c.rnd, 0.35),
  exceeded: (c) => (Number(c.get('concentration') ?? 0) > Number(c.get('standard_limit') ?? Infinity) ? '是' : '否'),
  mortgage_status: (c) => yesNo(c.rnd, 0.3),
  seizure_status: (c) => yesNo(c.rnd, 0.02),
};
