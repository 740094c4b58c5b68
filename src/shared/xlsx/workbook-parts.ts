import path from 'node:path/posix';
import { isDateFormat } from './number-formats.js';
import type { XmlAttributes, XmlHandler } from './xml-tokenizer.js';

/** A worksheet as the workbook lists it, in the order Excel shows the tabs. */
export type SheetEntry = { name: string; part: string };

/** Relationship targets by id, resolved against the folder of the part that holds them. */
export type Relationships = { byId: Map<string, { type: string; target: string }> };

type Collector<T> = XmlHandler & { result(): T };

const noText = () => undefined;

/** `xl/_rels/workbook.xml.rels` (or any .rels): targets resolved to package paths. */
export function relationshipsHandler(relsPart: string): Collector<Relationships> {
  // xl/_rels/workbook.xml.rels holds the relationships of xl/workbook.xml: targets are relative to xl/.
  const base = path.dirname(path.dirname(relsPart));
  const byId = new Map<string, { type: string; target: string }>();
  return {
    open(name: string, a: XmlAttributes) {
      if (name !== 'Relationship') return;
      const id = a.get('Id');
      const target = a.get('Target');
      if (!id || !target || a.get('TargetMode') === 'External') return;
      const resolved = target.startsWith('/') ? target.slice(1) : path.normalize(path.join(base, target));
      byId.set(id, { type: a.get('Type') ?? '', target: resolved });
    },
    close: noText,
    text: noText,
    result: () => ({ byId }),
  };
}

/** The officeDocument target of `_rels/.rels`: where the workbook part is. */
export function officeDocument(rels: Relationships): string | undefined {
  for (const r of rels.byId.values()) if (r.type.endsWith('/officeDocument')) return r.target;
  return undefined;
}

/** The first relationship of a type (`/sharedStrings`, `/styles`). */
export function relationshipOfType(rels: Relationships, type: string): string | undefined {
  for (const r of rels.byId.values()) if (r.type.endsWith(type)) return r.target;
  return undefined;
}

/** `xl/workbook.xml`: its sheets (name and relationship id) and whether dates count from 1904. */
export function workbookHandler(): Collector<{ sheets: { name: string; rid: string }[]; date1904: boolean }> {
  const sheets: { name: string; rid: string }[] = [];
  let date1904 = false;
  return {
    open(name: string, a: XmlAttributes) {
      if (name === 'workbookPr') {
        const v = a.get('date1904');
        date1904 = v === '1' || v === 'true';
      } else if (name === 'sheet') {
        // The relationship id is `r:id` with whatever prefix the namespace got: its local name is `id`.
        sheets.push({ name: a.get('name') ?? '', rid: a.get('id') ?? '' });
      }
    },
    close: noText,
    text: noText,
    result: () => ({ sheets, date1904 }),
  };
}

/**
 * `xl/styles.xml`: which cell styles (`<xf>` of `<cellXfs>`, by position) show dates, from their
 * number format — a custom `<numFmt>` of the workbook or a built-in one.
 */
export function stylesHandler(): Collector<Uint8Array> {
  const custom = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = false;
  return {
    open(name: string, a: XmlAttributes) {
      if (name === 'numFmt') {
        const id = Number(a.get('numFmtId'));
        const code = a.get('formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) formats.push(Number(a.get('numFmtId') ?? 0));
    },
    close(name: string) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text: noText,
    result: () => Uint8Array.from(formats, (id) => (isDateFormat(id, custom.get(id)) ? 1 : 0)),
  };
}
