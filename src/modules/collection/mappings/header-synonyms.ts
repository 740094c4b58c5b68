import fs from 'node:fs';
import { z } from 'zod';
import type { SynonymGroups } from '../parsing/header-mapping.js';
import shipped from './header-synonyms.json' with { type: 'json' };

const SynonymsFile = z
  .object({
    /** Where the names come from, for the reader of the file. */
    source: z.string().optional(),
    groups: z
      .array(
        z
          .object({
            concept: z.string().trim().min(1).max(100),
            labels: z.array(z.string().trim().min(1).max(200)).min(1).max(200),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();
type SynonymsFile = z.infer<typeof SynonymsFile>;

/**
 * The synonym groups a process matches headers with: the shipped list (header-synonyms.json,
 * SOURCE.md), and over it the platform's file when one is named (KUAIJI_HEADER_SYNONYMS_FILE): its
 * group of a shipped concept replaces the shipped one, its other groups are added. Plain data, so
 * it crosses to the load workers.
 */
export function headerSynonyms(file?: string): SynonymGroups {
  const groups = new Map(SynonymsFile.parse(shipped).groups.map((g) => [g.concept, g.labels]));
  if (file) for (const g of readSynonymsFile(file).groups) groups.set(g.concept, g.labels);
  return [...groups.values()];
}

/** The synonyms of a process's configuration (a bad file throws here, naming it). */
export function headerSynonymsFromConfig(config: { headerSynonymsFile?: string | undefined }): SynonymGroups {
  return headerSynonyms(config.headerSynonymsFile);
}

function readSynonymsFile(file: string): SynonymsFile {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`header synonyms file ${file}: ${(err as Error).message}`);
  }
  const parsed = SynonymsFile.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new Error(`header synonyms file ${file}: ${lines.join('; ')}`);
  }
  return parsed.data;
}
