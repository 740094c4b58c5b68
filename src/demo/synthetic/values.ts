import { dayOf } from './dates.js';
import { after, between, rowDate, shortPlace } from './helpers.js';
import { unitNo } from './keys.js';
import { ageOf, randomMobile } from './people.js';
import { randomFirm } from './firms.js';
import { DEMO_LICENCE_TYPES } from './licences.js';
import { address } from './places.js';
import type { RowContext, SyntheticItem, ValueFn } from './types.js';
import { fallbackValue } from './values-fallback.js';
import { MEASURE_VALUES } from './values-measures.js';
import { ORG_VALUES } from './values-orgs.js';
import { PEOPLE_VALUES } from './values-people.js';
import { MEDICAL_TYPES, MEDICAL_TYPE_WEIGHTS, SERVICE_VALUES } from './values-services.js';

/** Values by item code, across the whole demo catalogue. */
const BY_CODE: Record<string, ValueFn> = { ...SERVICE_VALUES, ...MEASURE_VALUES, ...ORG_VALUES, ...PEOPLE_VALUES };

const marketRegulator = (c: RowContext) => (c.rnd.next() < 0.4 ? '绍兴市市场监督管理局' : `绍兴市${c.street().lineage.district}市场监督管理局`);
const propertyCertificate = (c: RowContext) => `浙（${rowDate(c).slice(0, 4)}）绍兴市不动产权第${c.rnd.digits(7)}号`;

/** 身份证 validity by age at issue: 5, 10 or 20 years, or long-term from 46. */
function idCardValidity(c: RowContext) {
  return c.once('idValidity', () => {
    const age = ageOf(c.person());
    const years = age < 16 ? 5 : age < 26 ? 10 : age < 46 ? 20 : 0;
    const from = between(c.rnd, years ? `${2025 - years + 1}-01-01` : '2010-01-01', '2025-06-30');
    return {
      from: dayOf(from) < dayOf(c.person().birthDate) ? c.person().birthDate : from,
      to: years ? after(c, from, years * 365 + 4, years * 365 + 4, true) : '',
    };
  });
}

/** E-licences: the type's name and code, the holder's code type, and the issuer the identifier names (the provider). */
const LICENCE_VALUES: Record<string, ValueFn> = Object.fromEntries(
  Object.entries(DEMO_LICENCE_TYPES).flatMap(([code, type]) => [
    [`${code}:licence_name`, () => type.name],
    [`${code}:licence_type_code`, () => type.typeCode],
    [`${code}:holder_code_type`, () => type.holderCodeType],
    [`${code}:issuer_code`, (c: RowContext) => c.resource.provider.uscc],
  ]),
);

/** Where one resource's item means something particular. */
const BY_RESOURCE: Record<string, ValueFn> = {
  ...LICENCE_VALUES,
  '105001/00001:issuer_name': (c) => c.resource.provider.name,
  '105003/00001:issuer_name': (c) => c.resource.provider.name,
  '105004/00001:issuer_name': (c) => c.resource.provider.name,
  '105001/00001:licence_no': (c) => c.firm().uscc,
  '105003/00001:licence_no': propertyCertificate,
  '103001/00001:certificate_no': propertyCertificate,
  '105004/00001:licence_no': (c) => `JY1${c.firm().street.lineage.currentCode}${c.rnd.digits(7)}`,
  '105003/00001:unit_no': (c) => unitNo(c.major),
  '103002/00001:approval_no': (c) => `绍政函〔${2019 + c.rnd.int(6)}〕${1 + c.rnd.int(200)}号`,
  '203001/00001:region_code': (c) => c.get('project_code')?.slice(5, 11) ?? c.street().lineage.currentCode,
  '101002/00001:issue_date': (c) => after(c, c.person().birthDate, 0, 30) || c.person().birthDate,
  '105002/00001:issuer_name': (c) => `绍兴市公安局${c.person().lineage.district}分局`,
  '105002/00001:valid_from': (c) => idCardValidity(c).from,
  '105002/00001:valid_to': (c) => idCardValidity(c).to,
  '301001/00001:valid_from': (c) => c.once('drivingFrom', () => between(c.rnd, c.get('first_issue_date') ?? '2015-01-01', '2025-06-30')),
  '301001/00001:valid_to': (c) => after(c, c.get('valid_from'), 6 * 365, 10 * 365, true),
  '311001/00001:issuer_name': (c) => (c.rnd.next() < 0.5 ? '浙江省应急管理厅' : c.authority().name),
  '307001/00001:business_type': (c) =>
    c.rnd.weighted(['道路普通货物运输', '道路普通货物运输、货物专用运输（集装箱）', '道路危险货物运输', '道路旅客运输'], [70, 15, 5, 10]),
  '102002/00001:org_type': (c) => (c.firm().name.endsWith('基金会') ? '3' : c.firm().name.endsWith('服务中心') ? '2' : '1'),
  '314001/00001:mobile': (c) => c.person().mobile || randomMobile(c.rnd),
  '312001/00001:institution_code': (c) => `H${c.person().lineage.currentCode}${c.rnd.digits(5)}`,
  '105003/00001:location': (c) => address(c.rnd, c.street(), true),
  '104002/00001:decision_org': (c) => marketRegulator(c),
  '104002/00002:decision_org': (c) => marketRegulator(c),
  '303001/00001:org_name': (c) =>
    `${c.street().lineage.district}${shortPlace(c.street().name)}${c.once('medType', () => c.rnd.weighted(MEDICAL_TYPES, MEDICAL_TYPE_WEIGHTS))[1]}`,
  '316001/00001:producer_name': (c) =>
    `${c.street().lineage.district}${randomFirm(c.rnd).trade}${c.rnd.pick(['家庭农场', '农业专业合作社', '生态农业有限公司'])}`,
};

/** Resource-specific first, then by item code, then generic (enumerations, code sets, names, types). */
export function valueFor(c: RowContext, item: SyntheticItem): string {
  const attr = c.attrs[item.code];
  if (attr !== undefined) return attr;
  const fn = BY_RESOURCE[`${c.resource.code}:${item.code}`] ?? BY_CODE[item.code] ?? fallbackValue;
  return fit(item, fn(c, item));
}

/** A last guard on text length, so a long generated name cannot make a row fail. */
function fit(item: SyntheticItem, value: string): string {
  if ((item.dataType !== 'STRING' && item.dataType !== 'TEXT') || !item.length || value.length <= item.length) return value;
  return [...value].slice(0, item.length).join('');
}
