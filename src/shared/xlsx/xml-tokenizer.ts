import { workbookMalformed, workbookTooLarge, type XlsxLimits } from './limits.js';

/**
 * The XML events a part's reader handles. Names are local (a prefix such as `x:` is dropped);
 * a self-closing element is an open followed by a close. Text comes as a byte range of UTF-8,
 * whole (never cut inside a character), entities not yet decoded unless `cdata`: readers decode
 * only the text they keep (`xmlText`).
 */
export interface XmlHandler {
  open(name: string, attrs: XmlAttributes): void;
  close(name: string): void;
  text(src: Buffer, start: number, end: number, cdata: boolean): void;
}

const LT = 0x3c,
  GT = 0x3e,
  SLASH = 0x2f,
  QMARK = 0x3f,
  BANG = 0x21,
  EQ = 0x3d,
  DQ = 0x22,
  SQ = 0x27,
  COLON = 0x3a,
  AMP = 0x26;
/** Short element names the part readers switch on (string literals, so comparisons find the same string). */
const KNOWN_NAMES = new Map(['c', 'v', 't', 'f', 'r', 'is', 'si', 'row', 'rPh', 'xf'].map((n) => [n, n]));
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const EMPTY = Buffer.alloc(0);

/** The attributes of the element being opened; valid only during `open`. */
export class XmlAttributes {
  src: Buffer = EMPTY;
  count = 0;
  /** Per attribute: local name start, name end, value start, value end. */
  readonly at: number[] = [];

  /** The index of the attribute whose local name is `name`, or -1. */
  index(name: string): number {
    const src = this.src;
    const len = name.length;
    for (let i = 0; i < this.count; i++) {
      const s = this.at[4 * i]!;
      if (this.at[4 * i + 1]! - s !== len) continue;
      let k = 0;
      while (k < len && src[s + k] === name.charCodeAt(k)) k++;
      if (k === len) return i;
    }
    return -1;
  }

  get(name: string): string | undefined {
    const i = this.index(name);
    return i < 0 ? undefined : xmlText(this.src, this.at[4 * i + 2]!, this.at[4 * i + 3]!);
  }

  valueStart(i: number): number {
    return this.at[4 * i + 2]!;
  }

