import type { ReportFigures } from './report-figures.js';

export type ReportLang = 'zh' | 'en';

/** A report as blocks, rendered to Markdown (report-markdown.ts) or HTML with charts (report-html.ts). */
export type ReportBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric: boolean[] }
  /** A bar chart in HTML; Markdown shows the same bars as its table (the block after it). */
  | { kind: 'chart'; title: string; bars: { label: string; value: number }[]; percent?: boolean };

export type ReportDocument = { lang: ReportLang; title: string; blocks: ReportBlock[] };

/** Large counts the way the seed writes them: 335 亿, 12.3 万; exact below 100,000. */
export function countText(n: number, lang: ReportLang): string {
  if (lang === 'en') {
    if (n >= 1e9) return `${trim(n / 1e9)} billion`;
    if (n >= 1e6) return `${trim(n / 1e6)} million`;
    return n.toLocaleString('en-US');
  }
  if (n >= 1e8) return `${trim(n / 1e8)} 亿`;
  if (n >= 1e5) return `${trim(n / 1e4)} 万`;
  return String(n);
}

const trim = (v: number) => (Math.round(v * 100) / 100).toString();
const exact = (n: number) => n.toLocaleString('en-US');
const pct = (fraction: number | null) => (fraction === null ? '—' : `${(Math.round(fraction * 1000) / 10).toFixed(1)}%`);

const DIMENSIONS: Record<string, { zh: string; en: string }> = {
  completeness: { zh: '完整性', en: 'completeness' },
  accuracy: { zh: '准确性', en: 'accuracy' },
  conformity: { zh: '规范性', en: 'conformity' },
  consistency: { zh: '一致性', en: 'consistency' },
  uniqueness: { zh: '唯一性', en: 'uniqueness' },
  relevance: { zh: '关联性', en: 'relevance' },
  timeliness: { zh: '及时性', en: 'timeliness' },
};
const dimensionName = (code: string, lang: ReportLang) => DIMENSIONS[code.toLowerCase()]?.[lang] ?? code;

/**
 * The platform's figures laid out like section 一 of the seed document (绍兴市大数据局's reply on
 * the platform's state): platform, collection and catalogue, governance and the system census,
 * sharing and opening — each sentence filled from the figures services, Chinese or English.
 */
