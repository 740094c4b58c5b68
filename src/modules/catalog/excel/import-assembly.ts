import { AppError, type Violation } from '../../../errors.js';
import { checkUscc } from '../../../shared/validation/uscc.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import type { ResourceDraft } from '../resources/resource-rules.js';
import { ResourceInput, type DataItemInput } from '../resources/resources.schemas.js';
import type { CatalogueSheet, ItemRow, ResourceGroup } from './catalogue-sheet.js';
import type { DepartmentRef, ExistingResource, SystemRef } from './excel.repository.js';
import type { ImportProblem } from './import-problems.js';
import { columnByKey, ITEM_COLUMNS, RESOURCE_COLUMNS, type Column, type RowValues } from './template.js';

export type ImportRefs = {
  departments: DepartmentRef[];
  systems: SystemRef[];
  regions: { code: string; name: string }[];
  existing: ExistingResource[];
};

type Check = (input: ResourceInput, departmentRegion: string) => { draft: ResourceDraft; violations: Violation[] };

export type Assembled = {
  drafts: ResourceDraft[];
  problems: ImportProblem[];
  /** Rows the actor may not write: reported as FORBIDDEN, ahead of any other problem. */
  forbidden: ImportProblem[];
  created: number;
  updated: number;
};

// Stand-ins that keep validating a resource whose department could not be resolved (already reported).
const UNRESOLVED_DEPARTMENT = '?';
const UNRESOLVED_REGION = '000000';

const resourceColumnsByField = new Map<string, Column[]>();
for (const c of RESOURCE_COLUMNS) (resourceColumnsByField.get(c.field) ?? resourceColumnsByField.set(c.field, []).get(c.field)!).push(c);
// A provider resolved by its code is reported at 提供方代码.
resourceColumnsByField.get('providerDepartmentId')!.reverse();
const itemColumnByField = new Map<string, Column>(ITEM_COLUMNS.map((c) => [c.field, c]));
itemColumnByField.set('legacyType', itemColumnByField.get('dataType')!);
const codeColumn = resourceColumnsByField.get('code')![0]!;
const itemCodeColumn = itemColumnByField.get('code')!;

function itemInput(v: RowValues): Record<string, unknown> {
  return {
    code: v.itemCode,
    name: v.itemName,
    nameEn: v.itemNameEn,
    dataType: v.dataType?.dataType,
    legacyType: v.dataType?.legacyType,
    length: v.length?.length,
    precision: v.precision ?? v.length?.precision,
    primaryKey: v.primaryKey,
    nullable: v.nullable,
    codeSet: v.codeSet,
    dataElement: v.dataElement,
    shareType: v.itemShareType,
    shareCondition: v.itemShareCondition,
    openType: v.itemOpenType,
    openCondition: v.itemOpenCondition,
    sensitivity: v.itemSensitivity,
    maskingRule: v.maskingRule,
    sourceField: v.sourceField,
    description: v.description,
  } satisfies Record<Exclude<keyof DataItemInput, 'id'>, unknown>;
}

/**
 * Turns the resource groups of the sheet into checked drafts: resolves the provider by USCC or
 * exact name, the system by name within it, the region; checks the actor may write each entry;
 * validates with the API's own ResourceInput schema and catalogue rules, and maps every problem
 * back to its row and column.
 */
