// The catalogue editor's model: the body of `PUT /api/v1/resources/{id}` (typed from the generated
// OpenAPI types) built from a resource as read, and a problem+json answer turned into messages per
// form field. Paths are the API's own: `name`, `items.2.code` (the `body.` prefix of a schema
// error removed), so a field shows the errors whose path names it.
import { ApiError } from '../../api/client';
import type { ApiPaths } from '../../api/openapi';
import type { Resource } from '../../api/types';

export type ResourceBody = ApiPaths['/api/v1/resources/{id}']['put']['body'];
export type ItemBody = ResourceBody['items'][number];

/** One item row of the form: `key` keeps React's row identity when rows are added or removed. */
export type ItemRow = { key: string; item: ItemBody };

let nextKey = 0;
const rowKey = () => `row-${++nextKey}`;

/** The resource as a complete PUT body: every field it has, so saving changes only what was edited. */
export function bodyOf(r: Resource): ResourceBody {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    category: r.category,
    providerDepartmentId: r.providerDepartmentId,
    regionCode: r.regionCode,
    summary: r.summary,
    formatCategory: r.formatCategory,
    formatType: r.formatType,
    shareType: r.shareType,
    shareCondition: r.shareCondition,
    notSharedBasis: r.notSharedBasis,
    shareModes: r.shareModes as NonNullable<ResourceBody['shareModes']>,
    openType: r.openType,
    openCondition: r.openCondition,
    openDomain: r.openDomain,
    updateFrequency: r.updateFrequency as ResourceBody['updateFrequency'],
    publishedOn: r.publishedOn,
    relatedCodes: r.relatedCodes,
    systemId: r.systemId,
    sensitivity: r.sensitivity,
    importance: r.importance as NonNullable<ResourceBody['importance']>,
    classified: r.classified,
    tags: r.tags,
    recordCounts: r.recordCounts,
    items: [],
  };
}

export function rowsOf(r: Resource): ItemRow[] {
  return (r.items ?? []).map((i) => ({
    key: rowKey(),
    item: {
      id: i.id,
      code: i.code,
      name: i.name,
      nameEn: i.nameEn,
      dataType: i.dataType,
      legacyType: i.legacyType,
      length: i.length,
      precision: i.precision,
      primaryKey: i.primaryKey,
      nullable: i.nullable,
      codeSet: i.codeSet,
      dataElement: i.dataElement,
      shareType: i.shareType,
      shareCondition: i.shareCondition,
      openType: i.openType,
      openCondition: i.openCondition,
      sensitivity: i.sensitivity,
      maskingRule: i.maskingRule,
      sourceField: i.sourceField,
      description: i.description,
    },
  }));
}

/** A new, empty item: shared, opened and classified as its resource is. */
export function newRow(resource: ResourceBody): ItemRow {
  return {
    key: rowKey(),
    item: {
      code: '',
      name: '',
      dataType: 'STRING',
      length: null,
      precision: null,
      primaryKey: false,
      nullable: true,
      shareType: resource.shareType,
      openType: resource.openType,
      sensitivity: resource.sensitivity,
      maskingRule: null,
    },
  };
}

/** '' from a text input means "not given": null, as the API stores it. */
export const textOrNull = (s: string): string | null => (s.trim() === '' ? null : s);
export const numberOrNull = (s: string): number | null => (s.trim() === '' || Number.isNaN(Number(s)) ? null : Number(s));
export const splitList = (s: string): string[] =>
  s
    .split(/[,\uff0c]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The body to send: the form's resource fields with its item rows in order, empty texts as null. */
export function bodyToSend(resource: ResourceBody, rows: ItemRow[], tagsText: string): ResourceBody {
  const nn = (s: string | null | undefined) => (s === undefined || s === null ? s : textOrNull(s));
  return {
    ...resource,
    nameEn: nn(resource.nameEn),
    formatType: nn(resource.formatType),
    shareCondition: nn(resource.shareCondition),
    notSharedBasis: nn(resource.notSharedBasis),
    openCondition: nn(resource.openCondition),
    publishedOn: nn(resource.publishedOn),
    tags: splitList(tagsText),
    items: rows.map((r) => ({
      ...r.item,
      nameEn: nn(r.item.nameEn),
      shareCondition: nn(r.item.shareCondition),
      openCondition: nn(r.item.openCondition),
      description: nn(r.item.description),
    })),
  };
}

/** One problem about one field: the API's code (an invariant or a schema check) and its English detail. */
export type FieldProblem = { path: string; code: string; message: string };

/**
 * The field problems of a failed save: schema errors (VALIDATION_FAILED `errors`, paths under
 * `body.`) and catalogue rule violations (CATALOG_INVARIANT_VIOLATED `violations`).
 */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError)) return [];
  const list = [error.problem.errors, error.problem.violations].find(Array.isArray) as unknown[] | undefined;
  if (!list) return [];
  return list.flatMap((p) => {
    const o = p as { path?: unknown; code?: unknown; message?: unknown };
    if (typeof o.path !== 'string') return [];
    return [{ path: o.path.replace(/^body\.?/, ''), code: String(o.code ?? ''), message: String(o.message ?? '') }];
  });
}