export function buildReport(f: ReportFigures, lang: ReportLang): ReportDocument {
  const zh = lang === 'zh';
  const t = (zhText: string, enText: string) => (zh ? zhText : enText);
  const n = (v: number) => countText(v, lang);
  const blocks: ReportBlock[] = [];
  const h = (level: 1 | 2 | 3, text: string) => blocks.push({ kind: 'heading', level, text });
  const p = (text: string) => blocks.push({ kind: 'paragraph', text });
  const table = (head: string[], rows: string[][], numeric: boolean[]) => blocks.push({ kind: 'table', head, rows, numeric });
  const chart = (title: string, bars: { label: string; value: number }[], percent = false) => blocks.push({ kind: 'chart', title, bars, percent });
  const { catalog, collection, quality, sharing, open } = f;
  const generated = f.generatedAt.slice(0, 19).replace('T', ' ');

  p(t(`统计时间：${generated}（UTC）。以下数字均由平台按当前存储实时计算。`, `Figures computed from the platform's store at ${generated} UTC.`));

  h(2, t('一、公共数据平台运行情况', '1. The public data platform'));

  // (一) 归集 — collection and the catalogue
  h(3, t('（一）公共数据归集应归尽归', '(1) Collection: everything that should be collected'));
  const districtsWithResources = catalog.byRegion.filter((r) => r.level !== 'prefecture' && r.resources > 0).length;
  const cityDepartments = catalog.byDepartment.filter((d) => catalog.byRegion.some((r) => r.regionCode === d.regionCode && r.level === 'prefecture')).length;
  p(
    t(
      `全市已归集 ${collection.resourcesWithData} 类 ${n(collection.records)} 条数据，其中市本级 ${n(collection.cityLevel.records)} 条，区、县（市）${n(collection.districts.records)} 条；应归尽归覆盖率 ${pct(collection.coverage)}（有数据的资源 ÷ 已编目资源），${collection.year} 年新增 ${n(collection.recordsAddedInYear)} 条。`,
      `${collection.resourcesWithData} classes of data holding ${n(collection.records)} records have been collected: ${n(collection.cityLevel.records)} at city level and ${n(collection.districts.records)} in the districts and counties. Coverage is ${pct(collection.coverage)} (resources with data ÷ catalogued resources); ${n(collection.recordsAddedInYear)} records were added in ${collection.year}.`,
    ),
  );
  p(
    t(
      `公共数据资源目录收录全市 ${cityDepartments} 个市级部门（单位）和 ${districtsWithResources} 个区、县（市）在用公共数据资源 ${catalog.resources} 类共 ${catalog.items} 项数据，其中可共享 ${catalog.shareableItems} 项，可开放 ${catalog.openableItems} 项。`,
      `The public data resource catalogue lists ${catalog.resources} resources with ${catalog.items} data items from ${cityDepartments} city departments and ${districtsWithResources} districts and counties; ${catalog.shareableItems} items may be shared and ${catalog.openableItems} opened.`,
    ),
  );
  const regions = collection.byRegion.filter((r) => r.resources > 0);
  table(
    [t('区域', 'Region'), t('已编目资源', 'Catalogued'), t('有数据资源', 'With data'), t('记录数', 'Records'), t('覆盖率', 'Coverage')],
    regions.map((r) => [r.regionName, exact(r.resources), exact(r.resourcesWithData), exact(r.records), pct(r.coverage)]),
    [false, true, true, true, true],
  );
  chart(
    t('各区域归集记录数', 'Records collected by region'),
    regions.map((r) => ({ label: r.regionName, value: r.records })),
  );

  // (二) 治理 — governance and the system census
  // 六大主题库 — the thematic databases built from the collected records
  const themes = f.themes;
  if (themes.themes.length > 0) {
    const rate = themes.totals.matchRate === null ? '—' : pct(themes.totals.matchRate);
    p(
      t(
        `建成${themes.themes.map((x) => x.name).join('、')}等 ${themes.totals.themes} 个主题库，主档 ${n(themes.totals.masters)} 条，关联成员资源记录 ${n(themes.totals.sources)} 条（匹配率 ${rate}）；来源冲突待处理 ${themes.totals.conflictsOpen} 项，待人工核对 ${themes.totals.reviewPending} 条。`,
        `${themes.totals.themes} thematic databases (${themes.themes.map((x) => x.nameEn).join(', ')}) hold ${n(themes.totals.masters)} master records built from ${n(themes.totals.sources)} member records (match rate ${rate}); ${themes.totals.conflictsOpen} source conflicts are open and ${themes.totals.reviewPending} records wait for review.`,
      ),
    );
    table(
      [t('主题库', 'Theme'), t('主档', 'Masters'), t('成员记录', 'Member records'), t('匹配率', 'Match rate'), t('冲突', 'Conflicts'), t('待核对', 'Review')],
      themes.themes.map((x) => [
        zh ? x.name : x.nameEn,
        exact(x.masters),
        exact(x.sources),
        x.matchRate === null ? '—' : pct(x.matchRate),
        exact(x.conflictsOpen),
        exact(x.reviewPending),
      ]),
      [false, true, true, true, true, true],
    );
  }

  h(3, t('（二）数据质量治理有效提升', '(2) Data quality governance'));
  const governed = quality.governed.percent;
  p(
    t(
      `从数据的完整性、准确性、规范性、一致性、唯一性和关联性等维度开展数据质量治理，已累计完成数据治理达 ${governed === null ? '—' : `${governed}%`}（${quality.governed.governedResources} / ${quality.governed.resources} 个有数据的资源）；平台质量得分 ${pct(quality.score)}。问题数据：待整改 ${quality.problems.open} 个（其中超期 ${quality.problems.overdue} 个），已关闭 ${quality.problems.closed} 个；异议 ${quality.objections.open} 个处理中。`,
      `Quality is governed along completeness, accuracy, conformity, consistency, uniqueness and relevance: ${governed === null ? '—' : `${governed}%`} governed (${quality.governed.governedResources} of ${quality.governed.resources} resources with data); the platform's score is ${pct(quality.score)}. Problems: ${quality.problems.open} open (${quality.problems.overdue} overdue), ${quality.problems.closed} closed; ${quality.objections.open} objections open.`,
    ),
  );
  const dims = quality.byDimension.filter((d) => d.checked > 0);
  table(
    [t('维度', 'Dimension'), t('规则数', 'Rules'), t('检查数', 'Checked'), t('通过数', 'Passed'), t('得分', 'Score')],
    dims.map((d) => [dimensionName(d.dimension, lang), exact(d.rules), exact(d.checked), exact(d.passed), pct(d.score)]),
    [false, true, true, true, true],
  );
  chart(
    t('各维度质量得分', 'Quality score by dimension'),
    dims.map((d) => ({ label: dimensionName(d.dimension, lang), value: d.score ?? 0 })),
    true,
  );
  const level = (code: string) => catalog.systems.byLevel.find((l) => l.code === code)?.systems ?? 0;
  p(
    t(
      `开展信息系统普查，已登记信息系统 ${catalog.systems.total} 套，其中部省级系统 ${level('NATIONAL') + level('PROVINCIAL')} 套，市、县两级系统 ${level('CITY') + level('COUNTY')} 套；已对接平台 ${catalog.systems.connected} 套。`,
      `The system census lists ${catalog.systems.total} information systems: ${level('NATIONAL') + level('PROVINCIAL')} national or provincial, ${level('CITY') + level('COUNTY')} city or county; ${catalog.systems.connected} are connected to the platform.`,
    ),
  );

  // (三) 共享开放 — sharing and opening
  h(3, t('（三）数据共享开放', '(3) Sharing and opening'));
  p(
    t(
      `全市累计封装注册共享接口 ${sharing.interfaces.total} 个（已发布 ${sharing.interfaces.published.total} 个），对接系统 ${sharing.systems.connected} 套，累计调用共享接口 ${n(sharing.calls.calls)} 次（失败 ${n(sharing.calls.errors)} 次）；共享申请 ${sharing.applications.total} 件，待审批 ${sharing.applications.pending} 件（超期 ${sharing.applications.overdue} 件），有效授权 ${sharing.grants.active} 项。`,
      `${sharing.interfaces.total} shared interfaces are registered (${sharing.interfaces.published.total} published), ${sharing.systems.connected} systems are connected, and shared interfaces have been called ${n(sharing.calls.calls)} times (${n(sharing.calls.errors)} failed). ${sharing.applications.total} access applications, ${sharing.applications.pending} pending (${sharing.applications.overdue} overdue); ${sharing.grants.active} grants active.`,
    ),
  );
  const o = open.figures;
  p(
    t(
      `数据开放目录已收录 ${o.units} 家部门（单位）${o.domains} 个领域 ${o.openClasses} 类数据，数据开放平台已开放 ${o.datasets} 个数据集、${o.apis} 个 API 接口、${o.dataItems} 个数据项、${n(o.records)} 条开放数据，梳理出 ${o.scenarios} 个数据开放场景；数据开放大赛参赛 ${o.competitionTeams} 队。`,
      `The open data catalogue covers ${o.openClasses} classes of data from ${o.units} departments in ${o.domains} domains; the open data portal serves ${o.datasets} datasets, ${o.apis} APIs, ${o.dataItems} data items and ${n(o.records)} open records, with ${o.scenarios} scenarios and ${o.competitionTeams} competition entries.`,
    ),
  );
  const days = sharing.calls.byDay.slice(-30);
  if (days.length > 0) {
    table(
      [t('日期', 'Day'), t('调用次数', 'Calls'), t('失败次数', 'Errors')],
      days.map((d) => [d.day, exact(d.calls), exact(d.errors)]),
      [false, true, true],
    );
    chart(
      t('共享接口每日调用次数（近 30 天）', 'Shared interface calls per day (last 30 days)'),
      days.map((d) => ({ label: d.day.slice(5), value: d.calls })),
    );
  }
  return { lang, title: t('公共数据平台运行情况报告', 'Public data platform report'), blocks };
}
