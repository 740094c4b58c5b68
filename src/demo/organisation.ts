import type { DepartmentKind } from '../modules/catalog/codes.js';
import { buildUscc } from '../shared/validation/uscc.js';
import type { DemoDepartment } from './types.js';

/** 绍兴市 and its six districts/counties (GB/T 2260). The city comes first so districts hang off it. */
export const DEMO_REGIONS = ['330600', '330602', '330603', '330604', '330624', '330681', '330683'] as const;

/**
 * Synthetic but valid USCCs: registration authority + entity type by kind (11 机关, 12 事业单位,
 * 91 企业), the region code, and an organisation-code body starting "KJ" that no real body uses.
 */
const PREFIX: Record<DepartmentKind, string> = { PARTY: '11', GOVERNMENT: '11', INSTITUTION: '12', ENTERPRISE: '91', OTHER: '11' };
const uscc = (kind: DepartmentKind, region: string, n: number) => buildUscc(`${PREFIX[kind]}${region}`, `KJ${String(n).padStart(6, '0')}`);

// Contacts and telephone numbers are invented (0575 is Shaoxing's area code).
const DEPARTMENTS: Omit<DemoDepartment, 'uscc'>[] = [
  { key: 'dsj', name: '绍兴市大数据发展管理局', shortName: '市大数据局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '沈明远', contactPhone: '0575-85201001' },
  { key: 'gaj', name: '绍兴市公安局', shortName: '市公安局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '孙建华', contactPhone: '0575-85202002' },
  { key: 'scjgj', name: '绍兴市市场监督管理局', shortName: '市市场监管局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '钱丽萍', contactPhone: '0575-85203003' },
  { key: 'rsj', name: '绍兴市人力资源和社会保障局', shortName: '市人力社保局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '李国强', contactPhone: '0575-85204004' },
  { key: 'zrzyj', name: '绍兴市自然资源和规划局', shortName: '市自然资源规划局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '周文涛', contactPhone: '0575-85205005' },
  { key: 'wjw', name: '绍兴市卫生健康委员会', shortName: '市卫生健康委', regionCode: '330600', kind: 'GOVERNMENT', contactName: '吴秀英', contactPhone: '0575-85206006' },
  { key: 'jyj', name: '绍兴市教育局', shortName: '市教育局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '郑海燕', contactPhone: '0575-85207007' },
  { key: 'mzj', name: '绍兴市民政局', shortName: '市民政局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '王志刚', contactPhone: '0575-85208008' },
  { key: 'jsj', name: '绍兴市住房和城乡建设局', shortName: '市建设局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '冯晓东', contactPhone: '0575-85209009' },
  { key: 'jtj', name: '绍兴市交通运输局', shortName: '市交通运输局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '陈永康', contactPhone: '0575-85210010' },
  { key: 'sthjj', name: '绍兴市生态环境局', shortName: '市生态环境局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '褚建平', contactPhone: '0575-85211011' },
  { key: 'fgw', name: '绍兴市发展和改革委员会', shortName: '市发展改革委', regionCode: '330600', kind: 'GOVERNMENT', contactName: '卫红梅', contactPhone: '0575-85212012' },
  { key: 'czj', name: '绍兴市财政局', shortName: '市财政局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '蒋文斌', contactPhone: '0575-85213013' },
  { key: 'sfj', name: '绍兴市司法局', shortName: '市司法局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '沈佳怡', contactPhone: '0575-85214014' },
  { key: 'yjglj', name: '绍兴市应急管理局', shortName: '市应急管理局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '韩立新', contactPhone: '0575-85215015' },
  { key: 'nyncj', name: '绍兴市农业农村局', shortName: '市农业农村局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '杨春华', contactPhone: '0575-85216016' },
  { key: 'wglyj', name: '绍兴市文化广电旅游局', shortName: '市文广旅游局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '朱晓芳', contactPhone: '0575-85217017' },
  { key: 'swj', name: '绍兴市商务局', shortName: '市商务局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '秦卫东', contactPhone: '0575-85218018' },
  { key: 'slj', name: '绍兴市水利局', shortName: '市水利局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '尤建军', contactPhone: '0575-85219019' },
  { key: 'tjj', name: '绍兴市统计局', shortName: '市统计局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '许静', contactPhone: '0575-85220020' },
  { key: 'ybj', name: '绍兴市医疗保障局', shortName: '市医保局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '何志勇', contactPhone: '0575-85221021' },
  { key: 'zhzfj', name: '绍兴市综合行政执法局', shortName: '市综合执法局', regionCode: '330600', kind: 'GOVERNMENT', contactName: '吕国平', contactPhone: '0575-85222022' },
  { key: 'rfb', name: '绍兴市人民防空办公室', shortName: '市人防办', regionCode: '330600', kind: 'GOVERNMENT', contactName: '施振华', contactPhone: '0575-85223023' },
  { key: 'qxj', name: '绍兴市气象局', shortName: '市气象局', regionCode: '330600', kind: 'INSTITUTION', contactName: '张雨晴', contactPhone: '0575-85224024' },
  { key: 'gjj', name: '绍兴市住房公积金管理中心', shortName: '市公积金中心', regionCode: '330600', kind: 'INSTITUTION', contactName: '孔令杰', contactPhone: '0575-85225025' },
  { key: 'bb', name: '中共绍兴市委机构编制委员会办公室', shortName: '市委编办', regionCode: '330600', kind: 'PARTY', contactName: '曹文华', contactPhone: '0575-85226026' },
  { key: 'zfw', name: '中共绍兴市委政法委员会', shortName: '市委政法委', regionCode: '330600', kind: 'PARTY', contactName: '严正', contactPhone: '0575-85227027' },
  { key: 'gjjt', name: '绍兴市公共交通集团有限公司', shortName: '市公交集团', regionCode: '330600', kind: 'ENTERPRISE', contactName: '华晓明', contactPhone: '0575-85228028' },
  { key: 'yc_scjgj', name: '越城区市场监督管理局', shortName: '越城区市场监管局', regionCode: '330602', kind: 'GOVERNMENT', contactName: '金伟', contactPhone: '0575-88101101' },
  { key: 'kq_mzj', name: '柯桥区民政局', shortName: '柯桥区民政局', regionCode: '330603', kind: 'GOVERNMENT', contactName: '魏丽娟', contactPhone: '0575-84102102' },
  { key: 'kq_zhzfj', name: '柯桥区综合行政执法局', shortName: '柯桥区综合执法局', regionCode: '330603', kind: 'GOVERNMENT', contactName: '陶建新', contactPhone: '0575-84103103' },
  { key: 'sy_wjj', name: '上虞区卫生健康局', shortName: '上虞区卫生健康局', regionCode: '330604', kind: 'GOVERNMENT', contactName: '姜美玲', contactPhone: '0575-82104104' },
  { key: 'xc_jytj', name: '新昌县教育体育局', shortName: '新昌县教体局', regionCode: '330624', kind: 'GOVERNMENT', contactName: '戚晓峰', contactPhone: '0575-86105105' },
  { key: 'zj_zrzyj', name: '诸暨市自然资源和规划局', shortName: '诸暨市自然资源规划局', regionCode: '330681', kind: 'GOVERNMENT', contactName: '谢国庆', contactPhone: '0575-87106106' },
  { key: 'zj_zfw', name: '中共诸暨市委政法委员会', shortName: '诸暨市委政法委', regionCode: '330681', kind: 'PARTY', contactName: '邹立群', contactPhone: '0575-87107107' },
  { key: 'sz_rsj', name: '嵊州市人力资源和社会保障局', shortName: '嵊州市人力社保局', regionCode: '330683', kind: 'GOVERNMENT', contactName: '喻文军', contactPhone: '0575-83108108' },
];

/** About 30 city bureaus plus district/county bureaus; the n-th gets organisation-code body KJ00000n. */
export const DEMO_DEPARTMENTS: DemoDepartment[] = DEPARTMENTS.map((d, i) => ({ ...d, uscc: uscc(d.kind, d.regionCode, i + 1) }));
