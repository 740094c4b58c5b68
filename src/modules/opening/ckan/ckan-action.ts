import type { OpenCatalog, OpenRows } from '../contracts.js';
import type { DataDict } from './params.js';

/** What an action sees of the request: the open catalogue and rows, the time, and where it was asked. */
export type ActionContext = {
  catalog: OpenCatalog;
  rows: OpenRows;
  now: Date;
  /** `https://host` of this request: resource URLs and `help` are absolute, as CKAN's are. */
  baseUrl: string;
  /** The request's path, without its query (datastore_search's `_links`). */
  path: string;
  /** The GET query string's parameters ({} for POST). */
  query: Record<string, string | string[]>;
};

/** One read-only action of the CKAN Action API; `help` is what help_show answers. */
export type CkanAction = {
  help: string;
  run(ctx: ActionContext, d: DataDict): Promise<unknown>;
};
