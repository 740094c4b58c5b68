import { CoerceFailure, compileCellConverter, type CellValue, type CoercibleItem, type CoerceOptions } from './coerce.js';

export type RowCoerceResult = { ok: true; values: CellValue[] } | { ok: false; reason: string };

/**
 * Coerces whole rows into item order. `columnOf[i]` is the cell index holding item i, or -1
 * when the file lacks the item (its value is then null, or "required but empty").
 * A failing row's reason names every bad cell, so one reject says all that is wrong with it.
 */
export function compileRowCoercer(
  items: readonly CoercibleItem[],
  columnOf: readonly number[],
  options: CoerceOptions = {},
): (cells: readonly (string | null)[]) => RowCoerceResult {
  if (columnOf.length !== items.length) throw new RangeError('columnOf needs one entry per item');
  const converters = items.map((item) => compileCellConverter(item, options));
  const labels = items.map((item) => `${item.name} (${item.code})`);
  const count = items.length;
  return (cells) => {
    const values: CellValue[] = new Array<CellValue>(count);
    let problems: string[] | null = null;
    for (let i = 0; i < count; i++) {
      const at = columnOf[i]!;
      const v = converters[i]!(at < 0 ? null : cells[at]);
      if (v instanceof CoerceFailure) (problems ??= []).push(`${labels[i]}: ${v.reason}`);
      else values[i] = v;
    }
    return problems ? { ok: false, reason: problems.join('; ') } : { ok: true, values };
  };
}
