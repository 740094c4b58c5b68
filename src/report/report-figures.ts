import { SYSTEM_ACTOR } from '../shared/actor.js';
import type { Services } from '../deps.js';

/** The services a report reads: every module's figures, as their /stats endpoints give them. */
export type ReportSources = Pick<Services, 'stats' | 'collectionFigures' | 'qualityFigures' | 'sharingFigures' | 'openStatsReport' | 'themesFigures' | 'clock'>;

export type CatalogFigures = Awaited<ReturnType<Services['stats']['catalogStats']>>;
export type CollectionFigures = Awaited<ReturnType<Services['collectionFigures']['figures']>>;
export type QualityFigures = Awaited<ReturnType<Services['qualityFigures']['stats']>>;
export type SharingFigures = Awaited<ReturnType<Services['sharingFigures']['figures']>>;
export type OpenFigures = Awaited<ReturnType<Services['openStatsReport']['report']>>;
export type ThemesFigures = Awaited<ReturnType<Services['themesFigures']['figures']>>;

/** Everything a report shows, read at one moment with the platform administrator's view. */
export type ReportFigures = {
  generatedAt: string;
  catalog: CatalogFigures;
  collection: CollectionFigures;
  quality: QualityFigures;
  sharing: SharingFigures;
  open: OpenFigures;
  themes: ThemesFigures;
};

/**
 * Reads the figures the report is made of. Nothing is typed in: each number is what the module's
 * own figures service computes from the store now (the same numbers the console's dashboard and
 * the /stats endpoints show), read as the platform administrator so that the whole city is counted.
 */
export async function gatherReportFigures(services: ReportSources): Promise<ReportFigures> {
  const actor = SYSTEM_ACTOR;
  const [catalog, collection, quality, sharing, open, themes] = await Promise.all([
    services.stats.catalogStats(actor),
    services.collectionFigures.figures(actor, { top: 10 }),
    services.qualityFigures.stats(actor),
    services.sharingFigures.figures(actor, { top: 10 }),
    services.openStatsReport.report({}),
    services.themesFigures.figures(actor),
  ]);
  return { generatedAt: services.clock.now().toISOString(), catalog, collection, quality, sharing, open, themes };
}
