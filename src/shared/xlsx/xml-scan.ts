import { workbookMalformed, workbookTooLarge, type XlsxLimits } from './limits.js';

/** What a part is to exceljs: its worksheets and shared strings get their own counts. */
export type PartKind = 'worksheet' | 'sharedStrings' | 'other';

/** Counts shared by every part of one workbook. */
export type WorkbookCounts = { sharedStrings: number; sharedCharacters: number };

const enum S {
  Text,
  Lt,
  Name,
  Tag,
  AttrName,
  AttrEq,
  AttrValue,
  Slash,
  Close,
  Pi,
  Bang,
  Comment,
  Cdata,
}

const LT = 0x3c,
  GT = 0x3e,
  SLASH = 0x2f,
  QMARK = 0x3f,
  BANG = 0x21,
  EQ = 0x3d,
  DQ = 0x22,
  SQ = 0x27,
  COLON = 0x3a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const NAME_ROW = 1,
  NAME_C = 2,
  NAME_SI = 3,
  NAME_OTHER = 0;

/**
 * A byte-level XML tokenizer that keeps nothing but counters: nesting depth, text length, rows
 * and cells of a worksheet, strings and characters of the shared strings. It sees every byte
 * before exceljs does and throws an AppError at the first limit passed, so a hostile part costs
 * at most the bytes read up to that limit. It is not a validating parser: exceljs (saxes) still
 * parses what passes.
 */
export class XmlScan {
  private state = S.Text;
  private depth = 0;
  private text = 0;
  /** The first three bytes of the local name of the tag being read, and its length. */
  private nameCode = 0;
  private nameBytes = 0;
  /** 1 while the value of an `r` attribute (a cell or row reference) is read. */
  private attr = 0;
  private attrBytes = 0;
  private attrFirst = 0;
  private quote = 0;
  private refLetters = 0;
  private refDigits = 0;
  private hasRef = false;
  private prev1 = 0;
  private prev2 = 0;
  private bang = '';
  private rowDepth = -1;
  private rows = 0;
  private cells = 0;

  constructor(
    private readonly part: string,
    private readonly kind: PartKind,
    private readonly limits: XlsxLimits,
    private readonly counts: WorkbookCounts,
  ) {}

