import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { RegionCode } from '../regions/regions.schemas.js';
import type { CatalogExcelService } from './excel.service.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ImportQuery = z
  .object({
    dryRun: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('validate every row, store nothing'),
  })
  .strict();

const Problem = z.object({ sheet: z.string().nullable(), row: z.number().nullable(), column: z.string().nullable(), code: z.string(), message: z.string() });
const ImportSummary = z.object({
  dryRun: z.boolean(),
  resources: z.number(),
  items: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number().describe('existing entries the file leaves as they are: no new version'),
  warnings: z.array(Problem).describe('e.g. UNKNOWN_COLUMN: columns the template does not know, ignored'),
});

const ExportQuery = z
  .object({
    providerDepartmentId: z.string().max(36).optional(),
    regionCode: RegionCode.optional(),
  })
  .strict();

/** Streams a workbook as a download; a failure after the first byte can only cut the stream. */
function download(reply: FastifyReply, fileName: string, write: (out: PassThrough) => Promise<unknown>) {
  const out = new PassThrough();
  write(out).catch((err: unknown) => {
    reply.log.error({ err }, 'catalogue export failed');
    out.destroy(err as Error);
  });
  reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="catalog.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  return Promise.resolve(out);
}

export function catalogExcelRoutes(excel: CatalogExcelService): AnyRoute[] {
  const tag = 'catalog: excel';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/catalog/import',
      operationId: 'importCatalog',
      tag,
      auth: 'user',
      summary: 'Import the catalogue template (XLSX body): every row is checked first; any problem rejects the file and nothing is stored',
      rawBody: [XLSX_TYPE, 'application/octet-stream'],
      query: ImportQuery,
      response: ImportSummary,
      handler: async ({ actor, query, body }) => {
        if (!Buffer.isBuffer(body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send the .xlsx file as the body, with Content-Type ${XLSX_TYPE}`);
        return excel.importWorkbook(actor!, body, { dryRun: query.dryRun, source: 'api' });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/catalog/export.xlsx',
      operationId: 'exportCatalog',
      tag,
      auth: 'public',
      produces: XLSX_TYPE,
      summary: 'The catalogue as the import template (classified entries only for authorised users)',
      query: ExportQuery,
      handler: async ({ actor, query, reply }) => download(reply, '信息资源目录.xlsx', (out) => excel.exportWorkbook(actor, query, out)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/catalog/template.xlsx',
      operationId: 'catalogTemplate',
      tag,
      auth: 'public',
      produces: XLSX_TYPE,
      summary: 'The blank catalogue template, with 填写说明',
      handler: async ({ reply }) => download(reply, '信息资源目录填报模板.xlsx', (out) => excel.writeTemplate(out)),
    }),
  ];
}
