import Fastify, { type FastifyInstance } from 'fastify';
import { fixedClock } from '../../src/shared/clock.js';
import { installProblemHandlers } from '../../src/http/problem.js';
import { mountCkanApi } from '../../src/modules/opening/ckan/ckan.routes.js';
import { mountDcat } from '../../src/modules/opening/dcat/dcat.routes.js';
import type { OpenCatalog, OpenDataset, OpenRowQuery, OpenRows } from '../../src/modules/opening/contracts.js';

/** Small in-memory OpenCatalog / OpenRows for the CKAN and DCAT unit tests (the real ones are tested in ckan-integration). */
export function fakeDataset(over: Partial<OpenDataset> & { id: string }): OpenDataset {
  const id = over.id;
  return {
    name: `ds-${id}`,
    title: `Dataset ${id}`,
    description: `About ${id}`,
    domain: '6',
    domainName: '交通运输',
    tags: [],
    licenceId: 'CC-BY-4.0',
    updateFrequency: '02',
    resourceId: `r-${id}`,
    departmentId: 'dept-a',
    departmentName: '绍兴市交通运输局',
    regionCode: '330600',
    regionName: '绍兴市',
    openType: 'UNCONDITIONAL',
    items: [
      { code: 'ROAD', name: '道路', dataType: 'STRING', openType: 'UNCONDITIONAL', masked: false },
      { code: 'LEN', name: '长度', dataType: 'DECIMAL', openType: 'UNCONDITIONAL', masked: false },
    ],
    temporal: { from: '2020-01-01', to: null },
    recordCount: 3,
    distributions: (['CSV', 'JSON', 'API'] as const).map((format) => ({
      id: `${id}-${format.toLowerCase()}`,
      format,
      mediaType: format === 'CSV' ? 'text/csv' : 'application/json',
      url: `/api/v1/open/datasets/${id}/${format === 'API' ? 'rows' : `download?format=${format.toLowerCase()}`}`,
    })),
    publishedAt: '2024-01-01T00:00:00.000Z',
    modifiedAt: '2024-06-01T00:00:00.000Z',
    ...over,
  };
}

export function fakeCatalog(datasets: OpenDataset[]): OpenCatalog {
  return {
    datasets: async () => datasets,
    dataset: async (key) => datasets.find((d) => d.id === key || d.name === key) ?? null,
    // Word match over title, description and tags, lower-cased; score = number of fields matched.
    match: async (q) => {
      const out = new Map<string, number>();
      const w = q.toLowerCase();
      for (const d of datasets) {
        const n = [d.title, d.description, d.tags.join(' ')].filter((t) => t.toLowerCase().includes(w)).length;
        if (n > 0) out.set(d.id, n);
      }
      return out;
    },
  };
}

export type RowCall = { datasetId: string; q: OpenRowQuery; viewer: unknown };

export function fakeRows(rows: Record<string, Record<string, unknown>[]>, calls: RowCall[] = []): OpenRows {
  return {
    async query(datasetId, q, viewer) {
      calls.push({ datasetId, q, viewer });
      let list = rows[datasetId] ?? [];
      for (const [k, v] of Object.entries(q.filters ?? {})) list = list.filter((r) => (Array.isArray(v) ? v.includes(r[k] as never) : r[k] === v));
      if (q.text) list = list.filter((r) => Object.values(r).some((x) => String(x).includes(q.text!)));
      const fields = q.fields ?? ['ROAD', 'LEN'];
      const offset = q.offset ?? 0;
      return {
        fields: fields.map((f) => ({ id: f, type: f === 'LEN' ? 'DECIMAL' : 'STRING', title: f === 'LEN' ? '长度' : '道路' })),
        records: list.slice(offset, offset + q.limit).map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? null]))),
        total: list.length,
        nextCursor: null,
      };
    },
  };
}

export async function fakeApp(datasets: OpenDataset[], rows: Record<string, Record<string, unknown>[]> = {}, calls: RowCall[] = []): Promise<FastifyInstance> {
  const app = Fastify();
  installProblemHandlers(app);
  const catalog = fakeCatalog(datasets);
  const clock = fixedClock('2026-01-01T00:00:00Z');
  mountCkanApi(app, { catalog, rows: fakeRows(rows, calls), clock });
  mountDcat(app, { catalog, clock });
  await app.ready();
  return app;
}
