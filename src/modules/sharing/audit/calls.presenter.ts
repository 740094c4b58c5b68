import type { ChainRow } from './call-chain.js';
import type { CallOut } from './calls.schemas.js';

export function presentCall(row: ChainRow): CallOut {
  return {
    seq: row.seq,
    id: row.id,
    at: new Date(row.at).toISOString(),
    consumerId: row.consumer_id,
    departmentId: row.department_id,
    interfaceId: row.interface_id,
    interfaceCode: row.interface_code,
    purpose: row.purpose,
    keys: row.keys,
    items: row.items,
    rowCount: row.row_count,
    status: row.status,
    errorCode: row.error_code,
    latencyMs: row.latency_ms,
    hash: row.hash,
  };
}
