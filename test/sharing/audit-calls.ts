import { randomUUID } from 'node:crypto';
import type { GatewayCall } from '../../src/modules/sharing/contracts.js';
import type { Db } from '../../src/storage/dialect.js';

/** Synthetic gateway calls for the call audit tests: three consumers, two interfaces, some failures. */
export function gatewayCall(i: number, over: Partial<GatewayCall> = {}): GatewayCall {
  const consumer = i % 3;
  return {
    id: randomUUID(),
    at: new Date(Date.UTC(2026, 11, 1, 4, 0, 0) + i * 7).toISOString(),
    consumerId: `consumer-${consumer}`,
    departmentId: `dept-${consumer % 2}`,
    interfaceId: `iface-${i % 2}`,
    interfaceCode: `330600/people/lookup-${i % 2}`,
    purpose: '不动产登记核验',
    keys: [{ person_id: `33060219900101${String(i % 10_000).padStart(4, '0')}`, nested: { b: 2, a: [1.5, null, true] } }],
    items: ['name', 'person_id'],
    rowCount: i % 5 === 0 ? 0 : 1,
    status: i % 17 === 0 ? 429 : 200,
    errorCode: i % 17 === 0 ? 'SHARING_RATE_LIMITED' : null,
    latencyMs: 0.37 + (i % 13) * 1.113,
    ...over,
  };
}

export async function callCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('sharing_calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function seqs(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('sharing_calls').select('seq').orderBy('seq').execute();
  return rows.map((r) => Number(r.seq));
}
