import type { CkanAction } from './ckan-action.js';
import { catalogActions } from './catalog-actions.js';
import { notFound } from './ckan-errors.js';
import { datastoreActions } from './datastore-search.js';
import { groupActions } from './group-actions.js';

/** The read-only actions this CKAN-compatible API serves, and help_show over their help texts. */
const served: Record<string, CkanAction> = { ...catalogActions, ...groupActions, ...datastoreActions };

export const CKAN_ACTIONS: Record<string, CkanAction> = {
  ...served,
  help_show: {
    help: 'Return the help string for a particular API action. Parameters: name.',
    run: async (_ctx, d) => {
      const name = typeof d.name === 'string' ? d.name : '';
      const action = CKAN_ACTIONS[name];
      if (!action) throw notFound('Action function not found');
      return action.help;
    },
  },
};

/**
 * CKAN's write actions: a CKAN client that tries to create, change or delete here gets CKAN's
 * 403 Authorization Error (the catalogue is published through Kuaiji, not through this API),
 * not the 400 of an unknown action.
 */
const WRITE_ACTION =
  /^(package|resource|resource_view|organization|group|member|tag|user|datastore|dataset|vocabulary|package_relationship)_(create|update|patch|delete|purge|upsert|owner_org_update|revise|reorder|member_create|member_delete|collaborator_create|collaborator_delete|create_default_resource_views)$|^(bulk_update_(private|public|delete)|datastore_run_triggers|datastore_function_create|datastore_function_delete)$/;

export const isWriteAction = (name: string) => WRITE_ACTION.test(name);
