// The shapes and calls of the collection pages (column mappings, saved pulls), typed from the
// generated OpenAPI types (../../api/openapi.ts); nothing is declared by hand.
import { get, type ResponseOf, type SendResponseOf } from '../../api/client';
import type { ApiPaths } from '../../api/openapi';
import type { Me, ResourceSummary } from '../../api/types';

export type Preview = Extract<SendResponseOf<'/api/v1/resources/{id}/uploads', 'post'>, { dryRun: true }>;
export type PreviewHeader = Preview['headers'][number];
export type Mappings = ResponseOf<'/api/v1/resources/{id}/column-mappings'>['mappings'];
export type Source = ResponseOf<'/api/v1/collection/sources/{id}'>;
export type SourceInput = ApiPaths['/api/v1/collection/sources']['post']['body'];
export type SourceKind = SourceInput['kind'];
export type DatabaseConfig = Extract<SourceInput, { kind: 'postgres' }>['config'];
export type HttpConfig = Extract<SourceInput, { kind: 'http' }>['config'];
export type Paging = HttpConfig['paging'];
export type Schedule = NonNullable<SourceInput['schedule']>;
export type SourceMode = NonNullable<SourceInput['mode']>;
export type SourceTest = SendResponseOf<'/api/v1/collection/sources/{id}/test', 'post'>;

export const SOURCE_KINDS: readonly SourceKind[] = ['postgres', 'mysql', 'http'];
export const SOURCE_MODES: readonly SourceMode[] = ['full', 'incremental', 'snapshot'];
export const PAGING_KINDS: readonly Paging['kind'][] = ['page', 'offset', 'cursor'];
export const FINISHED_JOB = new Set(['succeeded', 'failed', 'interrupted', 'cancelled']);

/**
 * Whether `me` may change what loads into a resource of this department, as the API's
 * collectionPolicy.assertCanLoad decides (the API still enforces it; the UI only hides controls).
 */
export const canLoad = (me: Me, providerDepartmentId: string) =>
  me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId !== null && me.departmentId === providerDepartmentId);

/** Every resource the caller may see, in catalogue-code order. */
export async function loadResources(): Promise<ResourceSummary[]> {
  const all: ResourceSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: ResponseOf<'/api/v1/resources'> = await get('/api/v1/resources', { query: { limit: 500, cursor: cursor ?? undefined } });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A one-line CSV file of sample headers (commas, tabs or line breaks between them), for a dry-run upload. */
export function sampleHeaderFile(text: string): File | null {
  const headers = text
    .split(/[,\t\r\n\uFF0C]/)
    .map((h) => h.trim())
    .filter(Boolean);
  if (headers.length === 0) return null;
  return new File([`${headers.map(csvField).join(',')}\n`], 'sample-headers.csv', { type: 'text/csv' });
}
