import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Command } from '../command.js';
import { withServices } from '../context.js';

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: "Check the sharing gateway's call audit hash chain and name its first broken link.",
  usage: 'kuaiji audit verify',
  help: [
    'Walks every gateway call kept (from the anchor retention left to the last call recorded) in',
    'order, recomputing each hash from the stored fields and the call before it. Exit code 0 when',
    'the chain holds; 1 with the first broken link (its seq and the check that failed) otherwise:',
    'missing (a call removed), unexpected (a call outside the chain), prev_hash (a call that does',
    'not follow the one before it), hash (a call edited), head (the last call is not the one recorded).',
  ],
  database: 'existing',
  options: {},
  positionals: { min: 0, max: 0 },
  async run() {
    return withServices(async (services) => {
      const v = await services.sharingCalls.verify(SYSTEM_ACTOR);
      const range = `calls ${v.anchor.seq}..${v.head.seq}`;
      if (v.ok) {
        process.stdout.write(`The call audit chain holds: ${v.checked} call${v.checked === 1 ? '' : 's'} checked (${range}), head ${v.head.hash}.\n`);
        return 0;
      }
      const b = v.broken!;
      process.stdout.write(`The call audit chain is BROKEN at call ${b.seq} (${b.check}): ${b.detail}.\n`);
      process.stdout.write(`${v.checked} call${v.checked === 1 ? '' : 's'} before it verified (${range}).\n`);
      return 1;
    });
  },
};
