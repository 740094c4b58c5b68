import { z } from 'zod';
import { VALIDITIES } from './validity.js';

export const IdentifierParams = z
  .object({
    identifier: z
      .string()
      .min(1)
      .max(200)
      .describe('an e-licence identifier 1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version>.<check>; full-width, lower case and spaces accepted'),
  })
  .strict();

const UseCause = z.string().max(1000).optional().describe('the use reason (用证事由), when the X-Use-Cause header is not sent; 2–200 characters');
const Unmasked = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true')
  .describe('platform administrators only: the holder unmasked (the use reason is the audited reason)');

export const ReadQuery = z.object({ useCause: UseCause, unmasked: Unmasked }).strict();

export const ListQuery = z
  .object({
    holderCode: z.string().trim().min(1).max(100).describe("the holder's citizen ID number or USCC"),
    typeCode: z.string().trim().min(1).max(40).optional().describe('only licences of this type code (21 characters)'),
    useCause: UseCause,
    unmasked: Unmasked,
  })
  .strict();

export const VerifyOut = z.object({
  valid: z.boolean(),
  identifier: z.string().describe('the identifier normalised (half-width, no spaces, upper case)'),
  parts: z
    .object({ oid: z.string(), typeCode: z.string(), issuerUscc: z.string(), serial: z.string(), version: z.string(), check: z.string() })
    .nullable()
    .describe('null when the root or the number of parts is wrong'),
  expectedCheck: z.string().nullable().describe('the check character the parts call for (null when a part has a character outside 0-9A-Z)'),
  errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
});

const Text = z.string().nullable();

export const LicenceOut = z.object({
  identifier: z.string(),
  name: Text,
  typeCode: Text,
  number: Text,
  holder: Text.describe('masked by the source item’s masking rule unless an administrator asked unmasked=true'),
  holderCode: Text.describe('masked by the source item’s masking rule unless an administrator asked unmasked=true'),
  holderCodeType: Text.describe('111 citizen ID number, 001 USCC (GB/T 36903)'),
  issuer: Text,
  issuerCode: Text,
  issueDate: Text,
  validFrom: Text,
  validTo: Text,
  regionCode: Text,
  status: Text,
  validity: z.enum(VALIDITIES).describe("today's validity in China Standard Time, from the status and the validity dates"),
  masked: z.boolean(),
  provenance: z
    .record(z.string(), z.object({ resourceId: z.string(), receivedAt: z.string() }))
    .describe('per attribute: the member resource its value came from'),
});

export const LicenceListOut = z.object({ items: z.array(LicenceOut) });

export type LicenceView = z.infer<typeof LicenceOut>;
export type VerifyView = z.infer<typeof VerifyOut>;
