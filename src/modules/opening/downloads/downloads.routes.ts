import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { OpenAccess } from '../contracts.js';
import { DatasetParams } from '../datasets/datasets.schemas.js';
import { viewerOf, type ViewerOf } from '../datasets/viewer.js';
import type { DownloadsService } from './downloads.service.js';

export const DownloadQuery = z
  .object({
    format: z.enum(['csv', 'xlsx', 'json']).default('csv'),
    encoding: z.enum(['utf-8', 'gbk']).default('utf-8').describe('CSV only: gbk for older Excel (characters GBK lacks become ?); utf-8 carries a BOM'),
  })
  .strict();

/** `GET /api/v1/open/datasets/:id/download`: the whole dataset as a file, streamed. */
export function downloadsRoutes(downloads: DownloadsService, access: OpenAccess, session: ViewerOf): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/datasets/:id/download',
      operationId: 'downloadOpenDataset',
      tag: 'opening',
      auth: 'public',
      produces: 'text/csv',
      summary: 'Download an open dataset as CSV (UTF-8 with BOM, or GBK), XLSX or JSON, streamed; RESTRICTED items only for approved applicants',
      params: DatasetParams,
      query: DownloadQuery,
      handler: async ({ params, query, request, reply }) => {
        if (query.encoding === 'gbk' && query.format !== 'csv') {
          throw new AppError('VALIDATION_FAILED', 'encoding=gbk applies to CSV only', {
            errors: [{ path: 'query.encoding', code: 'invalid_value', message: 'gbk is for CSV' }],
          });
        }
        const d = await downloads.open(params.id, query.format, query.encoding, await viewerOf(request, access, session));
        d.failed.catch((err: unknown) => reply.log.error({ err }, 'open dataset download failed'));
        reply
          .type(d.contentType)
          .header('content-disposition', `attachment; filename="${d.fileName}"; filename*=UTF-8''${encodeURIComponent(d.title)}`)
          .header('x-withheld-items', d.withheld.join(','));
        return d.body;
      },
    }),
  ];
}
