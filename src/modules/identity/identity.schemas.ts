import { z } from 'zod';
import { ROLES } from '../../shared/actor.js';

export const UserCreate = z
  .object({
    username: z.string().regex(/^[a-z][a-z0-9_.-]{1,63}$/, 'lower-case letters, digits, _ . - (2–64, starting with a letter)'),
    displayName: z.string().min(1).max(100).optional(),
    role: z.enum(ROLES),
    departmentId: z.string().max(36).nullable().optional(),
  })
  .strict();

export const UserOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  departmentId: z.string().nullable(),
  disabled: z.boolean(),
  hasPassword: z.boolean().describe('whether the user may sign in with a password (else with tokens only)'),
  createdAt: z.string(),
});

export const TokenOut = z.object({
  id: z.string(),
  label: z.string().nullable(),
  last4: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const IssuedTokenOut = TokenOut.extend({ token: z.string().describe('shown once; store it safely') });

export const TokenCreate = z.object({ label: z.string().max(100).nullable().optional() }).strict();
export const UserPatch = z.object({ disabled: z.boolean() }).strict();
export const IdParam = z.object({ id: z.string().min(1).max(64) }).strict();
export const TokenParam = z.object({ id: z.string().min(1).max(64), tokenId: z.string().min(1).max(64) }).strict();

export const LoginIn = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict();
export const PasswordIn = z
  .object({
    currentPassword: z.string().max(200).optional().describe('required when users change their own password and one is set (administrators excepted)'),
    password: z.string().max(200).describe('at least 10 characters, 4 different ones, not containing the username'),
  })
  .strict();
