import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Splits one line of the shipped reference CSVs (RFC 4180 quoting, no embedded newlines). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The project's reference/ folder, found from this module whether it runs from src/ or dist/. */
function referenceDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'reference', 'administrative-divisions.csv');
    if (fs.existsSync(candidate)) return path.join(dir, 'reference');
    dir = path.dirname(dir);
  }
  throw new Error('reference/ data folder not found beside the project');
}

/** Reads a shipped reference CSV as records keyed by its header. */
export function readReferenceCsv(file: string): Record<string, string>[] {
  const text = fs.readFileSync(path.join(referenceDir(), file), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = parseCsvLine(lines[0]!);
  return lines.slice(1).map((l) => {
    const cells = parseCsvLine(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}
