import { dayOf } from './dates.js';
import { buildUscc } from '../../shared/validation/uscc.js';
import { firmAt } from './firms.js';
import { after, between, decimal, integer, rowDate, shortPlace, timeOn, TODAY } from './helpers.js';
import { ageOf, birthdayAt, randomMobile, randomName } from './people.js';
import { address, buildingName, coordinates, polygon, roadName, villageName } from './places.js';
import { projectCode } from './keys.js';
import type { RowContext, ValueFn } from './types.js';

/** Values of departmental services: land, governance, health, education, work, transport, law, tourism. SYNTHETIC. */

const DIAGNOSES: [string, string, string][] = [
  ['J06.900', '急性上呼吸道感染', '咽痛、流涕2天'],
  ['I10.x00', '原发性高血压', '头晕1周，血压控制欠佳'],
  ['E11.900', '2型糖尿病', '口干多饮1月'],
  ['K29.700', '胃炎', '上腹部隐痛3天'],
  ['J20.900', '急性支气管炎', '咳嗽、咳痰5天'],
  ['M54.500', '腰痛', '腰部酸痛2周'],
  ['H52.100', '近视', '视物模糊半年'],
  ['K02.900', '龋病', '牙痛3天'],
  ['L30.900', '皮炎', '皮肤瘙痒1周'],
  ['S93.400', '踝扭伤', '左踝扭伤后肿痛1天'],
];
const ORDERS = [
  '多饮水，注意休息，3天后复诊',
  '低盐低脂饮食，规律服药，监测血压',
  '控制饮食，规律服药，监测血糖',
  '清淡饮食，按时服药，症状加重随诊',
  '局部冷敷，制动休息，一周后复查',
];
const EXAMS = ['血常规未见明显异常', '血压150/95mmHg', '空腹血糖8.2mmol/L', '胸片未见明显异常', '心电图：窦性心律', '尿常规：白细胞（+）'];
const CLINICAL_DEPARTMENTS = ['内科', '外科', '儿科', '妇产科', '眼科', '耳鼻咽喉科', '口腔科', '皮肤科', '中医科', '急诊科', '骨科', '全科医疗科'];
/** WS 218-2002 category, name suffix, bed range. */
export const MEDICAL_TYPES: [string, string, number, number][] = [
  ['A100', '医院', 100, 1200],
  ['A210', '中医院', 80, 600],
  ['B100', '社区卫生服务中心', 0, 60],
  ['C110', '卫生院', 0, 40],
  ['D100', '门诊部', 0, 0],
  ['D211', '诊所', 0, 0],
];
export const MEDICAL_TYPE_WEIGHTS = [6, 3, 10, 10, 20, 51];
const SCHOOL_TYPES: [string, string, number, number][] = [
  ['111', '幼儿园', 90, 450],
  ['211', '小学', 300, 2400],
  ['311', '初级中学', 300, 1800],
  ['342', '高级中学', 800, 2800],
  ['365', '中等职业学校', 600, 3000],
];
const SCHOOL_WORDS = ['鉴湖', '蕺山', '塔山', '稽山', '阳明', '越秀', '鲁迅', '兰亭', '东湖', '迪荡', '树人', '秋瑾', '蔡元培', '北海', '城南'];
const JOBS = [
  '挡车工',
  '印染操作工',
  '电商运营',
  '会计',
  '仓库管理员',
  '软件工程师',
  '销售代表',
  '质检员',
  '机修工',
  '厨师',
  '数控车工',
  '行政文员',
  '客服专员',
  '货车司机',
];
const OCCUPATIONS = [
  '2-02-10-02',
  '4-01-02-01',
  '4-03-01-01',
  '6-04-01-01',
  '6-05-01-01',
  '4-02-01-01',
  '2-06-01-01',
  '3-01-01-01',
  '4-07-05-01',
  '6-29-01-01',
];
const SKILLS = ['电工', '焊工', '育婴员', '中式烹调师', '保育员', '养老护理员', '美发师', '汽车维修工', '茶艺师', '电子商务师', '服装制版师'];
const EVENTS: [string, string][] = [
  ['占道经营', '城市管理'],
  ['垃圾乱堆放', '环境卫生'],
  ['违章搭建', '城市管理'],
  ['噪音扰民', '矛盾纠纷'],
  ['道路破损', '公共设施'],
  ['邻里纠纷', '矛盾纠纷'],
  ['河道漂浮物', '环境卫生'],
  ['消防通道堵塞', '安全隐患'],
  ['井盖缺失', '公共设施'],
  ['电动车违规充电', '安全隐患'],
];
const CASE_CAUSES = [
  '未经批准擅自设置户外广告',
  '占道经营',
  '违规倾倒建筑垃圾',
  '违法搭建建（构）筑物',
  '餐饮油烟超标排放',
  '擅自占用城市绿地',
  '未按规定分类投放生活垃圾',
];
const CASE_RESULTS = ['责令限期改正', '警告', '罚款500元', '责令限期改正并罚款2000元', '罚款5000元，没收违法所得', '不予处罚'];
const PRODUCTS: [string, string][] = [
  ['青菜', '蔬菜'],
  ['茶叶', '茶叶'],
  ['杨梅', '水果'],
  ['香榧', '坚果'],
  ['草莓', '水果'],
  ['大米', '粮食'],
  ['鸡蛋', '禽蛋'],
  ['鲈鱼', '水产品'],
  ['猪肉', '畜产品'],
  ['竹笋', '蔬菜'],
];
const PESTICIDES = ['毒死蜱', '氯氰菊酯', '克百威', '腐霉利', '多菌灵', '吡虫啉', '氧乐果', '甲胺磷'];
const FOODS: [string, string][] = [
  ['黄酒', '酒类'],
  ['霉干菜', '蔬菜制品'],
  ['臭豆腐', '豆制品'],
  ['酱鸭', '肉制品'],
  ['绿茶', '茶叶及相关制品'],
  ['大米', '粮食加工品'],
  ['鸡蛋', '食用农产品'],
  ['糕点', '糕点'],
  ['饮用纯净水', '饮料'],
  ['菜籽油', '食用油、油脂及其制品'],
];
const SCENIC_SUFFIXES = ['古镇', '风景区', '生态园', '湿地公园', '古村落', '文化园', '森林公园'];
const STOPS = ['人民路口', '解放路站', '城市广场', '火车站', '汽车北站', '鲁迅故里', '东湖', '大禹陵', '柯桥客运中心', '镜湖新区'];

