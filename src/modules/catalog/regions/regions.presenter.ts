import type { RegionTable } from '../../../storage/schema.js';
import type { Region } from './regions.schemas.js';

export function presentRegion(row: RegionTable): Region {
  return { code: row.code, name: row.name, level: row.level as Region['level'], parentCode: row.parent_code, createdAt: row.created_at };
}
