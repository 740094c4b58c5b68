import { PassThrough } from 'node:stream';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { RankingOut, RankingQuery } from './ranking.schemas.js';
import type { RankingService } from './ranking.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The weekly department ranking (一周一通报) as JSON and, at its own `.xlsx` URL, as a workbook.
 * A separate URL rather than `Accept` negotiation: a link that downloads the file (as the
 * catalogue's export.xlsx does), cached apart from the JSON, and one response type per operation
 * in the OpenAPI document.
 */
export function rankingRoutes(ranking: RankingService): AnyRoute[] {
  const tag = 'governance';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/ranking',
      operationId: 'qualityRanking',
      tag,
      auth: 'user',
      summary: 'The weekly department ranking 一周一通报: quality scores at the week’s end, problems of the week, change from the week before',
      query: RankingQuery,
      response: RankingOut,
      handler: async ({ actor, query }) => ranking.ranking(actor, query.week),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/ranking.xlsx',
      operationId: 'qualityRankingWorkbook',
      tag,
      auth: 'user',
      produces: XLSX_TYPE,
      summary: 'The weekly department ranking as an XLSX workbook (Chinese headers: 排名, 部门, 得分 …)',
      query: RankingQuery,
      handler: async ({ actor, query, reply }) => {
        const r = await ranking.ranking(actor, query.week);
        const out = new PassThrough();
        // A failure after the first byte can only cut the download.
        ranking.writeWorkbook(r, out).catch((err: unknown) => {
          reply.log.error({ err }, 'ranking workbook failed');
          out.destroy(err as Error);
        });
        const name = `一周一通报-${r.week}.xlsx`;
        reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="ranking-${r.week}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
        return out;
      },
    }),
  ];
}
