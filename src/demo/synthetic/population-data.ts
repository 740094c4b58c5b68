/**
 * Word lists for the synthetic population. Place names are public geography of Shaoxing;
 * name characters are common ones. Nothing here describes a real person.
 */

/**
 * The six districts/counties of Shaoxing with the GB/T 2260 codes each used over time
 * (reference/administrative-divisions-history.csv). An ID number keeps the code in force when it
 * was first issued, so people born before 2013 in Keqiao carry 330621 (绍兴县) for life.
 */
export interface Lineage {
  currentCode: string;
  district: string;
  /** [first year in force, code], oldest first. */
  codes: readonly (readonly [number, string])[];
  streets: readonly string[];
}

export const LINEAGES: readonly Lineage[] = [
  {
    currentCode: '330602',
    district: '越城区',
    codes: [[1983, '330602']],
    streets: ['府山街道', '北海街道', '塔山街道', '城南街道', '稽山街道', '东湖街道', '皋埠街道'],
  },
  {
    currentCode: '330603',
    district: '柯桥区',
    codes: [
      [1983, '330621'],
      [2013, '330603'],
    ],
    streets: ['柯桥街道', '华舍街道', '齐贤街道', '钱清街道', '安昌街道', '福全街道'],
  },
  {
    currentCode: '330604',
    district: '上虞区',
    codes: [
      [1983, '330622'],
      [1992, '330682'],
      [2013, '330604'],
    ],
    streets: ['百官街道', '曹娥街道', '东关街道', '崧厦街道', '小越街道'],
  },
  { currentCode: '330624', district: '新昌县', codes: [[1983, '330624']], streets: ['南明街道', '七星街道', '羽林街道', '沙溪镇', '儒岙镇'] },
  {
    currentCode: '330681',
    district: '诸暨市',
    codes: [
      [1983, '330625'],
      [1989, '339011'],
      [1990, '330681'],
    ],
    streets: ['暨阳街道', '浣东街道', '陶朱街道', '大唐街道', '店口镇'],
  },
  {
    currentCode: '330683',
    district: '嵊州市',
    codes: [
      [1983, '330623'],
      [1995, '330683'],
    ],
    streets: ['剡湖街道', '三江街道', '鹿山街道', '浦口街道', '甘霖镇'],
  },
];

/** The resident ID number system began in 1984–85; earlier births got the code in force then. */
export const FIRST_ISSUE_YEAR = 1985;

export function regionCodeAt(lineage: Lineage, year: number): string {
  let code = lineage.codes[0]![1];
  for (const [from, c] of lineage.codes) if (year >= from) code = c;
  return code;
}

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '金',
  '俞',
  '沈',
  '鲁',
  '钱',
  '裘',
  '宣',
  '楼',
  '竺',
  '茹',
];
/** Rough frequencies: the common national surnames first, then ones frequent around Shaoxing. */
export const SURNAME_WEIGHTS = [
  70, 70, 65, 55, 60, 30, 25, 25, 30, 20, 25, 18, 12, 12, 12, 10, 10, 10, 10, 8, 9, 6, 8, 7, 6, 8, 5, 5, 4, 5, 12, 10, 12, 8, 8, 5, 6, 5, 3, 3,
];

export const GIVEN_MALE = [
  '伟',
  '强',
  '军',
  '杰',
  '磊',
  '涛',
  '斌',
  '超',
  '明',
  '刚',
  '平',
  '辉',
  '鹏',
  '华',
  '飞',
  '建',
  '国',
  '志',
  '浩',
  '宇',
  '俊',
  '峰',
  '海',
  '文',
  '晨',
  '轩',
  '睿',
  '博',
  '泽',
  '恒',
];
export const GIVEN_FEMALE = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '艳',
  '娟',
  '霞',
  '秀',
  '英',
  '玲',
  '婷',
  '雪',
  '慧',
  '琳',
  '颖',
  '洁',
  '倩',
  '萍',
  '红',
  '燕',
  '欣',
  '怡',
  '萱',
  '涵',
  '悦',
  '雯',
  '佳',
  '琪',
  '蕾',
];

export const ROADS = [
  '人民路',
  '解放路',
  '中兴路',
  '胜利路',
  '延安路',
  '环城西路',
  '凤林路',
  '迪荡路',
  '群贤路',
  '笛扬路',
  '兴越路',
  '江滨路',
  '新建路',
  '望江路',
  '湖滨路',
];

export const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '157',
  '158',
  '159',
  '166',
  '173',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '198',
  '199',
];

/** GB/T 3304 codes other than 01 (汉族) that occur in Zhejiang; 22 is 畲族, native to the province. */
export const MINORITY_ETHNIC_CODES = ['22', '22', '22', '03', '06', '08', '09', '11', '12', '15', '02', '10'];

/** GB/T 4658-2006 education levels for adults, with rough weights. */
export const ADULT_EDUCATION = ['10', '20', '30', '40', '60', '70', '80', '90'];
export const ADULT_EDUCATION_WEIGHTS = [3, 18, 15, 8, 18, 25, 10, 3];

/** GB/T 2261.2-2003 marital status. */
export const ADULT_MARITAL = ['10', '20', '21', '22', '30', '40', '90'];
export const ADULT_MARITAL_WEIGHTS = [15, 50, 15, 3, 7, 6, 4];
