import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { ScanIdParams, ScanOut, ScanResults, ScanStart, ScanStartQuery, ScoresOut, ScoresQuery, TrendsOut, TrendsQuery } from './scans.schemas.js';
import type { ScansService } from './scans.service.js';
import type { TrendsService } from './trends.js';

export function scanRoutes(scans: ScansService): AnyRoute[] {
  const tag = 'governance';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/quality/scans',
      operationId: 'startQualityScan',
      summary: 'Scan one resource (or every collected one) against its quality rules',
      tag,
      auth: 'user',
      body: ScanStart,
      query: ScanStartQuery,
      response: ScanOut,
      successStatus: 202,
      handler: async ({ actor, body, query }) => scans.start(actor!, body, { wait: query.wait }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/scans/:id',
      operationId: 'getQualityScan',
      summary: 'A scan: status and progress',
      tag,
      auth: 'user',
      params: ScanIdParams,
      response: ScanOut,
      handler: async ({ actor, params }) => scans.get(actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/scans/:id/results',
      operationId: 'getQualityScanResults',
      summary: "A scan's results: one row per rule with B checked and A passed",
      tag,
      auth: 'user',
      params: ScanIdParams,
      response: ScanResults,
      handler: async ({ actor, params }) => scans.results(actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/scores',
      operationId: 'getQualityScores',
      summary: 'Quality scores from the latest scans, by resource, department, region or dimension, and the "% governed"',
      tag,
      auth: 'user',
      query: ScoresQuery,
      response: ScoresOut,
      handler: async ({ actor, query }) => scans.scores(actor, query.by),
    }),
  ];
}

export function trendRoutes(trends: TrendsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/trends',
      operationId: 'getQualityTrends',
      summary: "A score's trend over the last scans (oldest first), by resource, department, region or dimension",
      tag: 'governance',
      auth: 'user',
      query: TrendsQuery,
      response: TrendsOut,
      handler: async ({ actor, query }) => trends.trend(actor, query),
    }),
  ];
}
