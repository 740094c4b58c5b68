import { get, type ResponseOf } from '../api/client';
import type { Codes, Department } from '../api/types';

// Code labels and department names, read once per page load (both public endpoints).
let codes: Promise<Codes> | null = null;
let departments: Promise<Map<string, Department>> | null = null;

export function loadCodes(): Promise<Codes> {
  codes ??= get('/api/v1/catalog/codes', { auth: false });
  return codes;
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
