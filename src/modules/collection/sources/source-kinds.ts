import type { Db } from '../../../storage/dialect.js';
import type { CollectionJobTable } from '../../../storage/schema.js';
import type { RecordStream } from '../parsing/types.js';

/** What a source gives the loader: a way to open the records, and how far it has read. */
export type OpenedSource = {
  open: () => Promise<RecordStream>;
  bytesRead?: () => number;
  /** Incremental pulls: the watermark reached, saved with the job when it succeeds. */
  watermark?: () => string | null;
};

export type SourceContext = { db: Db; job: CollectionJobTable; signal?: AbortSignal };

/**
 * Every kind of source is one entry of this registry (files, pushed batches, department
 * databases, HTTP APIs); the job runner never branches on the kind.
 */
export type SourceKind = { open(ctx: SourceContext): Promise<OpenedSource> };
export type SourceRegistry = Record<string, SourceKind>;
