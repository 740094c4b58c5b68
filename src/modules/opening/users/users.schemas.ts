import { z } from 'zod';

/** E-mail or a mainland mobile number (DOMAIN.md §9: +86/0086, spaces and hyphens stripped). */
const Email = z.string().trim().toLowerCase().max(254).email();
const Phone = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, ''))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number (11 digits starting 13–19)'));

export const OpenUserIn = z
  .object({
    username: z
      .string()
      .trim()
      .min(3)
      .max(64)
      .regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, _ . - only')
      .refine((v) => !v.includes('@'), 'not an e-mail address'),
    email: Email.optional(),
    phone: Phone.optional(),
    password: z.string().min(10, 'at least 10 characters').max(200),
    displayName: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .refine((v) => v.email !== undefined || v.phone !== undefined, { path: ['email'], message: 'an e-mail address or a phone number is required' });

export const OpenLoginIn = z
  .object({
    login: z.string().trim().min(1).max(254).describe('username, e-mail address or phone number'),
    password: z.string().min(1).max(200),
  })
  .strict();

export const OpenUserOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable().describe('masked: first 3 and last 4 digits'),
  createdAt: z.string(),
});

export const OpenSessionOut = z.object({
  token: z.string().describe('the bearer token (prefix kjo_), shown once: send it as Authorization: Bearer <token> on /api/v1/open/ routes'),
  expiresAt: z.string(),
  user: OpenUserOut,
});

export type OpenUserInput = z.infer<typeof OpenUserIn>;
export type OpenLoginInput = z.infer<typeof OpenLoginIn>;
