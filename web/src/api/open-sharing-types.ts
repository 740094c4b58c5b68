// The shapes the opening and sharing pages read, named after the answers of the OpenAPI document
// (nothing here is declared by hand).
import type { ResponseOf } from './client';

export type OpenDomain = ResponseOf<'/api/v1/open/domains'>['items'][number];
export type DatasetSearch = ResponseOf<'/api/v1/open/datasets'>;
export type DatasetSummary = DatasetSearch['items'][number];
export type FacetName = keyof DatasetSearch['facets'];
export type Dataset = ResponseOf<'/api/v1/open/datasets/{id}'>;
export type Preview = ResponseOf<'/api/v1/open/datasets/{id}/preview'>;
export type Scenario = ResponseOf<'/api/v1/open/scenarios'>['items'][number];
export type OpenStats = ResponseOf<'/api/v1/open/stats'>;
export type OpenApplication = ResponseOf<'/api/v1/open/applications'>['items'][number];

export type SharingApplication = ResponseOf<'/api/v1/sharing/applications'>['items'][number];
export type Consumer = ResponseOf<'/api/v1/sharing/consumers'>['items'][number];
export type Grant = ResponseOf<'/api/v1/sharing/grants'>['items'][number];
export type SharedInterface = ResponseOf<'/api/v1/sharing/interfaces'>['items'][number];
export type GatewayCall = ResponseOf<'/api/v1/sharing/calls'>['items'][number];
export type SharingStats = ResponseOf<'/api/v1/sharing/stats'>;
