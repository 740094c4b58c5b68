// What the signed-in user may do in sharing, mirroring src/modules/sharing/sharing.policy.ts: the API
// enforces it; the UI only hides the actions it would refuse.
import type { Me } from '../../api/types';
import type { Consumer, Grant, SharedInterface, SharingApplication } from '../../api/open-sharing-types';

const officerOf = (me: Me, departmentId: string) => me.role === 'OFFICER' && me.departmentId === departmentId;

export const can = {
  decide(me: Me, a: SharingApplication): boolean {
    if (a.status === 'COMPLIANCE_CHECK' || a.status === 'ARBITRATION') return me.role === 'ADMIN';
    if (a.status === 'PROVIDER_REVIEW') return officerOf(me, a.providerDepartmentId) || (me.role === 'ADMIN' && a.escalated);
    return false;
  },
  withdraw(me: Me, a: SharingApplication): boolean {
    const pending = a.status === 'COMPLIANCE_CHECK' || a.status === 'PROVIDER_REVIEW' || a.status === 'ARBITRATION';
    return pending && (me.role === 'ADMIN' || officerOf(me, a.consumerDepartmentId));
  },
  registerConsumer: (me: Me) => me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId !== null),
  manageConsumer: (me: Me, c: Consumer) => c.status === 'ACTIVE' && (me.role === 'ADMIN' || officerOf(me, c.departmentId)),
  revokeGrant: (me: Me, g: Grant) => g.status === 'ACTIVE' && (me.role === 'ADMIN' || officerOf(me, g.providerDepartmentId)),
  manageInterface: (me: Me, i: SharedInterface) => me.role === 'ADMIN' || officerOf(me, i.departmentId),
  readCalls: (me: Me) => me.role === 'ADMIN' || me.role === 'AUDITOR',
  verifyCalls: (me: Me) => me.role === 'ADMIN',
};
