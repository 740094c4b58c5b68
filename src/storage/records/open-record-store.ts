import type { RecordStore } from './record-store.js';
import { openPostgresRecordStore } from './postgres-records.js';
import { openSqliteRecordStore } from './sqlite-records.js';

/** Opens a private record store on the database at `url` (see Storage.url). */
export async function openRecordStore(url: string, scratchDir: string): Promise<RecordStore> {
  if (url.startsWith('sqlite:')) return openSqliteRecordStore(url.slice('sqlite:'.length), scratchDir);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgresRecordStore(url);
  throw new Error(`no record store for database URL '${url}'`);
}
