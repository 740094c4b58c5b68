import { UnreadableFileError } from './errors.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const RAW_LIMIT = 2000;

export type SplitPiece = { index: number; text: string } | { index: number; problem: string; raw: string };

/**
 * Splits the top-level array of a JSON document into element texts without parsing the whole
 * document: it only tracks strings, escapes and nesting depth, so a 1 GB array streams in
 * constant memory and each element is then JSON.parse'd alone. Element indexes are 1-based.
 */
export class JsonArraySplitter {
  pieces: SplitPiece[] = [];
  private state: 'before' | 'inside' | 'after' | 'abandoned' = 'before';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private hasContent = false;
  private parts: string[] = [];
  private partsLength = 0;
  private index = 0;
  private trailingReported = false;
  /** The current element passed the length limit: its text is no longer kept, only scanned to its end. */
  private oversized = false;

  constructor(private readonly maxElementLength: number) {}

  take(): SplitPiece[] {
    const out = this.pieces;
    this.pieces = [];
    return out;
  }

  push(chunk: string): void {
    let i = 0;
    const len = chunk.length;
    if (this.state === 'before') {
      while (i < len && isSpace(chunk.charCodeAt(i))) i++;
      if (i === len) return;
      const c = chunk.charCodeAt(i);
      if (c !== OPEN_BRACKET) {
        const hint = c === OPEN_BRACE ? ' (for one object per line, upload it as NDJSON)' : '';
        throw new UnreadableFileError(`a JSON file must hold a top-level array of objects, but it starts with '${chunk[i]}'${hint}`);
      }
      this.state = 'inside';
      i++;
    }
    if (this.state === 'after') {
      this.checkTrailing(chunk, i);
      return;
    }
    if (this.state !== 'inside') return;

    let start = i;
    for (; i < len; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.hasContent = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
        this.hasContent = true;
      } else if (c === CLOSE_BRACE || (c === CLOSE_BRACKET && this.depth > 0)) {
        this.depth--;
      } else if (c === CLOSE_BRACKET) {
        // Closing bracket of the top-level array; a trailing comma before it is forgiven.
        if (this.hasContent) this.finishElement(chunk, start, i);
        this.state = 'after';
        this.checkTrailing(chunk, i + 1);
        return;
      } else if (c === COMMA && this.depth === 0) {
        this.finishElement(chunk, start, i);
        start = i + 1;
      } else if (!isSpace(c)) {
        this.hasContent = true;
      }
    }
    if (start < len && !this.oversized) {
      this.parts.push(chunk.slice(start));
      this.partsLength += len - start;
      if (this.partsLength > this.maxElementLength) this.skip();
    }
  }

  end(): void {
    if (this.state === 'before') throw new UnreadableFileError('the JSON file is empty: expected a top-level array of objects');
    if (this.state !== 'inside') return;
    const raw = this.parts.join('').slice(0, RAW_LIMIT);
    this.index++;
    const problem = this.oversized
      ? `element longer than ${this.maxElementLength} characters, and the file ends inside it (an unclosed string?)`
      : this.hasContent
        ? 'the file ends inside this element: it is truncated'
        : "the top-level array is never closed with ']': the file may be truncated";
    this.pieces.push({ index: this.index, problem, raw });
    this.state = 'abandoned';
  }

  private finishElement(chunk: string, start: number, end: number): void {
    this.index++;
    if (this.oversized) {
      this.pieces.push({ index: this.index, problem: `element longer than ${this.maxElementLength} characters`, raw: this.parts.join('') });
      this.parts = [];
      this.oversized = false;
      this.hasContent = false;
      return;
    }
    let text = chunk.slice(start, end);
    if (this.parts.length > 0) {
      text = this.parts.join('') + text;
      this.parts = [];
      this.partsLength = 0;
    }
    if (text.length > this.maxElementLength) {
      this.pieces.push({ index: this.index, problem: `element longer than ${this.maxElementLength} characters`, raw: text.slice(0, RAW_LIMIT) });
    } else if (this.hasContent) this.pieces.push({ index: this.index, text });
    else this.pieces.push({ index: this.index, problem: 'empty array element', raw: text });
    this.hasContent = false;
  }

  /**
   * Memory stays bounded: the element's text is dropped (its start kept for the reject) while the
   * scan goes on tracking strings and nesting, so the next element is read as usual. An unclosed
   * string swallows the rest of the file and is reported at its end.
   */
  private skip(): void {
    this.parts = [this.parts.join('').slice(0, RAW_LIMIT)];
    this.partsLength = 0;
    this.oversized = true;
  }

  private checkTrailing(chunk: string, from: number): void {
    if (this.trailingReported) return;
    for (let i = from; i < chunk.length; i++) {
      if (!isSpace(chunk.charCodeAt(i))) {
        this.trailingReported = true;
        this.pieces.push({ index: this.index + 1, problem: 'content after the end of the top-level array was ignored', raw: chunk.slice(i, i + RAW_LIMIT) });
        return;
      }
    }
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}
