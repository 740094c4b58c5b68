import { fromJson } from '../../../storage/dialect.js';
import type { SharingInterfaceTable } from '../../../storage/schema.js';
import type { UpstreamConfig } from '../contracts.js';

export const INTERFACE_LEVELS = ['CITY', 'PROVINCIAL', 'NATIONAL'] as const;
export const INTERFACE_STATUSES = ['DRAFT', 'PUBLISHED', 'OFFLINE'] as const;
export type InterfaceLevel = (typeof INTERFACE_LEVELS)[number];
export type InterfaceStatus = (typeof INTERFACE_STATUSES)[number];

/** Query parameters the gateway reads itself: no key or filter item may carry these names. */
export const RESERVED_PARAMETERS = new Set(['cursor', 'limit', 'items']);

/** A generated interface's settings (sharing_interfaces.config of kind GENERATED). */
export type GeneratedConfig = { keyItems: string[]; filterItems: string[] };

/** An interface as the service and the gateway use it: the row with its config parsed and limits as numbers. */
export type SharingInterface = {
  id: string;
  code: string;
  version: string;
  name: string;
  level: InterfaceLevel;
  status: InterfaceStatus;
  departmentId: string;
  ratePerSecond: number | null;
  quotaPerDay: number | null;
  quotaPerMonth: number | null;
  secretSealed: string | null;
  createdAt: string;
  updatedAt: string;
} & ({ kind: 'GENERATED'; resourceId: string; config: GeneratedConfig } | { kind: 'UPSTREAM'; resourceId: null; config: UpstreamConfig });

const num = (v: number | string | null) => (v === null ? null : Number(v));

export function toInterface(row: SharingInterfaceTable): SharingInterface {
  const base = {
    id: row.id,
    code: row.code,
    version: row.version,
    name: row.name,
    level: row.level as InterfaceLevel,
    status: row.status as InterfaceStatus,
    departmentId: row.department_id,
    ratePerSecond: row.rate_per_second,
    quotaPerDay: num(row.quota_per_day),
    quotaPerMonth: num(row.quota_per_month),
    secretSealed: row.secret_sealed,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.kind === 'UPSTREAM') return { ...base, kind: 'UPSTREAM', resourceId: null, config: fromJson<UpstreamConfig>(row.config, null as never) };
  return { ...base, kind: 'GENERATED', resourceId: row.resource_id!, config: fromJson<GeneratedConfig>(row.config, { keyItems: [], filterItems: [] }) };
}

/** Where consumers call an interface. */
export const gatewayPath = (i: { code: string; version: string }) => `/gateway/${i.code}/${i.version}`;

/** The context an upstream secret is sealed for (the upstream proxy opens it so): a sealed value copied to another interface does not open. */
export const secretContext = (interfaceId: string) => interfaceId;

/** Status moves (DRAFT → PUBLISHED → OFFLINE → PUBLISHED); nothing goes back to DRAFT. */
export const STATUS_MOVES: Record<InterfaceStatus, readonly InterfaceStatus[]> = {
  DRAFT: ['PUBLISHED'],
  PUBLISHED: ['OFFLINE'],
  OFFLINE: ['PUBLISHED'],
};
