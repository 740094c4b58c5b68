import { AppError, forbidden } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { DataItem, Resource } from '../../catalog/index.js';
import type { ThemeMember } from '../contracts.js';

/**
 * Who may read a spatial theme's features (ADR 0029). `public`: anyone, no token — every member
 * resource is open without condition; `staff`: a platform administrator, or an officer of the
 * department that provides every member resource.
 */
export type FeatureAccess = 'public' | 'staff';

const openItem = (i: DataItem | undefined) =>
  i !== undefined && i.openType === 'UNCONDITIONAL' && i.sensitivity !== 'L4' && (i.maskingRule ?? 'NONE') === 'NONE';

/**
 * A member is open when its catalogue entry is not classified, its open type is UNCONDITIONAL
 * (无条件开放), it is not L4, and so is every item the theme takes from it (its key item and
 * every mapped attribute), none of them with a masking rule: a feature's properties are the
 * master's values in clear, so one conditional item makes the whole theme staff-only.
 */
function memberIsOpen(member: ThemeMember, resource: Resource | undefined): boolean {
  if (!resource || resource.classified || resource.openType !== 'UNCONDITIONAL' || resource.sensitivity === 'L4') return false;
  const items = new Map((resource.items ?? []).map((i) => [i.code, i]));
  return [member.keyItem, ...Object.values(member.attributes)].every((code) => openItem(items.get(code)));
}

/** `resources`: the members' catalogue entries read without a scope filter (missing ones count as closed). */
export function featureAccessOf(members: readonly ThemeMember[], resources: readonly Resource[]): FeatureAccess {
  const byId = new Map(resources.map((r) => [r.id, r]));
  return members.length > 0 && members.every((m) => memberIsOpen(m, byId.get(m.resourceId))) ? 'public' : 'staff';
}

export const spatialPolicy = {
  /** Whether `actor` may read the features (without throwing): the collections list leaves out the rest. */
  mayRead(actor: Actor | null, access: FeatureAccess, providers: readonly string[]): boolean {
    if (access === 'public') return true;
    if (!actor) return false;
    if (actor.role === 'ADMIN') return true;
    return actor.role === 'OFFICER' && actor.departmentId !== null && providers.length > 0 && providers.every((d) => d === actor.departmentId);
  },

  /** A theme that is not open needs a staff token (401); a staff user who may not read it gets 403. */
  assertRead(actor: Actor | null, access: FeatureAccess, providers: readonly string[]): void {
    if (this.mayRead(actor, access, providers)) return;
    if (!actor) throw new AppError('UNAUTHENTICATED', 'These features are not open data: sign in (Authorization: Bearer <token>) to read them');
    throw forbidden("Only a platform administrator or the member resources' provider department may read these features; other departments go through sharing");
  },
};
