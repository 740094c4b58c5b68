import { get, type ResponseOf } from '../api/client';
import type { Codes, Department } from '../api/types';

// Code labels and department names, read once per page load (both public endpoints).
let codes: Promise<Codes> | null = null;
let departments: Promise<Map<string, Department>> | null = null;

export function loadCodes(): Promise<Codes> {
  codes ??= get('/api/v1/catalog/codes', { auth: false });
  return codes;
}

/** `code name` of every resource the caller may see (the console's token), by id. */
export async function loadResourceNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const page: ResponseOf<'/api/v1/resources'> = await get('/api/v1/resources', { query: { limit: 500, cursor: cursor ?? undefined } });
    for (const r of page.items) names.set(r.id, `${r.code} ${r.name}`);
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

export function loadDepartments(): Promise<Map<string, Department>> {
  departments ??= (async () => {
    const all = new Map<string, Department>();
    let cursor: string | null = null;
    do {
      const page: ResponseOf<'/api/v1/departments'> = await get('/api/v1/departments', { auth: false, query: { limit: 200, cursor: cursor ?? undefined } });
      for (const d of page.items) all.set(d.id, d);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  })();
  return departments;
}
