import type { Services } from '../deps.js';
import { AppError } from '../errors.js';
import type { Actor } from '../shared/actor.js';

type Publishable = { id: string; openType: string; classified: boolean; openDomain: number | null; tags: string[]; updateFrequency: string };

/** Whether the demo opens a resource: the catalogue allows it (not PROHIBITED, not classified, an open domain). */
export const demoOpens = (r: Publishable) => r.openType !== 'PROHIBITED' && !r.classified && r.openDomain !== null;

/**
 * The demo city's open data portal: every resource the catalogue allows to open is published as
 * an open dataset (its open items only, masks applied when read), through the same service an
 * officer uses, so the portal is populated at first start. Records arrive later through
 * collection: open datasets are live views of them.
 */
export async function publishDemoDatasets(
  services: Pick<Services, 'openDatasets'>,
  actor: Actor,
  resources: readonly Publishable[],
  step: (name: string) => void,
): Promise<number> {
  let published = 0;
  for (const r of resources.filter(demoOpens)) {
    try {
      await services.openDatasets.publish(actor, { resourceId: r.id, tags: r.tags, licenceId: 'gov-open' });
      published++;
    } catch (err) {
      // A resource whose every item is closed cannot be opened: the demo leaves it out, as an officer would be told to.
      if (!(err instanceof AppError && err.code === 'OPEN_NOT_ALLOWED')) throw err;
    }
    step(`open dataset ${r.id}`);
  }
  return published;
}
