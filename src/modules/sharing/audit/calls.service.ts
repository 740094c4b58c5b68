import { AppError } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import { decodeCompositeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Db } from '../../../storage/dialect.js';
import { callsPolicy } from './calls.policy.js';
import { presentCall } from './calls.presenter.js';
import { createCallsRepository, toChainRow } from './calls.repository.js';
import type { CallListQuery, CallOut } from './calls.schemas.js';
import { verifyCallChain, type ChainVerdict } from './verify-chain.js';

/** The gateway's call audit as auditors read it (newest first, filtered) and its chain check. */
export function createCallsService(deps: { db: Db }) {
  const repo = createCallsRepository();
  return {
    async list(actor: Actor, query: CallListQuery): Promise<Page<CallOut>> {
      callsPolicy.assertCanReadCalls(actor);
      const cursor = decodeCompositeCursor(query.cursor, 1);
      const beforeSeq = cursor?.[0];
      if (cursor && (typeof beforeSeq !== 'number' || !Number.isSafeInteger(beforeSeq))) {
        throw new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');
      }
      const instant = (s: string | undefined) => (s === undefined ? undefined : new Date(s).toISOString());
      const rows = await repo.list(
        deps.db,
        { consumerId: query.consumerId, interfaceId: query.interfaceId, departmentId: query.departmentId, from: instant(query.from), to: instant(query.to) },
        beforeSeq as number | undefined,
        query.limit,
      );
      return toPage(rows.map(toChainRow), query.limit, (r) => [r.seq], presentCall);
    },
    async verify(actor: Actor): Promise<ChainVerdict> {
      callsPolicy.assertCanVerify(actor);
      return verifyCallChain(deps.db);
    },
  };
}

export type CallsService = ReturnType<typeof createCallsService>;
