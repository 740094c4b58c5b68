import { gatewayPath, type SharingInterface } from './interface-config.js';

/** An interface as the API shows it: the upstream secret never, only whether one is kept. */
export function presentInterface(i: SharingInterface) {
  const upstream =
    i.kind === 'UPSTREAM'
      ? {
          url: i.config.url,
          method: i.config.method,
          timeoutMs: i.config.timeoutMs,
          auth: Object.fromEntries(Object.entries(i.config.auth).map(([k, v]) => [k, String(v)])),
          hasSecret: i.secretSealed !== null,
        }
      : null;
  return {
    id: i.id,
    code: i.code,
    version: i.version,
    name: i.name,
    kind: i.kind,
    level: i.level,
    status: i.status,
    resourceId: i.resourceId,
    departmentId: i.departmentId,
    ratePerSecond: i.ratePerSecond,
    quotaPerDay: i.quotaPerDay,
    quotaPerMonth: i.quotaPerMonth,
    keyItems: i.kind === 'GENERATED' ? i.config.keyItems : [],
    filterItems: i.kind === 'GENERATED' ? i.config.filterItems : [],
    upstream,
    gatewayPath: gatewayPath(i),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export type InterfaceView = ReturnType<typeof presentInterface>;
