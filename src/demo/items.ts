import type { DemoItem } from './types.js';

/**
 * Data items that recur across the demo catalogue, named as the national template and the
 * Zhejiang data-element standards name them. Resources spread these (`{ ...ITEMS.uscc, primaryKey: true }`)
 * and add their own. Share, open and sensitivity are left to each resource.
 */
export const ITEMS = {
  // 人口 (person)
  citizen_id: {
    code: 'citizen_id',
    name: '公民身份号码',
    nameEn: 'Citizen ID number',
    dataType: 'STRING',
    length: 18,
    codeSet: 'GB 11643-1999',
    dataElement: 'DE00001',
    maskingRule: 'CITIZEN_ID',
  },
  name: { code: 'name', name: '姓名', nameEn: 'Name', dataType: 'STRING', length: 50, dataElement: 'DE00002', maskingRule: 'NAME' },
  sex_code: { code: 'sex_code', name: '性别代码', nameEn: 'Sex code', dataType: 'STRING', length: 1, codeSet: 'GB/T 2261.1-2003' },
  nation_code: { code: 'nation_code', name: '民族代码', nameEn: 'Ethnic group code', dataType: 'STRING', length: 2, codeSet: 'GB/T 3304-1991' },
  birth_date: { code: 'birth_date', name: '出生日期', nameEn: 'Date of birth', dataType: 'DATE' },
  mobile: { code: 'mobile', name: '联系电话', nameEn: 'Mobile number', dataType: 'STRING', length: 20, maskingRule: 'MOBILE' },
  domicile_region_code: {
    code: 'domicile_region_code',
    name: '户籍地行政区划代码',
    nameEn: 'Domicile region code',
    dataType: 'STRING',
    length: 6,
    codeSet: 'GB/T 2260',
  },
  domicile_address: { code: 'domicile_address', name: '户籍地详址', nameEn: 'Domicile address', dataType: 'STRING', length: 200, maskingRule: 'ADDRESS' },
  residence_address: { code: 'residence_address', name: '现居住地址', nameEn: 'Residential address', dataType: 'STRING', length: 200, maskingRule: 'ADDRESS' },
  education_code: { code: 'education_code', name: '学历代码', nameEn: 'Education level code', dataType: 'STRING', length: 2, codeSet: 'GB/T 4658-2006' },
  marital_status: { code: 'marital_status', name: '婚姻状况代码', nameEn: 'Marital status code', dataType: 'STRING', length: 2, codeSet: 'GB/T 2261.2-2003' },
  bank_account: { code: 'bank_account', name: '银行账号', nameEn: 'Bank account number', dataType: 'STRING', length: 32, maskingRule: 'BANK_CARD' },

  // 法人 (legal entity)
  uscc: {
    code: 'uscc',
    name: '统一社会信用代码',
    nameEn: 'Unified social credit code',
    dataType: 'STRING',
    length: 18,
    codeSet: 'GB 32100-2015',
    dataElement: 'DE01001',
  },
  ent_name: { code: 'ent_name', name: '企业名称', nameEn: 'Enterprise name', dataType: 'STRING', length: 200, dataElement: 'DE01002' },
  org_name: { code: 'org_name', name: '单位名称', nameEn: 'Organisation name', dataType: 'STRING', length: 200 },
  legal_rep_name: { code: 'legal_rep_name', name: '法定代表人姓名', nameEn: 'Legal representative', dataType: 'STRING', length: 50 },
  establish_date: { code: 'establish_date', name: '成立日期', nameEn: 'Date of establishment', dataType: 'DATE' },
  reg_address: { code: 'reg_address', name: '住所', nameEn: 'Registered address', dataType: 'STRING', length: 200 },
  industry_code: { code: 'industry_code', name: '国民经济行业代码', nameEn: 'Industry code', dataType: 'STRING', length: 5, codeSet: 'GB/T 4754-2017' },
  reg_authority: { code: 'reg_authority', name: '登记机关', nameEn: 'Registration authority', dataType: 'STRING', length: 100 },
  org_phone: { code: 'org_phone', name: '办公电话', nameEn: 'Office telephone', dataType: 'STRING', length: 20 },

  // 证照与文书 (licences and decisions)
  licence_no: { code: 'licence_no', name: '证照编号', nameEn: 'Licence number', dataType: 'STRING', length: 64 },
  licence_name: { code: 'licence_name', name: '证照名称', nameEn: 'Licence name', dataType: 'STRING', length: 100 },
  licence_type_code: {
    code: 'licence_type_code',
    name: '证照类型代码',
    nameEn: 'Licence type code',
    dataType: 'STRING',
    length: 21,
    description: 'GB/T 36902：定义证照类型的单位统一社会信用代码（18 位）+ 3 位顺序码',
  },
  holder_code_type: {
    code: 'holder_code_type',
    name: '持证主体代码类型',
    nameEn: 'Holder code type',
    dataType: 'STRING',
    length: 3,
    description: '111 公民身份号码 001 统一社会信用代码',
  },
  licence_status: { code: 'licence_status', name: '证照状态', nameEn: 'Status', dataType: 'STRING', length: 2 },
  issuer_name: { code: 'issuer_name', name: '发证机关', nameEn: 'Issuing authority', dataType: 'STRING', length: 100 },
  issuer_code: { code: 'issuer_code', name: '发证机关统一社会信用代码', nameEn: 'Issuer USCC', dataType: 'STRING', length: 18, codeSet: 'GB 32100-2015' },
  issue_date: { code: 'issue_date', name: '发证日期', nameEn: 'Issue date', dataType: 'DATE' },
  valid_from: { code: 'valid_from', name: '有效期起', nameEn: 'Valid from', dataType: 'DATE' },
  valid_to: { code: 'valid_to', name: '有效期至', nameEn: 'Valid to', dataType: 'DATE' },
  decision_no: { code: 'decision_no', name: '决定文书号', nameEn: 'Decision number', dataType: 'STRING', length: 64 },
  decision_date: { code: 'decision_date', name: '决定日期', nameEn: 'Decision date', dataType: 'DATE' },
  decision_org: { code: 'decision_org', name: '决定机关', nameEn: 'Deciding authority', dataType: 'STRING', length: 100 },

  // 地点与时间 (place and time)
  region_code: { code: 'region_code', name: '行政区划代码', nameEn: 'Region code', dataType: 'STRING', length: 6, codeSet: 'GB/T 2260' },
  street_code: { code: 'street_code', name: '乡镇（街道）代码', nameEn: 'Township code', dataType: 'STRING', length: 9, codeSet: 'GB/T 10114-2003' },
  address: { code: 'address', name: '地址', nameEn: 'Address', dataType: 'STRING', length: 200 },
  longitude: { code: 'longitude', name: '经度', nameEn: 'Longitude', dataType: 'DECIMAL', length: 10, precision: 6 },
  latitude: { code: 'latitude', name: '纬度', nameEn: 'Latitude', dataType: 'DECIMAL', length: 10, precision: 6 },
  update_time: { code: 'update_time', name: '数据更新时间', nameEn: 'Last updated', dataType: 'DATETIME' },
  remark: { code: 'remark', name: '备注', nameEn: 'Remarks', dataType: 'TEXT' },
} as const satisfies Record<string, DemoItem>;

/** A recurring item used as (part of) the resource's primary key. */
export const key = (item: DemoItem): DemoItem => ({ ...item, primaryKey: true });
