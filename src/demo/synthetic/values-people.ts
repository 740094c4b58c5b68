import { dayOf, isoDay } from './dates.js';
import { after, between, decimal, integer, rowDate, shortPlace, timeOn, TODAY, yesNo } from './helpers.js';
import { ageOf, birthdayAt, randomCitizenId, randomMobile, randomName } from './people.js';
import { LINEAGES } from './population-data.js';
import { address } from './places.js';
import type { RowContext, ValueFn } from './types.js';

/** Values about people: identity, household, family, social insurance. SYNTHETIC throughout. */

/** GB/T 2260 codes outside Shaoxing that people move from and to. */
const ELSEWHERE = [
  '330102',
  '330106',
  '330110',
  '330203',
  '330212',
  '330302',
  '330402',
  '330502',
  '330702',
  '330782',
  '331002',
  '361102',
  '341881',
  '411502',
  '511302',
  '522401',
];
const NATIVE_PLACES = ['浙江杭州', '浙江宁波', '浙江金华', '江西上饶', '安徽安庆', '河南信阳', '四川南充', '贵州毕节'];
const TRANSFER_REASONS: Record<string, string[]> = {
  '01': ['投靠亲属', '工作调动', '购房落户', '大中专院校毕业'],
  '02': ['投靠亲属', '购房迁出', '入学迁出', '婚嫁迁出'],
  '03': ['出生登记'],
  '04': ['死亡注销'],
};

/** A second person on the row (mother, spouse): name and ID made together. */
function other(c: RowContext, role: string, sex: '1' | '2', fromYear: number, toYear: number) {
  return c.once(role, () => ({ name: randomName(c.rnd, sex), ...randomCitizenId(c.rnd, sex, fromYear, toYear) }));
}

const birthYear = (c: RowContext) => Number(c.person().birthDate.slice(0, 4));

function firstInsured(c: RowContext): string {
  const from = Math.max(dayOf(birthdayAt(c.person(), 18)), dayOf('1995-01-01'));
  return from > TODAY ? '' : isoDay(from + c.rnd.int(Math.min(3650, TODAY - from + 1)));
}