export function assemble(sheet: CatalogueSheet, refs: ImportRefs, actor: Actor, check: Check): Assembled {
  const out: Assembled = { drafts: [], problems: [], forbidden: [], created: 0, updated: 0 };
  const headerOf = (c: Column) => sheet.match.headerOf.get(c.key) ?? c.header;
  const present = (c: Column) => sheet.match.headerOf.has(c.key);

  const byUscc = new Map(refs.departments.map((d) => [d.uscc, d]));
  const byName = new Map<string, DepartmentRef[]>();
  for (const d of refs.departments) (byName.get(d.name) ?? byName.set(d.name, []).get(d.name)!).push(d);
  const systems = new Map<string, SystemRef[]>();
  const systemsByName = new Map<string, SystemRef[]>();
  for (const s of refs.systems) {
    const key = `${s.department_id}\u0000${s.name}`;
    (systems.get(key) ?? systems.set(key, []).get(key)!).push(s);
    (systemsByName.get(s.name) ?? systemsByName.set(s.name, []).get(s.name)!).push(s);
  }
  const regionCodes = new Set(refs.regions.map((r) => r.code));
  const regionByName = new Map(refs.regions.map((r) => [r.name, r.code]));
  const existing = new Map(refs.existing.map((r) => [r.code, r]));

  for (const group of sheet.groups) {
    const problems: ImportProblem[] = [];
    const at = (row: number, c: Column, code: string, message: string) => {
      if (sheet.reported.has(`${row}:${c.key}`)) return;
      sheet.reported.add(`${row}:${c.key}`);
      problems.push({ sheet: sheet.sheet, row, column: headerOf(c), code, message });
    };
    const rowOf = (c: Column) => group.rowOf[c.key] ?? group.firstRow;
    const locate = (path: readonly PropertyKey[]): [number, Column] => {
      if (path[0] === 'items') {
        const item: ItemRow | undefined = group.items[Number(path[1])];
        if (!item) return [group.firstRow, itemCodeColumn];
        return [item.row, itemColumnByField.get(String(path[2] ?? 'code')) ?? itemCodeColumn];
      }
      const columns = resourceColumnsByField.get(String(path[0])) ?? [codeColumn];
      const c = columns.find(present) ?? columns[0]!;
      return [rowOf(c), c];
    };

    const v = group.values;
    const department = resolveDepartment(group, v, { byUscc, byName }, at, present);
    if (department) {
      const owner = existing.get(group.code)?.provider_department_id;
      for (const dept of owner && owner !== department.id ? [department.id, owner] : [department.id]) {
        try {
          catalogPolicy.assertCanWriteFor(actor, dept);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const providerColumn = locate(['providerDepartmentId'])[1];
          const why = dept === owner ? `resource ${group.code} belongs to another department` : `${department.name}'s catalogue`;
          out.forbidden.push({
            sheet: sheet.sheet,
            row: group.firstRow,
            column: headerOf(providerColumn),
            code: 'FORBIDDEN',
            message: `${err.message}: ${why}`,
          });
        }
      }
    }

    let systemId: string | null | undefined;
    const systemColumn = resourceColumnsByField.get('systemId')![0]!;
    if (v.systemName !== undefined && department) {
      // The provider's own system first; else a system another department runs (a provincial or
      // city-wide platform a district bureau's data lives in), when its name is unique.
      const own = systems.get(`${department.id}\u0000${v.systemName}`) ?? [];
      const found = own.length > 0 ? own : (systemsByName.get(v.systemName) ?? []);
      if (found.length === 1) systemId = found[0]!.id;
      else if (found.length === 0) at(rowOf(systemColumn), systemColumn, 'UNKNOWN_SYSTEM', `No information system is named '${v.systemName}'`);
      else {
        const whose = own.length > 0 ? `${department.name} has` : 'the platform has';
        at(rowOf(systemColumn), systemColumn, 'AMBIGUOUS_SYSTEM', `${whose} ${found.length} information systems named '${v.systemName}'`);
      }
    }

    let regionCode: string | undefined;
    if (v.regionCode !== undefined) {
      const regionColumn = resourceColumnsByField.get('regionCode')![0]!;
      regionCode = regionCodes.has(v.regionCode) ? v.regionCode : regionByName.get(v.regionCode);
      if (!regionCode) at(rowOf(regionColumn), regionColumn, 'UNKNOWN_REGION', `'${v.regionCode}' is not a region the platform serves`);
    }

    const stored = existing.get(group.code);
    const candidate = {
      code: group.code,
      name: v.name,
      nameEn: v.nameEn,
      category: v.category,
      providerDepartmentId: department?.id ?? UNRESOLVED_DEPARTMENT,
      regionCode,
      summary: v.summary,
      formatCategory: v.formatCategory,
      formatType: v.formatType,
      shareType: v.shareType,
      shareCondition: v.shareCondition,
      notSharedBasis: v.notSharedBasis,
      shareModes: v.shareModes,
      openType: v.openType,
      openCondition: v.openCondition,
      openDomain: v.openDomain,
      updateFrequency: v.updateFrequency,
      publishedOn: v.publishedOn,
      relatedCodes: v.relatedCodes,
      systemId,
      sensitivity: v.sensitivity,
      importance: v.importance,
      classified: v.classified,
      tags: v.tags,
      // The template has no record counts: collection keeps them, a re-import must not reset them.
      // Capped at the total as every figure shows them (collection replaces the total with what it holds).
      recordCounts: stored
        ? {
            total: Number(stored.record_total),
            shared: Math.min(Number(stored.record_shared), Number(stored.record_total)),
            open: Math.min(Number(stored.record_open), Number(stored.record_total)),
          }
        : undefined,
      items: group.items.map((i) => itemInput(i.values)),
    };

    const parsed = ResourceInput.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [row, c] = locate(issue.path);
        const blank = valueAt(candidate, issue.path) === undefined;
        at(row, c, blank ? 'REQUIRED' : 'INVALID_VALUE', blank ? `${headerOf(c)} is required` : `${headerOf(c)}: ${issue.message}`);
      }
    } else {
      const { draft, violations } = check(parsed.data, department?.region_code ?? UNRESOLVED_REGION);
      for (const violation of violations) {
        const [row, c] = locate(violation.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
        at(row, c, violation.code, `${headerOf(c)}: ${violation.message}`);
      }
      // Any problem anywhere rejects the whole file, so drafts only matter when there are none.
      out.drafts.push(draft);
      out[stored ? 'updated' : 'created'] += 1;
    }
    out.problems.push(...problems);
  }
  return out;
}

