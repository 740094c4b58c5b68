import { CoerceFailure, compileCellConverter } from '../parsing/coerce.js';
import { headerSynonyms } from '../mappings/header-synonyms.js';
import { explicitOf } from '../mappings/saved-mapping.js';
import { mapHeader, type SynonymGroups } from '../parsing/header-mapping.js';
import type { Converters } from './load-records.js';
import { unstorableReason } from './storable-text.js';

/** The parsing module's header mapping (with these synonyms) and typed coercion, as the loader consumes them. */
export function createConverters(synonyms: SynonymGroups): Converters {
  return {
    coercerFor(column) {
      const coerce = compileCellConverter({
        code: column.column,
        name: column.name,
        dataType: column.dataType,
        length: column.length,
        precision: column.precision,
        nullable: column.nullable,
        primaryKey: column.primaryKey,
      });
      if (column.dataType === 'STRING' || column.dataType === 'TEXT') {
        // The other types' parsers refuse such characters on their own.
        return (cell) => {
          const v = coerce(cell);
          if (typeof v !== 'string') return v;
          const problem = unstorableReason(v);
          return problem === null ? v : new CoerceFailure(problem);
        };
      }
      if (column.dataType !== 'BINARY') return coerce;
      // Drivers bind Buffers, not bare Uint8Arrays.
      return (cell) => {
        const v = coerce(cell);
        return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v;
      };
    },
    mapHeader(header, columns, mapping) {
      const m = mapHeader(
        header,
        columns.map((c) => ({ code: c.column, name: c.name, nameEn: c.nameEn, dataElement: c.dataElement, primaryKey: c.primaryKey, nullable: c.nullable })),
        explicitOf(mapping),
        { synonyms },
      );
      return {
        indexes: m.columnOf,
        unmappedHeaders: m.unmappedHeaders.map((h) => h.header),
        ambiguous: m.duplicates.map((d) => `'${d.header}' and '${header[d.firstIndex] ?? ''}' both map to ${d.itemCode}`),
      };
    },
  };
}

/** With the shipped synonyms only (tests, benchmarks; a platform's own list comes with the job). */
export const defaultConverters: Converters = createConverters(headerSynonyms());
