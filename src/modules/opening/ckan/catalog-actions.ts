import type { OpenDataset } from '../contracts.js';
import type { ActionContext, CkanAction } from './ckan-action.js';
import { invalid, notFound } from './ckan-errors.js';
import { presentLicences } from './licenses.js';
import { packageSearch } from './package-search.js';
import { presentPackage, presentResource } from './package.presenter.js';
import { bool, natural, required, str, type DataDict } from './params.js';

/** The dataset (package) actions: every answer is built from the open catalogue only. */

/** CKAN's Action API version this API follows; status_show reports it so clients pick the 2.x code paths. */
export const CKAN_COMPATIBLE_VERSION = '2.10.0';

async function datasetOr404(ctx: ActionContext, d: DataDict): Promise<OpenDataset> {
  const key = str(d, 'id') ?? str(d, 'name_or_id') ?? str(d, 'name');
  if (key === undefined || key.trim() === '') throw invalid('id', 'Missing value');
  const dataset = await ctx.catalog.dataset(key);
  if (!dataset) throw notFound();
  return dataset;
}

export const catalogActions: Record<string, CkanAction> = {
  status_show: {
    help: "Return a dictionary with information about the site's configuration.",
    run: async (ctx) => ({
      site_title: 'Kuaiji 公共数据开放平台',
      site_description: 'Open data of the city, published from its data catalogue',
      site_url: ctx.baseUrl,
      ckan_version: CKAN_COMPATIBLE_VERSION,
      error_emails_to: null,
      locale_default: 'zh_Hans_CN',
      extensions: ['datastore', 'dcat'],
    }),
  },

  package_list: {
    help: "Return a list of the names of the site's datasets (packages). Parameters: limit, offset.",
    run: async (ctx, d) => {
      const limit = natural(d, 'limit', 0);
      const offset = natural(d, 'offset', 0);
      const names = (await ctx.catalog.datasets()).map((x) => x.name).sort();
      return names.slice(offset, limit > 0 ? offset + limit : undefined);
    },
  },

  package_search: {
    help: 'Search for datasets. Parameters: q, fq, fq_list, rows (default 10, at most 1000), start, sort, facet, facet.field (a JSON list), facet.limit, facet.mincount.',
    run: (ctx, d) => packageSearch(ctx, d),
  },

  package_show: {
    help: 'Return the metadata of a dataset (package) and its resources. Parameters: id (id or name).',
    run: async (ctx, d) => presentPackage(await datasetOr404(ctx, d), ctx.baseUrl),
  },

  resource_show: {
    help: 'Return the metadata of a resource. Parameters: id.',
    run: async (ctx, d) => {
      const id = required(d, 'id');
      for (const dataset of await ctx.catalog.datasets()) {
        const i = dataset.distributions.findIndex((r) => r.id === id);
        if (i >= 0) return presentResource(dataset, dataset.distributions[i]!, i, ctx.baseUrl);
      }
      throw notFound('Resource was not found.');
    },
  },

  tag_list: {
    help: "Return a list of the site's tags. Parameters: query (a part of the tag), all_fields.",
    run: async (ctx, d) => {
      if (str(d, 'vocabulary_id')) throw notFound('Could not find vocabulary');
      const query = (str(d, 'query') ?? str(d, 'q') ?? '').trim().toLowerCase();
      const tags = new Set<string>();
      for (const dataset of await ctx.catalog.datasets()) for (const t of dataset.tags) tags.add(t);
      const names = [...tags].filter((t) => query === '' || t.toLowerCase().includes(query)).sort();
      return bool(d, 'all_fields', false) ? names.map((name) => ({ id: name, name, display_name: name, vocabulary_id: null })) : names;
    },
  },

  license_list: {
    help: 'Return the list of licenses available for datasets on the site.',
    run: async () => presentLicences(),
  },
};
