import { toBool } from '../../../storage/dialect.js';
import type { InfoSystemTable } from '../../../storage/schema.js';
import type { SystemLevel, SystemStatus } from '../codes.js';
import type { InfoSystem } from './systems.schemas.js';

export function presentSystem(row: InfoSystemTable): InfoSystem {
  return {
    id: row.id,
    name: row.name,
    departmentId: row.department_id,
    level: row.level as SystemLevel,
    status: row.status as SystemStatus,
    connected: toBool(row.connected),
    description: row.description,
    vendor: row.vendor,
    launchedOn: row.launched_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