/** 律师事务所: USCC type 31 (司法行政 → 律师事务所); one of sixty firms. */
const lawFirm = (c: RowContext) =>
  c.once('lawFirm', () => {
    const j = c.rnd.int(60);
    const firm = firmAt('social', 1000 + j);
    return { name: `浙江${firm.trade}律师事务所`, uscc: buildUscc(`31${firm.street.lineage.currentCode}`, `LW${String(j).padStart(6, '0')}`) };
  });
const medicalType = (c: RowContext) => c.once('medType', () => c.rnd.weighted(MEDICAL_TYPES, MEDICAL_TYPE_WEIGHTS));
const schoolType = (c: RowContext) => c.once('schoolType', () => c.rnd.weighted(SCHOOL_TYPES, [25, 35, 20, 10, 10]));
const diagnosis = (c: RowContext) => c.once('diagnosis', () => c.rnd.pick(DIAGNOSES));
/** Year of a pupil's school life (1–12) from age. */
const schoolYear = (c: RowContext) => Math.min(12, Math.max(1, ageOf(c.person()) - 5));

function medicalCosts(c: RowContext) {
  return c.once('costs', () => {
    const inpatient = c.get('medical_type') === '21';
    const total = inpatient ? 3000 + c.rnd.next() * 57000 : 30 + c.rnd.next() * 800;
    const fund = total * (0.5 + c.rnd.next() * 0.35);
    return { total: total.toFixed(2), fund: fund.toFixed(2), self: (Number(total.toFixed(2)) - Number(fund.toFixed(2))).toFixed(2) };
  });
}

