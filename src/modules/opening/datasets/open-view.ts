import { notFound } from '../../../errors.js';
import type { ReadAccess } from '../../collection/index.js';
import type { OpenAccess, OpenDataset, OpenItem } from '../contracts.js';
import type { OpenCatalogInternal } from './open-catalog.js';
import type { FullResource as Resource } from './open-items.js';

/** How open data reads records: as nobody in particular (classified entries do not exist), masked per item. */
export const PUBLIC_READ: ReadAccess = { actor: null, scope: 'none', masked: true };

export type Viewer = { userId: string } | null;

/** A dataset as one viewer sees it: the items they may read, and the RESTRICTED ones withheld from them. */
export type OpenView = { dataset: OpenDataset; resource: Resource; visible: OpenItem[]; withheld: string[] };

/**
 * The one place that decides which items a viewer reads: UNCONDITIONAL items for everyone,
 * RESTRICTED items only when OpenAccess says the viewer holds an approved application.
 */
export async function openView(catalog: OpenCatalogInternal, access: OpenAccess, idOrName: string, viewer: Viewer): Promise<OpenView> {
  const entry = await catalog.live(idOrName);
  if (!entry) throw notFound('open dataset', idOrName);
  const { dataset } = entry;
  const restricted = dataset.items.some((i) => i.openType === 'RESTRICTED');
  const allowed = restricted && viewer !== null && (await access.restrictedAllowed(viewer.userId, dataset.id));
  const visible = dataset.items.filter((i) => i.openType === 'UNCONDITIONAL' || allowed);
  const withheld = dataset.items.filter((i) => i.openType === 'RESTRICTED' && !allowed).map((i) => i.code);
  return { ...entry, visible, withheld };
}
