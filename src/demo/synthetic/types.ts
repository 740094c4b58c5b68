import type { DataType } from '../../modules/catalog/codes.js';
import type { Firm } from './firms.js';
import type { Person } from './people.js';
import type { Street } from './places.js';
import type { Random } from './random.js';

/** What the generator needs of a data item (the catalogue's item fields). */
export type SyntheticItem = {
  code: string;
  name: string;
  dataType: DataType;
  length: number | null;
  precision: number | null;
  primaryKey: boolean;
  nullable: boolean;
  codeSet: string | null;
  description: string | null;
};

export type Authority = { name: string; uscc: string };

/** A catalogued resource to fill, with the department that provides it. */
export type SyntheticResource = {
  code: string;
  name: string;
  items: readonly SyntheticItem[];
  provider: Authority & { regionCode: string };
};

/**
 * One row being generated. The row's subject is the `major`-th value of its main key (a person,
 * a firm, a station …); lazily made parts (person, firm, place, day) are the same for every item
 * of the row, so a name matches its ID number and an address its township code.
 */
export type RowContext = {
  readonly rnd: Random;
  readonly resource: SyntheticResource;
  readonly major: number;
  /** Whom the rows describe: people (an ID number item), firms (a USCC item) or other things. */
  readonly subject: 'person' | 'firm' | 'other';
  /** Facts a finite key value brings along: a station's name, a township's name. */
  readonly attrs: Readonly<Record<string, string>>;
  person(): Person;
  firm(): Firm;
  /** A firm that employs the row's person: the same one for every row of that person. */
  employer(): Firm;
  street(): Street;
  /** The row's event day (days since 1970-01-01). */
  day(): number;
  /** The provider department, or its district counterpart. */
  authority(): Authority;
  once<T>(key: string, make: () => T): T;
  /** A value already generated for an earlier item of this row. */
  get(code: string): string | undefined;
};

export type ValueFn = (c: RowContext, item: SyntheticItem) => string;
