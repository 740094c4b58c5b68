import type { DemoSystem } from './types.js';

/**
 * The information-system census (信息系统普查) of the demo city: systems at all four levels, some
 * connected to the platform. Ministry and provincial systems are "vertical" (垂直管理): the city
 * bureau operates them but does not own their code.
 */
export const DEMO_SYSTEMS: DemoSystem[] = [
  { key: 'qgrk', name: '全国人口信息管理系统', department: 'gaj', level: 'NATIONAL', status: 'IN_USE', connected: true, description: '公安部人口信息管理系统，绍兴市公安局使用其户籍管理、身份证办理模块', launchedOn: '2008-07-01' },
  { key: 'gsxt', name: '国家企业信用信息公示系统', department: 'scjgj', level: 'NATIONAL', status: 'IN_USE', connected: true, description: '市场主体登记、年报、行政处罚等信息的全国公示系统', launchedOn: '2014-03-01' },
  { key: 'ybpt', name: '国家医疗保障信息平台', department: 'ybj', level: 'NATIONAL', status: 'IN_USE', connected: false, description: '全国统一的医保信息平台，承载参保登记、医保结算等业务', launchedOn: '2021-12-01' },
  { key: 'zjscdj', name: '浙江省市场主体登记系统', department: 'scjgj', level: 'PROVINCIAL', status: 'IN_USE', connected: true, description: '全省统一的企业、个体工商户登记注册系统', launchedOn: '2019-01-01' },
  { key: 'zjrs', name: '浙江省人力社保一体化经办系统', department: 'rsj', level: 'PROVINCIAL', status: 'IN_USE', connected: true, description: '全省社会保险、就业、人才业务一体化经办', launchedOn: '2020-06-30' },
  { key: 'zjjk', name: '浙江省全民健康信息平台', department: 'wjw', level: 'PROVINCIAL', status: 'IN_USE', connected: true, description: '居民电子健康档案、电子病历和医疗机构信息的省级平台', launchedOn: '2017-10-01' },
  { key: 'zjjz', name: '浙江省大救助信息系统', department: 'mzj', level: 'PROVINCIAL', status: 'IN_USE', connected: true, description: '低保、特困、临时救助等救助对象的统一认定与管理', launchedOn: '2020-01-01' },
  { key: 'zjxy', name: '浙江省公共信用信息平台', department: 'fgw', level: 'PROVINCIAL', status: 'IN_USE', connected: true, description: '归集法人和自然人公共信用信息，开展信用评价与联合奖惩', launchedOn: '2016-05-01' },
  { key: 'sxggsj', name: '绍兴市公共数据平台', department: 'dsj', level: 'CITY', status: 'IN_USE', connected: true, description: '全市公共数据归集、治理、共享、开放的统一平台', vendor: '会稽开源社区', launchedOn: '2018-12-28' },
  { key: 'sxbdc', name: '绍兴市不动产登记系统', department: 'zrzyj', level: 'CITY', status: 'IN_USE', connected: true, description: '不动产首次登记、转移登记、抵押登记及权籍调查', launchedOn: '2017-03-01' },
  { key: 'sxgtkj', name: '绍兴市国土空间基础信息平台', department: 'zrzyj', level: 'CITY', status: 'IN_USE', connected: true, description: '国土空间规划、用地审批和基础测绘成果的统一管理', launchedOn: '2020-09-01' },
  { key: 'sxjy', name: '绍兴市智慧教育公共服务平台', department: 'jyj', level: 'CITY', status: 'IN_USE', connected: false, description: '学校、教师、学生学籍与招生入学服务', launchedOn: '2019-08-20' },
  { key: 'sxzf', name: '绍兴市住房保障和房产管理系统', department: 'jsj', level: 'CITY', status: 'IN_USE', connected: true, description: '公共租赁住房保障、施工许可和房屋交易管理', launchedOn: '2016-11-01' },
  { key: 'sxjt', name: '绍兴市智慧交通综合管理平台', department: 'jtj', level: 'CITY', status: 'IN_USE', connected: true, description: '道路运输、公共交通运营与路网运行监测', launchedOn: '2021-04-15' },
  { key: 'sxhj', name: '绍兴市生态环境智能监控平台', department: 'sthjj', level: 'CITY', status: 'IN_USE', connected: true, description: '空气、水质自动监测站与重点排污单位在线监控', launchedOn: '2020-05-20' },
  { key: 'sxgjj', name: '绍兴市住房公积金综合业务系统', department: 'gjj', level: 'CITY', status: 'BUILDING', connected: false, description: '公积金缴存、提取和贷款业务（新一代系统在建）' },
  { key: 'zjjczl', name: '诸暨市基层治理四平台', department: 'zj_zfw', level: 'COUNTY', status: 'IN_USE', connected: true, description: '综治工作、市场监管、综合执法、便民服务四个平台与全科网格', launchedOn: '2017-06-01' },
  { key: 'kqmz', name: '柯桥区智慧民政系统', department: 'kq_mzj', level: 'COUNTY', status: 'IN_USE', connected: false, description: '养老服务、社会救助和社区事务的区级业务系统', launchedOn: '2021-09-01' },
  { key: 'ycjg', name: '越城区智慧市场监管平台', department: 'yc_scjgj', level: 'COUNTY', status: 'IN_USE', connected: true, description: '食品安全抽检、双随机检查与企业信用分类监管', launchedOn: '2022-03-01' },
];
