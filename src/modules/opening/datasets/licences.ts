/**
 * The licences an open dataset may carry: a fixed list (ids as CKAN's license_list and SPDX
 * spell them, so harvesters map them unchanged), with the platform's own open-data licence.
 */
export const LICENCES = [
  {
    id: 'CC-BY-4.0',
    title: 'Creative Commons Attribution 4.0',
    titleZh: '知识共享署名 4.0',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    odConformance: true,
  },
  {
    id: 'CC0-1.0',
    title: 'Creative Commons CCZero',
    titleZh: '知识共享零许可',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    odConformance: true,
  },
  {
    id: 'ODbL-1.0',
    title: 'Open Data Commons Open Database License 1.0',
    titleZh: '开放数据库许可',
    url: 'https://opendatacommons.org/licenses/odbl/1-0/',
    odConformance: true,
  },
  { id: 'gov-open', title: 'Government open data licence', titleZh: '政府数据开放许可', url: null, odConformance: false },
] as const;

export type LicenceId = (typeof LICENCES)[number]['id'];
export const LICENCE_IDS = LICENCES.map((l) => l.id) as [LicenceId, ...LicenceId[]];
