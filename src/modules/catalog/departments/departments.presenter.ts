import type { DepartmentTable } from '../../../storage/schema.js';
import type { DepartmentKind } from '../codes.js';
import type { Department } from './departments.schemas.js';

export function presentDepartment(row: DepartmentTable): Department {
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    uscc: row.uscc,
    regionCode: row.region_code,
    kind: row.kind as DepartmentKind,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
