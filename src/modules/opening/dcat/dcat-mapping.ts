import type { OpenDataset, OpenDistribution } from '../contracts.js';
import { licenceOf } from '../ckan/licenses.js';
import { Graph, iri, plain, term, text, typed, type Iri, type Subject } from './rdf.js';
import { euFileType, euFrequency, ianaMediaType } from './vocabularies.js';

/**
 * The open catalogue as DCAT-AP 3: one dcat:Catalog, a dcat:Dataset per open dataset with its
 * dcat:Distributions, a foaf:Agent per provider department, the open domains as skos:Concepts
 * of the catalogue's theme taxonomy, regions as dct:Location. IRIs follow ckanext-dcat's
 * pattern (`{base}/dataset/{id}`, `…/resource/{id}`) so harvesters of CKAN sites see the same
 * shape. Only OpenDataset fields are used: metadata safe for everyone.
 */
export type Paging = { count: number; perPage: number; current: string; first: string; last: string; next: string | null; previous: string | null };

export const CATALOG_TITLE = 'Kuaiji 公共数据开放平台';
const ZH = 'http://publications.europa.eu/resource/authority/language/ZHO';

const uris = (base: string) => ({
  catalog: iri(`${base}/catalog`),
  platform: iri(`${base}/catalog#publisher`),
  domains: iri(`${base}/catalog/domains`),
  domain: (code: string) => iri(`${base}/catalog/domains/${encodeURIComponent(code)}`),
  dataset: (id: string) => iri(`${base}/dataset/${encodeURIComponent(id)}`),
  distribution: (d: string, r: string) => iri(`${base}/dataset/${encodeURIComponent(d)}/resource/${encodeURIComponent(r)}`),
  agent: (id: string) => iri(`${base}/organization/${encodeURIComponent(id)}`),
  region: (code: string) => iri(`${base}/catalog/regions/${encodeURIComponent(code)}`),
});

const dateTime = (iso: string) => typed(new Date(iso).toISOString(), 'dateTime');

/** A coverage bound: a date, a year-month or a year keeps its XSD type; anything else stays plain. */
function coverageDate(value: string) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return typed(value, 'date');
  if (/^\d{4}-\d{2}$/.test(value)) return typed(value, 'gYearMonth');
  if (/^\d{4}$/.test(value)) return typed(value, 'gYear');
  return plain(value);
}

export function catalogGraph(datasets: readonly OpenDataset[], base: string, paging: Paging | null): Graph {
  const g = new Graph();
  const u = uris(base);
  g.add(u.catalog, 'rdf:type', term('dcat:Catalog'))
    .add(u.catalog, 'dct:title', text(CATALOG_TITLE))
    .add(u.catalog, 'dct:description', text('城市公共数据开放目录 (DCAT-AP 3)'))
    .add(u.catalog, 'dct:publisher', u.platform)
    .add(u.catalog, 'dct:language', iri(ZH))
    .add(u.catalog, 'foaf:homepage', iri(`${base}/`))
    .add(u.catalog, 'dcat:themeTaxonomy', u.domains);
  const newest = datasets.reduce<string | null>((m, d) => (m === null || d.modifiedAt > m ? d.modifiedAt : m), null);
  if (newest) g.add(u.catalog, 'dct:modified', dateTime(newest));
  g.add(u.platform, 'rdf:type', term('foaf:Agent')).add(u.platform, 'foaf:name', text(CATALOG_TITLE));
  g.add(u.domains, 'rdf:type', term('skos:ConceptScheme')).add(u.domains, 'dct:title', text('开放领域'));

  for (const d of datasets) g.add(u.catalog, 'dcat:dataset', u.dataset(d.id));
  for (const d of datasets) addDataset(g, u, d, base);
  if (paging) addPaging(g, paging);
  return g;
}

