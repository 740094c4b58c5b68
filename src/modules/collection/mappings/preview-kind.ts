import { defineJobKind } from '../../../jobs/job-kind.js';
import type { Preview, PreviewInput } from './preview.js';

/** An XLSX upload's preview, read in the worker pool: its shared strings may be the whole workbook's text (preview.job.ts). */
export const collectionPreviewJob = defineJobKind<PreviewInput, Preview>('collection.preview', new URL('./preview.job.js', import.meta.url));
