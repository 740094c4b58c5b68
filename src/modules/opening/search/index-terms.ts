import { terms } from './segment.js';

/** What a dataset is found by, and how much each field counts toward relevance. */
export type IndexedDataset = {
  title: string;
  description: string;
  tags: readonly string[];
  items: readonly { name: string; code: string }[];
  departmentName: string;
  domainName: string;
  regionName: string;
};

const WEIGHTS = { title: 8, tags: 5, department: 3, domain: 3, items: 2, region: 2, description: 1 } as const;

/** Term → weight summed over the fields it occurs in (a term counts once per field). */
export function indexTerms(d: IndexedDataset): Map<string, number> {
  const out = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of new Set(terms(text))) out.set(term, (out.get(term) ?? 0) + weight);
  };
  add(d.title, WEIGHTS.title);
  add(d.tags.join(' '), WEIGHTS.tags);
  add(d.departmentName, WEIGHTS.department);
  add(d.domainName, WEIGHTS.domain);
  add(d.items.map((i) => `${i.name} ${i.code.replace(/_/g, ' ')}`).join(' '), WEIGHTS.items);
  add(d.regionName, WEIGHTS.region);
  add(d.description, WEIGHTS.description);
  return out;
}
