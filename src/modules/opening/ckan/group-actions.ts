import type { OpenDataset } from '../contracts.js';
import type { ActionContext, CkanAction } from './ckan-action.js';
import { invalid, notFound } from './ckan-errors.js';
import { presentGroup, presentOrganization, presentPackage } from './package.presenter.js';
import { bool, natural, str, strList, type DataDict } from './params.js';
import { ROWS_MAX } from './package-search.js';

/**
 * Organizations (the provider departments) and groups (the open domains), derived from the open
 * datasets: a department or domain with no open dataset does not exist here, and every
 * `package_count` counts open datasets only.
 */
type Owner = { id: string; name: string; title: string; datasets: OpenDataset[]; dict: Record<string, unknown> };

function organizations(datasets: readonly OpenDataset[]): Owner[] {
  const byId = new Map<string, Owner>();
  for (const d of datasets) {
    let o = byId.get(d.departmentId);
    if (!o) {
      const dict = presentOrganization(d);
      o = { id: dict.id, name: dict.name, title: dict.title, datasets: [], dict };
      byId.set(d.departmentId, o);
    }
    o.datasets.push(d);
  }
  return [...byId.values()];
}

function groups(datasets: readonly OpenDataset[]): Owner[] {
  const byDomain = new Map<string, Owner>();
  for (const d of datasets) {
    let g = byDomain.get(d.domain);
    if (!g) {
      const dict = presentGroup(d.domain, d.domainName);
      g = { id: dict.id, name: dict.name, title: dict.title, datasets: [], dict };
      byDomain.set(d.domain, g);
    }
    g.datasets.push(d);
  }
  return [...byDomain.values()];
}

const ALL_FIELDS_MAX = 25;
const LIST_MAX = 1000;

/** CKAN's `_group_or_org_list`: sort by name, title or package_count; q; a names filter; paging. */
function list(all: Owner[], d: DataDict, namesKey: string) {
  const allFields = bool(d, 'all_fields', false);
  const limit = natural(d, 'limit', allFields ? ALL_FIELDS_MAX : LIST_MAX, allFields ? ALL_FIELDS_MAX : LIST_MAX);
  const offset = natural(d, 'offset', 0);
  const q = (str(d, 'q') ?? '').trim().toLowerCase();
  const only = new Set(
    strList(d, namesKey)
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const sortText = (str(d, 'sort') ?? 'title asc').trim();
  const [field = 'title', dir = field === 'package_count' || field === 'packages' ? 'desc' : 'asc'] = sortText.split(/\s+/);
  if (!['name', 'title', 'package_count', 'packages'].includes(field) || !['asc', 'desc'].includes(dir)) {
    throw invalid('sort', `Cannot sort by "${sortText}"; use name, title or package_count with asc or desc`);
  }
  const key = (o: Owner): string | number => (field === 'name' ? o.name : field === 'title' ? o.title : o.datasets.length);
  const picked = all
    .filter((o) => (only.size === 0 || only.has(o.name)) && (q === '' || o.name.toLowerCase().includes(q) || o.title.toLowerCase().includes(q)))
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : 1) * (dir === 'desc' ? -1 : 1);
    })
    .slice(offset, offset + limit);
  return allFields ? picked.map((o) => ({ ...o.dict, package_count: o.datasets.length })) : picked.map((o) => o.name);
}

async function show(ctx: ActionContext, all: Owner[], d: DataDict) {
  const key = str(d, 'id') ?? str(d, 'name');
  if (key === undefined || key.trim() === '') throw invalid('id', 'Missing value');
  const o = all.find((x) => x.id === key || x.name === key);
  if (!o) throw notFound();
  const out: Record<string, unknown> = { ...o.dict, package_count: o.datasets.length, extras: [], tags: [], groups: [], users: [] };
  if (bool(d, 'include_datasets', false)) {
    const newest = [...o.datasets].sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : 0));
    out.packages = newest.slice(0, ROWS_MAX).map((x) => presentPackage(x, ctx.baseUrl));
  }
  return out;
}

export const groupActions: Record<string, CkanAction> = {
  organization_list: {
    help: "Return the names of the site's organizations (provider departments with open datasets), or their dictionaries with all_fields. Parameters: all_fields, sort, q, organizations, limit, offset.",
    run: async (ctx, d) => list(organizations(await ctx.catalog.datasets()), d, 'organizations'),
  },
  organization_show: {
    help: 'Return an organization (a provider department). Parameters: id (id or name), include_datasets.',
    run: async (ctx, d) => show(ctx, organizations(await ctx.catalog.datasets()), d),
  },
  group_list: {
    help: "Return the names of the site's groups (the open domains with open datasets), or their dictionaries with all_fields. Parameters: all_fields, sort, q, groups, limit, offset.",
    run: async (ctx, d) => list(groups(await ctx.catalog.datasets()), d, 'groups'),
  },
  group_show: {
    help: 'Return a group (an open domain). Parameters: id (id or name, e.g. domain-6), include_datasets.',
    run: async (ctx, d) => show(ctx, groups(await ctx.catalog.datasets()), d),
  },
};
