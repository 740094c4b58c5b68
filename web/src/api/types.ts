// The shapes the UI reads, named after the answers of the OpenAPI document (openapi.ts is generated
// from docs/openapi.json; nothing here is declared by hand).
import type { ResponseOf } from './client';

export type Codes = ResponseOf<'/api/v1/catalog/codes'>;
export type Resource = ResponseOf<'/api/v1/resources/{id}'>;
export type ResourceSummary = ResponseOf<'/api/v1/resources'>['items'][number];
export type Department = ResponseOf<'/api/v1/departments'>['items'][number];
export type Me = ResponseOf<'/api/v1/me'>;
export type CatalogStats = ResponseOf<'/api/v1/catalog/stats'>;
export type CollectionStats = ResponseOf<'/api/v1/collection/stats'>;
export type QualityStats = ResponseOf<'/api/v1/quality/stats'>;
export type Scores = ResponseOf<'/api/v1/quality/scores'>;
export type Ranking = ResponseOf<'/api/v1/quality/ranking'>;
export type Job = ResponseOf<'/api/v1/collection/jobs'>['items'][number];
export type Problem = ResponseOf<'/api/v1/quality/problems'>['items'][number];