export const SERVICE_VALUES: Record<string, ValueFn> = {
  // 不动产、宅基地、规划、地址
  owner_name: (c) => c.person().name,
  owner_id_no: (c) => c.person().citizenId,
  location: (c) => address(c.rnd, c.street(), true),
  right_type: (c) => c.rnd.weighted(['4', '6', '8', '3'], [70, 15, 5, 10]),
  land_use: (c) => c.rnd.weighted(['住宅', '商业', '办公', '工业', '仓储', '商住'], [70, 10, 6, 8, 3, 3]),
  building_area: (c) => decimal(c.rnd, 40, 220),
  land_area: (c) => decimal(c.rnd, 10, 120),
  register_time: (c) => timeOn(c.rnd, c.day()),
  applicant_name: (c) => c.person().name,
  applicant_citizen_id: (c) => c.person().citizenId,
  village_name: (c) => c.once('village', () => villageName(c.rnd)),
  homestead_area: (c) => decimal(c.rnd, 80, 125),
  building_floors: (c) => integer(c.rnd, 1, 3),
  acceptance_date: (c) => after(c, c.get('approval_date'), 180, 720),
  longitude: (c) => c.once('coordinates', () => coordinates(c.rnd, c.street().lineage.currentCode)).longitude,
  latitude: (c) => c.once('coordinates', () => coordinates(c.rnd, c.street().lineage.currentCode)).latitude,
  plan_name: (c) => `${c.street().lineage.district}${shortPlace(c.street().name)}${c.rnd.pick(['东', '西', '南', '北', '中心'])}片区控制性详细规划`,
  land_use_code: (c) => c.rnd.pick(['070101', '070102', '0801', '0901', '100101', '100102', '1101', '1401']),
  parcel_area: (c) => decimal(c.rnd, 0.5, 30, 4),
  plot_ratio: (c) => decimal(c.rnd, 0.8, 3.5),
  building_density: (c) => decimal(c.rnd, 20, 45),
  green_ratio: (c) => decimal(c.rnd, 20, 35),
  height_limit: (c) => decimal(c.rnd, 24, 100, 1),
  geometry: (c) => polygon(c.rnd, c.street().lineage.currentCode),
  full_address: (c) =>
    `浙江省绍兴市${c.street().lineage.district}${c.street().name}${c.once('road', () => roadName(c.rnd))}${c.once('house', () => `${1 + c.rnd.int(300)}号`)}${c.once('building', () => buildingName(c.rnd))}`,
  community_name: (c) => villageName(c.rnd),
  road_name: (c) => c.once('road', () => roadName(c.rnd)),
  house_no: (c) => c.once('house', () => `${1 + c.rnd.int(300)}号`),
  building_name: (c) => c.once('building', () => buildingName(c.rnd)),
  scale: (c) => c.rnd.pick(['1:500', '1:2000', '1:10000']),
  coordinate_system: () => '2000国家大地坐标系',
  survey_date: (c) => rowDate(c),
  secret_level: (c) => c.rnd.weighted(['秘密', '机密', '内部'], [60, 10, 30]),
  custodian: (c) => c.resource.provider.name,
  data_file: () => '',
  photo: () => '',

  // 网格与基层治理
  grid_name: (c) => `${c.once('village', () => villageName(c.rnd))}${1 + c.rnd.int(9)}号网格`,
  grid_code: (c) => `${c.street().code}${String(1 + c.rnd.int(150)).padStart(4, '0')}`,
  grid_type: (c) => c.rnd.weighted(['01', '02', '03'], [35, 55, 10]),
  households: (c) => integer(c.rnd, 150, 600),
  grid_leader: (c) => randomName(c.rnd),
  grid_leader_mobile: (c) => randomMobile(c.rnd),
  boundary: (c) => polygon(c.rnd, c.street().lineage.currentCode, 0.01),
  event_title: (c) => `${shortPlace(c.street().name)}${c.once('event', () => c.rnd.pick(EVENTS))[0]}问题`,
  event_category: (c) => c.once('event', () => c.rnd.pick(EVENTS))[1],
  event_source: (c) => c.rnd.weighted(['01', '02', '03'], [60, 30, 10]),
  event_address: (c) => address(c.rnd, c.street(), false),
  reporter_name: (c) => randomName(c.rnd),
  report_time: (c) => timeOn(c.rnd, c.day()),
  handling_org: (c) =>
    `${c.street().lineage.district}${c.rnd.pick(['综合行政执法局', '住房和城乡建设局', '生态环境分局', '交通运输局', `${c.street().name}办事处`])}`,
  event_status: (c) => c.rnd.weighted(['办结', '在办', '受理'], [85, 10, 5]),
  close_time: (c) => (c.get('event_status') === '办结' && c.get('report_time') ? timeOn(c.rnd, dayOf(c.get('report_time')!) + c.rnd.int(6)) : ''),
  satisfaction: (c) => (c.get('event_status') === '办结' ? c.rnd.weighted(['5', '4', '3', '2', '1'], [60, 25, 10, 3, 2]) : ''),

  // 投资项目、施工
  project_code: (c) => projectCode(c.rnd.int(3000)),
  project_name: (c) =>
    `${c.firm().trade}${c.rnd.pick(['年产5000万米高档面料', '智能化改造', '新建厂房', '综合楼', '数字化车间', '安置房', '商业综合体'])}${c.rnd.pick(['', '一期', '二期'])}项目`,
  total_investment: (c) => decimal(c.rnd, 500, 200000),
  construction_site: (c) => address(c.rnd, c.street(), false),
  construction_content: (c) => `总建筑面积约${integer(c.rnd, 5, 300)}千平方米，购置生产及配套设备${integer(c.rnd, 10, 400)}台（套）。`,
  filing_type: (c) => c.rnd.weighted(['备案', '核准', '审批'], [80, 10, 10]),
  filing_date: (c) => rowDate(c),
  contract_amount: (c) => decimal(c.rnd, 200, 50000),
  floor_area: (c) => decimal(c.rnd, 1000, 200000),

  // 医疗卫生
  visit_type: (c) => c.rnd.weighted(['1', '2', '3'], [80, 8, 12]),
  visit_time: (c) => timeOn(c.rnd, c.day(), c.get('visit_type') === '2'),
  department_name: (c) => c.rnd.pick(CLINICAL_DEPARTMENTS),
  diagnosis_code: (c) => diagnosis(c)[0],
  diagnosis_name: (c) => diagnosis(c)[1],
  chief_complaint: (c) => diagnosis(c)[2],
  doctor_orders: (c) => c.rnd.pick(ORDERS),
  exam_results: (c) => c.rnd.pick(EXAMS),
  doctor_name: (c) => randomName(c.rnd),
  team_name: (c) => `${shortPlace(c.street().name)}${1 + c.rnd.int(6)}号家庭医生团队`,
  institution_name: (c) => `${c.street().lineage.district}${shortPlace(c.street().name)}社区卫生服务中心`,
  package_type: (c) => c.rnd.pick(['基础包', '慢病包', '老年人包', '孕产妇包', '儿童包']),
  key_population: (c) => {
    const age = ageOf(c.person());
    return age >= 65 ? '老年人' : age <= 6 ? '0-6岁儿童' : c.rnd.weighted(['高血压患者', '糖尿病患者', '一般人群'], [20, 10, 70]);
  },
  contract_from: (c) => between(c.rnd, '2023-01-01', '2025-06-30'),
  contract_to: (c) => after(c, c.get('contract_from'), 364, 364, true),
  hospital_name: (c) =>
    c.rnd.pick(['绍兴市妇幼保健院', '绍兴市人民医院', '绍兴市中心医院', `${c.person().lineage.district}人民医院`, `${c.person().lineage.district}妇幼保健院`]),
  institution_type: (c) => medicalType(c)[0],
  hospital_grade: (c) =>
    medicalType(c)[2] > 0 && medicalType(c)[0].startsWith('A')
      ? c.rnd.weighted(['三甲', '三乙', '二甲', '二乙'], [15, 10, 50, 25])
      : c.rnd.pick(['一级', '未定级']),
  ownership: (c, item) => (item.name.includes('办学') ? c.rnd.weighted(['公办', '民办'], [85, 15]) : c.rnd.weighted(['公立', '民营'], [40, 60])),
  beds: (c) => integer(c.rnd, medicalType(c)[2], medicalType(c)[3]),
  clinical_subjects: (c) => [...new Set(Array.from({ length: 3 + c.rnd.int(6) }, () => c.rnd.pick(CLINICAL_DEPARTMENTS)))].join('；'),
  address: (c) => (c.subject === 'firm' ? c.firm().address : address(c.rnd, c.street(), false)),
  insurance_area: (c) => c.person().lineage.currentCode,
  medical_type: (c) => c.rnd.weighted(['11', '14', '21', '41'], [55, 15, 10, 20]),
  total_cost: (c) => medicalCosts(c).total,
  fund_paid: (c) => medicalCosts(c).fund,
  self_paid: (c) => medicalCosts(c).self,
  settle_time: (c) => timeOn(c.rnd, c.day()),

  // 教育
  school_name: (c) => `${c.firm().street.lineage.district}${c.rnd.pick(SCHOOL_WORDS)}${schoolType(c)[1]}`,
  school_type: (c) => schoolType(c)[0],
  student_count: (c) => c.once('students', () => integer(c.rnd, schoolType(c)[2], schoolType(c)[3])),
  teacher_count: (c) =>
    String(Math.max(5, Math.round(Number(c.once('students', () => integer(c.rnd, schoolType(c)[2], schoolType(c)[3]))) / (12 + c.rnd.int(7))))),
  catchment_area: (c) => `${c.firm().street.name}${roadName(c.rnd)}、${roadName(c.rnd)}沿线居住区`,
  grade: (c) => {
    const y = schoolYear(c);
    return y <= 6 ? `1${y}` : y <= 9 ? `2${y - 6}` : `3${y - 9}`;
  },
  class_name: (c) => `${1 + c.rnd.int(8)}班`,
  enrol_date: (c) => {
    const y = schoolYear(c);
    const stageStart = y <= 6 ? 1 : y <= 9 ? 7 : 10;
    return `${2025 - (y - stageStart) - 1}-09-01`;
  },
  student_status: (c) => c.rnd.weighted(['在读', '休学', '转出'], [96, 1, 3]),
  guardian_name: (c) => randomName(c.rnd),
  guardian_mobile: (c) => randomMobile(c.rnd),
  school_code: (c) => `2133${String(1 + c.rnd.int(200)).padStart(6, '0')}`,

  // 就业与职业技能
  occupation_code: (c) => c.rnd.pick(OCCUPATIONS),
  job_title: (c) => c.rnd.pick(JOBS),
  headcount: (c) => integer(c.rnd, 1, 20),
  salary_min: (c) => c.once('salary', () => String(100 * (35 + c.rnd.int(56)))),
  salary_max: (c) => String(Number(c.once('salary', () => String(100 * (35 + c.rnd.int(56))))) + 100 * (10 + c.rnd.int(50))),
  education_required: (c) => c.rnd.weighted(['', '20', '30', '40', '60', '70'], [20, 20, 25, 10, 15, 10]),
  work_place: (c) => c.firm().address,
  publish_date: (c) => between(c.rnd, '2024-07-01', '2025-06-30'),
  expire_date: (c) => after(c, c.get('publish_date'), 30, 90, true),
  occupation_name: (c) => c.rnd.pick(SKILLS),
  skill_level: (c) => c.rnd.weighted(['1', '2', '3', '4', '5'], [2, 8, 25, 35, 30]),
  assessment_org: (c) => `嵊州市${c.rnd.pick(['越剧', '领带', '剡溪', '鹿山', '三江'])}职业技能培训学校`,

  // 驾驶人
  vehicle_class: (c) => c.rnd.weighted(['C1', 'C2', 'B2', 'A1', 'A2', 'B1', 'D'], [60, 20, 6, 2, 3, 2, 7]),
  first_issue_date: (c) => c.once('firstIssue', () => after(c, birthdayAt(c.person(), 18), 0, 7000) || birthdayAt(c.person(), 18)),
  penalty_points: (c) => c.rnd.weighted(['0', '1', '2', '3', '6', '9', '12'], [70, 8, 5, 8, 5, 3, 1]),
  issuing_office: () => '浙江省绍兴市公安局交通警察支队',

  // 公交
  direction: (c) => c.rnd.pick(['1', '2']),
  speed: (c) => decimal(c.rnd, 0, 55, 1),
  next_stop: (c) => c.rnd.pick(STOPS),
  load_level: (c) => c.rnd.weighted(['1', '2', '3', '4'], [40, 35, 20, 5]),

  // 律师、景区、农产品、食品、城管、人防
  firm_name: (c) => lawFirm(c).name,
  firm_uscc: (c) => lawFirm(c).uscc,
  practice_type: (c) => c.rnd.weighted(['专职律师', '兼职律师', '公职律师', '公司律师'], [85, 5, 6, 4]),
  annual_review: (c) => c.rnd.weighted(['称职', '基本称职', '不称职'], [95, 4, 1]),
  scenic_name: (c) => `${villageName(c.rnd).replace(/(村|社区)$/, '')}${c.rnd.pick(SCENIC_SUFFIXES)}`,
  scenic_grade: (c) => c.rnd.weighted(['A', '2A', '3A', '4A', '5A'], [10, 25, 45, 17, 3]),
  opening_hours: (c) => c.rnd.pick(['08:00-17:00', '08:30-17:30', '全天开放', '09:00-16:30']),
  ticket_price: (c) => (c.rnd.next() < 0.4 ? '0.00' : decimal(c.rnd, 10, 150)),
  max_capacity: (c) => integer(c.rnd, 2000, 50000),
  product_name: (c) => c.once('product', () => c.rnd.pick(PRODUCTS))[0],
  product_category: (c) => c.once('product', () => c.rnd.pick(PRODUCTS))[1],
  test_items: (c) => [...new Set(Array.from({ length: 2 + c.rnd.int(4) }, () => c.rnd.pick(PESTICIDES)))].join('、'),
  result: (c) => c.rnd.weighted(['合格', '不合格'], [98, 2]),
  food_name: (c) => c.once('food', () => c.rnd.pick(FOODS))[0],
  food_category: (c) => c.once('food', () => c.rnd.pick(FOODS))[1],
  sample_date: (c) => rowDate(c),
  conclusion: (c) => c.rnd.weighted(['合格', '不合格'], [97, 3]),
  failed_items: (c) => (c.get('conclusion') === '不合格' ? c.rnd.pick(['菌落总数', '大肠菌群', '二氧化硫残留量', '苯甲酸及其钠盐', '酒精度']) : ''),
  case_cause: (c) => c.rnd.pick(CASE_CAUSES),
  case_address: (c) => address(c.rnd, c.street(), false),
  penalty_result: (c) => c.rnd.pick(CASE_RESULTS),
  case_status: (c) => c.rnd.weighted(['办结', '在办'], [85, 15]),
  work_name: (c) => `${buildingName(c.rnd)}地下室人防工程`,
  protection_class: (c) => c.rnd.pick(['核5级', '核6级', '核6B级', '常5级', '常6级']),
  usage_in_war: (c) => c.rnd.weighted(['人员掩蔽所', '物资库', '医疗救护站', '专业队工程', '指挥所'], [70, 12, 6, 8, 4]),
  area: (c) => decimal(c.rnd, 500, 15000),

  // 其他
  update_time: (c) =>
    c.resource.code === '101001/00001' ? c.person().updatedAt : timeOn(c.rnd, Math.min(TODAY, Math.max(c.day(), TODAY - 540) + c.rnd.int(30))),
};