  write(buf: Uint8Array): void {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      switch (this.state) {
        case S.Text:
          if (b === LT) {
            this.state = S.Lt;
            this.text = 0;
          } else if ((b & 0xc0) !== 0x80) this.char();
          break;
        case S.Lt:
          if (b === SLASH) this.state = S.Close;
          else if (b === QMARK) this.state = S.Pi;
          else if (b === BANG) {
            this.state = S.Bang;
            this.bang = '';
          } else {
            this.state = S.Name;
            this.nameBytes = 0;
            this.nameCode = 0;
            this.nameByte(b);
          }
          break;
        case S.Name:
          if (b === GT) this.open(false);
          else if (b === SLASH) this.state = S.Slash;
          else if (isSpace(b)) this.state = S.Tag;
          else this.nameByte(b);
          break;
        case S.Tag:
          if (b === GT) this.open(false);
          else if (b === SLASH) this.state = S.Slash;
          else if (!isSpace(b)) {
            this.state = S.AttrName;
            this.attrFirst = b;
            this.attrBytes = 1;
          }
          break;
        case S.AttrName:
          if (b === EQ || isSpace(b)) {
            this.state = S.AttrEq;
            this.attr = this.attrBytes === 1 && this.attrFirst === 0x72 ? 1 : 0;
          } else if (b === GT) this.open(false);
          else if (b === SLASH) this.state = S.Slash;
          else this.attrBytes++;
          break;
        case S.AttrEq:
          if (b === DQ || b === SQ) {
            this.state = S.AttrValue;
            this.quote = b;
            this.refLetters = 0;
            this.refDigits = 0;
            if (this.attr === 1) this.hasRef = true;
          } else if (b === GT) this.open(false);
          break;
        case S.AttrValue:
          if (b === this.quote) this.state = S.Tag;
          else if (this.attr === 1) this.refByte(b);
          break;
        case S.Slash:
          if (b === GT) this.open(true);
          else if (!isSpace(b)) this.state = S.Tag;
          break;
        case S.Close:
          if (b === GT) this.close();
          break;
        case S.Pi:
          if (b === GT && this.prev1 === QMARK) this.state = S.Text;
          break;
        case S.Bang:
          this.bang += String.fromCharCode(b);
          if (this.bang === '--') this.state = S.Comment;
          else if (this.bang === '[CDATA[') this.state = S.Cdata;
          else if (this.bang.length >= 7 || !('--'.startsWith(this.bang) || '[CDATA['.startsWith(this.bang))) {
            throw workbookMalformed(`${this.part} declares a DTD or holds markup a workbook never has`);
          }
          break;
        case S.Comment:
          if (b === GT && this.prev1 === 0x2d && this.prev2 === 0x2d) this.state = S.Text;
          break;
        case S.Cdata:
          if (b === GT && this.prev1 === 0x5d && this.prev2 === 0x5d) {
            this.state = S.Text;
            this.text = 0;
          } else if ((b & 0xc0) !== 0x80) this.char();
          break;
      }
      this.prev2 = this.prev1;
      this.prev1 = b;
    }
  }

  /** The part ended: an unterminated tag or open elements mean a truncated or damaged part. */
  end(): void {
    if (this.state !== S.Text || this.depth !== 0) throw workbookMalformed(`${this.part} ends in the middle of its XML`);
  }

  private char(): void {
    if (++this.text > this.limits.maxTextLength) {
      throw workbookTooLarge(
        `holds a text of more than ${this.limits.maxTextLength.toLocaleString('en-US')} characters in ${this.part}`,
        this.limits.maxTextLength,
        'characters',
      );
    }
    if (this.kind === 'sharedStrings' && ++this.counts.sharedCharacters > this.limits.maxSharedStringCharacters) {
      throw workbookTooLarge('has too many characters of shared strings', this.limits.maxSharedStringCharacters, 'characters');
    }
  }

  private nameByte(b: number): void {
    if (b === COLON) {
      this.nameBytes = 0; // a prefix: the local name follows
      this.nameCode = 0;
    } else if (++this.nameBytes <= 3) this.nameCode = this.nameCode * 256 + b;
  }

  /** Digits and letters of an `r` attribute: A1-style on a cell, a number on a row. */
  private refByte(b: number): void {
    if (b >= 0x41 && b <= 0x5a) {
      if (this.refLetters <= this.limits.maxColumns) this.refLetters = this.refLetters * 26 + (b - 0x40);
    } else if (b >= 0x30 && b <= 0x39) {
      if (this.refDigits <= this.limits.maxRows) this.refDigits = this.refDigits * 10 + (b - 0x30);
    }
  }

  private open(selfClosing: boolean): void {
    this.state = S.Text;
    this.text = 0;
    const depth = this.depth + 1;
    if (depth > this.limits.maxDepth) throw workbookMalformed(`${this.part} nests elements deeper than ${this.limits.maxDepth} levels`);
    const name =
      this.nameBytes === 1 && this.nameCode === 0x63
        ? NAME_C
        : this.nameBytes === 2 && this.nameCode === 0x7369
          ? NAME_SI
          : this.nameBytes === 3 && this.nameCode === 0x726f77
            ? NAME_ROW
            : NAME_OTHER;
    if (this.kind === 'worksheet') this.sheetElement(name);
    else if (this.kind === 'sharedStrings' && name === NAME_SI && ++this.counts.sharedStrings > this.limits.maxSharedStrings) {
      throw workbookTooLarge('has too many shared strings', this.limits.maxSharedStrings, 'shared strings');
    }
    this.refLetters = 0;
    this.refDigits = 0;
    this.hasRef = false;
    this.attr = 0;
    if (selfClosing) {
      if (this.rowDepth === depth) this.rowDepth = -1;
    } else this.depth = depth;
  }

  private sheetElement(name: number): void {
    const L = this.limits;
    if (name === NAME_ROW && this.rowDepth < 0) {
      this.rowDepth = this.depth + 1;
      this.cells = 0;
      if (++this.rows > L.maxRows) throw workbookTooLarge(`has more than ${L.maxRows.toLocaleString('en-US')} rows in ${this.part}`, L.maxRows, 'rows');
      if (this.refDigits > L.maxRows) throw workbookTooLarge(`has a row numbered past ${L.maxRows.toLocaleString('en-US')}`, L.maxRows, 'rows');
    } else if (name === NAME_C && this.rowDepth === this.depth) {
      if (++this.cells > L.maxColumns)
        throw workbookTooLarge(`has a row of more than ${L.maxColumns.toLocaleString('en-US')} cells in ${this.part}`, L.maxColumns, 'columns');
      if (this.refLetters > L.maxColumns)
        throw workbookTooLarge(`has a cell past column ${L.maxColumns.toLocaleString('en-US')} (XFD)`, L.maxColumns, 'columns');
      if (this.refDigits > L.maxRows) throw workbookTooLarge(`has a cell in a row numbered past ${L.maxRows.toLocaleString('en-US')}`, L.maxRows, 'rows');
      // exceljs fails with an internal TypeError on a cell without its reference: say what is wrong instead.
      if (!this.hasRef) throw workbookMalformed(`a cell of ${this.part} has no reference (the r attribute, e.g. r="B2")`);
    }
  }

  private close(): void {
    this.state = S.Text;
    this.text = 0;
    if (this.depth === 0) throw workbookMalformed(`${this.part} closes an element it never opened`);
    if (this.rowDepth === this.depth) this.rowDepth = -1;
    this.depth--;
  }
}