function addDataset(g: Graph, u: ReturnType<typeof uris>, d: OpenDataset, base: string) {
  const ds = u.dataset(d.id);
  g.add(ds, 'rdf:type', term('dcat:Dataset'))
    .add(ds, 'dct:identifier', plain(d.id))
    .add(ds, 'dct:title', text(d.title))
    .add(ds, 'dct:description', text(d.description));
  for (const tag of d.tags) g.add(ds, 'dcat:keyword', text(tag));

  const theme = u.domain(d.domain);
  g.add(ds, 'dcat:theme', theme);
  g.add(theme, 'rdf:type', term('skos:Concept'))
    .add(theme, 'skos:prefLabel', text(d.domainName))
    .add(theme, 'skos:notation', plain(d.domain))
    .add(theme, 'skos:inScheme', u.domains);

  const agent = u.agent(d.departmentId);
  g.add(ds, 'dct:publisher', agent);
  g.add(agent, 'rdf:type', term('foaf:Agent')).add(agent, 'foaf:name', text(d.departmentName));

  g.add(ds, 'dct:issued', dateTime(d.publishedAt)).add(ds, 'dct:modified', dateTime(d.modifiedAt));
  const frequency = d.updateFrequency ? euFrequency(d.updateFrequency) : null;
  if (frequency) g.add(ds, 'dct:accrualPeriodicity', iri(frequency));

  if (d.temporal && (d.temporal.from || d.temporal.to)) {
    const period = g.blank();
    g.add(ds, 'dct:temporal', period).add(period, 'rdf:type', term('dct:PeriodOfTime'));
    if (d.temporal.from) g.add(period, 'dcat:startDate', coverageDate(d.temporal.from));
    if (d.temporal.to) g.add(period, 'dcat:endDate', coverageDate(d.temporal.to));
  }

  const region = u.region(d.regionCode);
  g.add(ds, 'dct:spatial', region);
  g.add(region, 'rdf:type', term('dct:Location')).add(region, 'skos:prefLabel', text(d.regionName)).add(region, 'dct:identifier', plain(d.regionCode));

  const licence = addLicence(g, d, base);
  g.add(ds, 'dct:license', licence);
  for (const r of d.distributions) {
    const dist = u.distribution(d.id, r.id);
    g.add(ds, 'dcat:distribution', dist);
    addDistribution(g, dist, d, r, base, licence);
  }
}

function addLicence(g: Graph, d: OpenDataset, base: string): Iri {
  const l = licenceOf(d.licenceId);
  const ref = iri(l.url ?? `${base}/catalog/licences/${encodeURIComponent(l.id)}`);
  g.add(ref, 'rdf:type', term('dct:LicenseDocument')).add(ref, 'dct:title', plain(l.title)).add(ref, 'dct:identifier', plain(l.id));
  return ref;
}

function addDistribution(g: Graph, dist: Subject, d: OpenDataset, r: OpenDistribution, base: string, licence: Iri) {
  const url = iri(new URL(r.url, base).toString());
  g.add(dist, 'rdf:type', term('dcat:Distribution'))
    .add(dist, 'dct:identifier', plain(r.id))
    .add(dist, 'dct:title', text(`${d.title} (${r.format})`))
    .add(dist, 'dcat:accessURL', url)
    .add(dist, 'dct:format', iri(euFileType(r.format)))
    .add(dist, 'dcat:mediaType', iri(ianaMediaType(r.mediaType)))
    .add(dist, 'dct:license', licence)
    .add(dist, 'dct:modified', dateTime(d.modifiedAt));
  if (r.format === 'API') {
    const service = g.blank();
    g.add(dist, 'dcat:accessService', service)
      .add(service, 'rdf:type', term('dcat:DataService'))
      .add(service, 'dct:title', text(`${d.title} (API)`))
      .add(service, 'dcat:endpointURL', url);
  } else {
    g.add(dist, 'dcat:downloadURL', url);
  }
}

/** hydra:PagedCollection as ckanext-dcat writes it: the current page's URL, old and new predicate names, URLs as literals. */
function addPaging(g: Graph, p: Paging) {
  const page = iri(p.current);
  g.add(page, 'rdf:type', term('hydra:PagedCollection'))
    .add(page, 'hydra:totalItems', typed(String(p.count), 'integer'))
    .add(page, 'hydra:itemsPerPage', typed(String(p.perPage), 'integer'));
  const links: [string | null, string, string][] = [
    [p.first, 'hydra:firstPage', 'hydra:first'],
    [p.last, 'hydra:lastPage', 'hydra:last'],
    [p.next, 'hydra:nextPage', 'hydra:next'],
    [p.previous, 'hydra:previousPage', 'hydra:previous'],
  ];
  for (const [url, old, now] of links) if (url) g.add(page, old, plain(url)).add(page, now, plain(url));
}