export const PEOPLE_VALUES: Record<string, ValueFn> = {
  citizen_id: (c) => c.person().citizenId,
  name: (c) => c.person().name,
  former_name: (c) => (c.rnd.next() < 0.08 ? randomName(c.rnd, c.person().sex) : ''),
  sex_code: (c) => c.person().sex,
  nation_code: (c) => c.person().ethnicGroup,
  birth_date: (c) => c.person().birthDate,
  birth_place_code: (c) => (c.rnd.next() < 0.85 ? c.person().lineage.currentCode : c.rnd.pick(LINEAGES).currentCode),
  native_place: (c) => (c.rnd.next() < 0.8 ? '浙江绍兴' : c.rnd.pick(NATIVE_PLACES)),
  domicile_region_code: (c) => c.person().lineage.currentCode,
  domicile_address: (c) => c.person().address,
  residence_address: (c) => (c.rnd.next() < 0.3 && c.resource.provider.regionCode === '330600' ? c.person().address : address(c.rnd, c.street())),
  education_code: (c) => c.person().education,
  marital_status: (c) => c.person().marital,
  household_no: (c) => c.person().householdNo,
  relation_to_head: (c) => {
    const p = c.person();
    if (ageOf(p) < 18) return p.sex === '1' ? '20' : '30';
    return c.rnd.weighted(['02', p.sex === '1' ? '11' : '12', p.sex === '1' ? '20' : '30', '50'], [45, 35, 15, 5]);
  },
  mobile: (c) => (c.subject === 'person' ? c.person().mobile : randomMobile(c.rnd)),
  bank_account: (c) => `${c.rnd.pick(['6228', '6217', '6222', '6230'])}${c.rnd.digits(15)}`,

  // 户籍迁移
  from_region_code: (c) =>
    ['01'].includes(c.get('transfer_type') ?? '') ? c.rnd.pick(ELSEWHERE) : c.get('transfer_type') === '03' ? '' : c.person().lineage.currentCode,
  to_region_code: (c) =>
    ['02'].includes(c.get('transfer_type') ?? '') ? c.rnd.pick(ELSEWHERE) : c.get('transfer_type') === '04' ? '' : c.person().lineage.currentCode,
  transfer_type: (c) => c.rnd.weighted(['01', '02', '03', '04'], [35, 30, 20, 15]),
  transfer_reason: (c) => c.rnd.pick(TRANSFER_REASONS[c.get('transfer_type') ?? '01'] ?? ['其他']),
  transfer_date: (c) => (c.get('transfer_type') === '03' ? after(c, c.person().birthDate, 1, 60) || rowDate(c) : rowDate(c)),
  police_station: (c) => `绍兴市公安局${c.street().lineage.district}分局${shortPlace(c.street().name)}派出所`,

  // 出生医学证明: the row's person is the newborn.
  baby_name: (c) => c.person().name,
  birth_time: (c) => timeOn(c.rnd, c.person().birthDate, true),
  birth_weight: (c) => integer(c.rnd, 2500, 4200),
  mother_name: (c) => other(c, 'mother', '2', birthYear(c) - 40, birthYear(c) - 21).name,
  mother_citizen_id: (c) => other(c, 'mother', '2', birthYear(c) - 40, birthYear(c) - 21).id,
  father_name: (c) => other(c, 'father', '1', birthYear(c) - 45, birthYear(c) - 23).name,
  father_citizen_id: (c) => other(c, 'father', '1', birthYear(c) - 45, birthYear(c) - 23).id,

  // 婚姻登记
  male_name: (c) => other(c, 'male', '1', 1955, 2000).name,
  male_citizen_id: (c) => other(c, 'male', '1', 1955, 2000).id,
  female_name: (c) => other(c, 'female', '2', 1957, 2002).name,
  female_citizen_id: (c) => other(c, 'female', '2', 1957, 2002).id,
  registration_date: (c) => rowDate(c),
  registry_office: (c) => `${c.street().lineage.district}民政局婚姻登记处`,

  // 社会保险
  insured_status: (c) => c.rnd.weighted(['1', '2', '3'], [85, 10, 5]),
  first_insured_date: (c) => c.once('firstInsured', () => firstInsured(c)),
  contribution_base: (c) => decimal(c.rnd, 4462, 24930),
  paid_months: (c) => {
    const first = c.once('firstInsured', () => firstInsured(c));
    if (!first) return '0';
    const months = Math.floor((TODAY - dayOf(first)) / 30.44);
    return String(Math.max(1, months - c.rnd.int(Math.floor(months / 5) + 1)));
  },

  // 救助、养老、住房保障
  assistance_type: (c) => c.rnd.weighted(['01', '02', '03', '04'], [55, 15, 20, 10]),
  family_size: (c) => integer(c.rnd, 1, 5),
  monthly_amount: (c) => decimal(c.rnd, 300, 1300),
  disability_level: (c) => (c.rnd.next() < 0.8 ? '' : c.rnd.pick(['1', '2', '3', '4'])),
  care_level: (c) => c.rnd.weighted(['0', '1', '2', '3', '4'], [40, 25, 18, 10, 7]),
  subsidy_amount: (c) => (c.get('guarantee_type') === '01' ? '' : decimal(c.rnd, 100, 900)),
  service_provider: (c) => `${c.street().lineage.district}${shortPlace(c.street().name)}居家养老服务中心`,
  emergency_contact: (c) => randomName(c.rnd),
  emergency_mobile: (c) => randomMobile(c.rnd),
  family_income: (c) => decimal(c.rnd, 800, 3600),
  guarantee_type: (c) => c.rnd.weighted(['01', '02'], [40, 60]),
  housing_address: (c) =>
    c.get('guarantee_type') === '01'
      ? `浙江省绍兴市${c.street().lineage.district}${c.rnd.pick(['镜湖', '城南', '迪荡', '袍江'])}公租房小区${1 + c.rnd.int(20)}幢${(1 + c.rnd.int(18)) * 100 + 1 + c.rnd.int(4)}室`
      : '',

  // 公积金
  account_status: (c) => c.rnd.weighted(['正常', '封存', '销户'], [80, 17, 3]),
  contribution_rate: (c) => c.rnd.weighted(['5.0', '8.0', '10.0', '12.0'], [10, 20, 15, 55]),
  balance: (c) => decimal(c.rnd, 0, 260000),
  last_paid_month: (c) =>
    c.get('account_status') === '正常'
      ? c.rnd.pick(['202505', '202506'])
      : `20${c.rnd.pick(['19', '20', '21', '22', '23', '24'])}${String(1 + c.rnd.int(12)).padStart(2, '0')}`,

  // 就业
  employment_status: (c) => c.rnd.weighted(['01', '02', '03'], [75, 10, 15]),
  hard_to_employ: (c) => yesNo(c.rnd, 0.08),
  first_practice_date: (c) => after(c, birthdayAt(c.person(), 24), 0, 3650) || between(c.rnd, '2015-01-01', '2025-06-30'),
};