  valueEnd(i: number): number {
    return this.at[4 * i + 3]!;
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** UTF-8 text with XML's entities and character references decoded. */
export function xmlText(src: Buffer, start: number, end: number): string {
  const text = src.toString('utf8', start, end);
  // A loop over the range: indexOf would search on to the end of the piece when there is no '&'.
  let amp = start;
  while (amp < end && src[amp] !== AMP) amp++;
  if (amp === end) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * A SAX-style tokenizer for the subset of XML a spreadsheet's parts use: elements, attributes,
 * text, CDATA, comments and processing instructions; a DTD is refused (no entity expansion).
 * It works on bytes and builds no string it is not asked for: short element names are interned, so a sheet's millions of `<c>`/`<v>` cost no strings. It
 * enforces the workbook limits that concern any XML part: nesting depth and the length of one
 * text node. Hand-written rather than saxes (an exceljs dependency, not ours): saxes builds a
 * string for every name, attribute and text node, which is most of exceljs's time per row.
 */
export class XmlTokenizer {
  private rest: Buffer = EMPTY;
  private readonly stack: string[] = [];
  private readonly attrs = new XmlAttributes();
  private readonly names = new Map<number, string>();
  /** Longest unfinished token kept between pieces: a text node at its limit in 4-byte characters. */
  private readonly maxPending: number;

  constructor(
    private readonly part: string,
    private readonly handler: XmlHandler,
    private readonly limits: XlsxLimits,
  ) {
    this.maxPending = 4 * limits.maxTextLength + 64 * 1024;
  }

  write(piece: Buffer): void {
    const b = this.rest.length ? Buffer.concat([this.rest, piece]) : piece;
    const n = b.length;
    let p = 0;
    while (p < n) {
      // A loop, not indexOf: the text between a sheet's tags is a few bytes, shorter than a native call costs.
      let lt = p;
      while (lt < n && b[lt] !== LT) lt++;
      if (lt === n) break;
      if (lt > p) this.text(b, p, lt, false);
      const next = this.tag(b, lt);
      if (next < 0) {
        p = lt;
        break;
      }
      p = next;
    }
    if (n - p > this.maxPending) this.tooLong();
    this.rest = p < n ? b.subarray(p) : EMPTY;
  }

  /** The part ended: an unterminated tag or open elements mean a truncated or damaged part. */
  end(): void {
    let p = 0;
    while (p < this.rest.length && isSpace(this.rest[p]!)) p++;
    if (p < this.rest.length || this.stack.length > 0) throw workbookMalformed(`${this.part} ends in the middle of its XML`);
  }

  private text(b: Buffer, start: number, end: number, cdata: boolean): void {
    if (end - start > this.limits.maxTextLength) {
      let chars = 0;
      for (let i = start; i < end; i++) if ((b[i]! & 0xc0) !== 0x80) chars++;
      if (chars > this.limits.maxTextLength) this.tooLong();
    }
    if (this.stack.length > 0) this.handler.text(b, start, end, cdata);
  }

  private tooLong(): never {
    const max = this.limits.maxTextLength;
    throw workbookTooLarge(`holds a text of more than ${max.toLocaleString('en-US')} characters in ${this.part}`, max, 'characters');
  }

  private malformed(what: string): never {
    throw workbookMalformed(`${this.part} is not well-formed XML (${what})`);
  }

  /** Reads the markup at `lt`; the position after it, or -1 when it is not complete yet. */
  private tag(b: Buffer, lt: number): number {
    const n = b.length;
    const i = lt + 1;
    if (i >= n) return -1;
    const first = b[i]!;
    if (first === SLASH) {
      let gt = i;
      while (gt < n && b[gt] !== GT) gt++;
      if (gt === n) return -1;
      let e = i + 1;
      while (e < gt && !isSpace(b[e]!)) e++;
      this.closeElement(this.name(b, i + 1, e));
      return gt + 1;
    }
    if (first === QMARK) {
      const end = b.indexOf('?>', i);
      return end < 0 ? -1 : end + 2;
    }
    if (first === BANG) {
      if (n - i < 3) return -1;
      if (b[i + 1] === 0x2d && b[i + 2] === 0x2d) {
        const end = b.indexOf('-->', i + 3);
        return end < 0 ? -1 : end + 3;
      }
      if (n - i < 8) return -1;
      if (b.toString('latin1', i + 1, i + 8) === '[CDATA[') {
        const end = b.indexOf(']]>', i + 8);
        if (end < 0) return -1;
        this.text(b, i + 8, end, true);
        return end + 3;
      }
      throw workbookMalformed(`${this.part} declares a DTD or holds markup a workbook never has`);
    }
    let e = i;
    while (e < n) {
      const x = b[e]!;
      if (x === GT || x === SLASH || isSpace(x)) break;
      e++;
    }
    if (e >= n) return -1;
    if (e === i) this.malformed('a tag without a name');
    const attrs = this.attrs;
    attrs.src = b;
    attrs.count = 0;
    let p = e;
    for (;;) {
      while (p < n && isSpace(b[p]!)) p++;
      if (p >= n) return -1;
      const x = b[p]!;
      if (x === GT) {
        this.openElement(this.name(b, i, e), false);
        return p + 1;
      }
      if (x === SLASH) {
        if (p + 1 >= n) return -1;
        if (b[p + 1] !== GT) this.malformed("a '/' inside a tag");
        this.openElement(this.name(b, i, e), true);
        return p + 2;
      }
      let local = p;
      const start = p;
      while (p < n) {
        const y = b[p]!;
        if (y === EQ || y === GT || y === SLASH || isSpace(y)) break;
        if (y === COLON) local = p + 1;
        p++;
      }
      const nameEnd = p;
      while (p < n && isSpace(b[p]!)) p++;
      if (p >= n) return -1;
      if (b[p] !== EQ || nameEnd === start) this.malformed('an attribute without a value');
      p++;
      while (p < n && isSpace(b[p]!)) p++;
      if (p >= n) return -1;
      const quote = b[p]!;
      if (quote !== DQ && quote !== SQ) this.malformed('an attribute value without quotes');
      let close = p + 1;
      while (close < n && b[close] !== quote) close++;
      if (close === n) return -1;
      const k = 4 * attrs.count++;
      attrs.at[k] = local;
      attrs.at[k + 1] = nameEnd;
      attrs.at[k + 2] = p + 1;
      attrs.at[k + 3] = close;
      p = close + 1;
    }
  }

  /** The local name of bytes [s, e): names of up to 3 bytes are interned, so they cost nothing. */
  private name(b: Buffer, s: number, e: number): string {
    for (let k = e - 1; k >= s; k--) {
      if (b[k] === COLON) {
        s = k + 1;
        break;
      }
    }
    const len = e - s;
    if (len > 3 || len === 0) return b.toString('utf8', s, e);
    // Length and up to 3 bytes: a small integer, so the lookup allocates nothing.
    let key = len;
    for (let k = s; k < e; k++) key = (key << 8) | b[k]!;
    let name = this.names.get(key);
    if (name === undefined) {
      const text = b.toString('utf8', s, e);
      // The literal the handlers compare with, when it is one of theirs: equal strings, one object.
      name = KNOWN_NAMES.get(text) ?? text;
      this.names.set(key, name);
    }
    return name;
  }

  private openElement(name: string, selfClosing: boolean): void {
    if (this.stack.length + 1 > this.limits.maxDepth) {
      throw workbookMalformed(`${this.part} nests elements deeper than ${this.limits.maxDepth} levels`);
    }
    this.stack.push(name);
    this.handler.open(name, this.attrs);
    if (selfClosing) this.closeElement(name);
  }

  private closeElement(name: string): void {
    const open = this.stack.pop();
    if (open === undefined) this.malformed(`it closes <${name}>, which it never opened`);
    if (open !== name) this.malformed(`it closes <${name}> where <${open}> is open`);
    this.handler.close(name);
  }
}
