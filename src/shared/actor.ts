/** Who is calling: resolved from the bearer token by src/http/authenticate.ts, or null (anonymous). */
export const ROLES = ['ADMIN', 'OFFICER', 'REVIEWER', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

export type Actor = Readonly<{
  userId: string;
  username: string;
  role: Role;
  /** Set for department officers: the only department whose entries they may change. */
  departmentId: string | null;
}>;

/** The actor used by CLI commands and the demo loader, which run with the operator's authority. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: 'system', username: 'system', role: 'ADMIN', departmentId: null });
