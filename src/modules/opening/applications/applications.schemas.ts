import { z } from 'zod';
import { APPLICATION_STATES } from './application-states.js';

const Id = z.string().min(1).max(64);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const OpenApplicationIn = z
  .object({
    datasetId: Id.describe('a RESTRICTED open dataset'),
    purpose: z.string().trim().min(5).max(4000).describe('what the data is for'),
    scenario: z.string().trim().min(5).max(4000).describe('the use scenario (应用场景)'),
    securityMeasures: z.string().trim().min(5).max(4000).describe('how the data is protected (安全保护措施)'),
  })
  .strict();

export const OpenApplicationParams = z.object({ id: Id }).strict();

export const OpenApplicationListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
    status: z.enum(['submitted', 'approved', 'active', 'rejected', 'revoked']).optional().describe('the stored state (expired ones are approved or active)'),
    datasetId: Id.optional(),
  })
  .strict();

export const OpenApplicationReviewIn = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().max(2000).optional().describe('required when rejecting'),
    validUntil: IsoDate.optional().describe('last day of use (default: one year from today)'),
  })
  .strict();

export const OpenAgreementIn = z
  .object({ version: z.string().min(1).max(20).describe('the version of the use agreement the applicant read and accepts') })
  .strict();
export const OpenRevocationIn = z.object({ reason: z.string().trim().min(2).max(2000) }).strict();

export const OpenAgreementOut = z.object({ version: z.string(), text: z.string(), sha256: z.string() });

export const OpenApplicationOut = z.object({
  id: z.string(),
  datasetId: z.string(),
  datasetTitle: z.string(),
  departmentId: z.string().describe('the provider department that reviews it'),
  applicant: z.object({ username: z.string(), displayName: z.string(), contact: z.string().nullable() }),
  purpose: z.string(),
  scenario: z.string(),
  securityMeasures: z.string(),
  status: z.enum(APPLICATION_STATES),
  reason: z.string().nullable().describe('why it was rejected or revoked'),
  validUntil: z.string().nullable(),
  reviewer: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  agreement: z.object({ version: z.string(), sha256: z.string(), acceptedAt: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const OpenApplicationPageOut = z.object({ items: z.array(OpenApplicationOut), nextCursor: z.string().nullable() });

export type OpenApplicationInput = z.infer<typeof OpenApplicationIn>;
export type OpenApplicationListQuery = z.infer<typeof OpenApplicationListQuery>;
export type OpenApplicationReview = z.infer<typeof OpenApplicationReviewIn>;