function resolveDepartment(
  group: ResourceGroup,
  v: RowValues,
  index: { byUscc: Map<string, DepartmentRef>; byName: Map<string, DepartmentRef[]> },
  at: (row: number, c: Column, code: string, message: string) => void,
  present: (c: Column) => boolean,
): DepartmentRef | undefined {
  const usccColumn = columnByKey.get('providerUscc')!;
  const nameColumn = columnByKey.get('providerName')!;
  const rowOf = (c: Column) => group.rowOf[c.key] ?? group.firstRow;
  let byCode: DepartmentRef | undefined;
  if (v.providerUscc !== undefined) {
    const check = checkUscc(v.providerUscc);
    if (!check.valid)
      return void at(rowOf(usccColumn), usccColumn, 'INVALID_USCC', `'${v.providerUscc}' is not a valid unified social credit code: ${check.reason}`);
    byCode = index.byUscc.get(check.normalized);
    if (!byCode) return void at(rowOf(usccColumn), usccColumn, 'UNKNOWN_DEPARTMENT', `no department has the unified social credit code ${check.normalized}`);
  }
  if (v.providerName !== undefined) {
    const named = index.byName.get(v.providerName) ?? [];
    if (byCode) {
      if (byCode.name !== v.providerName) {
        at(rowOf(nameColumn), nameColumn, 'DEPARTMENT_MISMATCH', `提供方代码 ${byCode.uscc} is ${byCode.name}, not '${v.providerName}'`);
        return undefined;
      }
      return byCode;
    }
    if (named.length === 1) return named[0];
    const why =
      named.length === 0 ? `no department is named '${v.providerName}'` : `${named.length} departments are named '${v.providerName}'; give the 提供方代码`;
    return void at(rowOf(nameColumn), nameColumn, 'UNKNOWN_DEPARTMENT', why);
  }
  if (byCode) return byCode;
  const c = present(usccColumn) ? usccColumn : nameColumn;
  return void at(group.firstRow, c, 'REQUIRED', 'the provider is blank: fill 提供方 or 提供方代码');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) v = v === null || v === undefined ? undefined : (v as Record<PropertyKey, unknown>)[p];
  return v;
}
