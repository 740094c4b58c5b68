/**
 * A recursive-descent parser for the subset of Solr's Lucene syntax that CKAN clients send in
 * `package_search`'s `q` and `fq`: `field:value`, `-field:value` / `+field:value`, `AND` / `OR` /
 * `NOT` (also `&&`, `||`, `!`), parentheses, `field:(a OR b)`, quoted values with backslash
 * escapes, wildcards `*` and `?`, `*:*`, and ranges `[a TO b]` / `{a TO b}` with `*` bounds.
 * Juxtaposed clauses are ANDed: CKAN runs Solr with `q.op=AND`.
 *
 * Grammar (whitespace between tokens; `field` is `[A-Za-z_][A-Za-z0-9_.]*`):
 *   query   := or EOF
 *   or      := and (('OR' | '||') and)*
 *   and     := unary (('AND' | '&&')? unary)*
 *   unary   := ('NOT' | '!' | '-') unary | '+' unary | primary
 *   primary := '(' or ')' | field ':' value | '*:*' | value
 *   value   := '(' or ')' | range | '"' quoted '"' | word
 *   range   := ('[' | '{') bound 'TO' bound (']' | '}')
 */

export type FqNode =
  | { kind: 'all' }
  | { kind: 'and'; children: FqNode[] }
  | { kind: 'or'; children: FqNode[] }
  | { kind: 'not'; child: FqNode }
  /** `glob` is set when the value has unescaped `*` or `?` (literal ones stay escaped in it). */
  | { kind: 'term'; field: string | null; value: string; glob: string | null }
  | { kind: 'range'; field: string | null; lower: string | null; upper: string | null; includeLower: boolean; includeUpper: boolean };

export class FqSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at character ${position + 1})`);
  }
}

/** Longer filter strings and deeper nesting are refused: they are not queries a client writes. */
export const FQ_MAX_LENGTH = 8000;
const MAX_DEPTH = 64;

const FIELD = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Characters that end a bare word (unless escaped with a backslash). */
const WORD_END = new Set(['(', ')', '"', '[', ']', '{', '}']);

export function parseFq(source: string): FqNode {
  if (source.length > FQ_MAX_LENGTH) throw new FqSyntaxError(`The query is longer than ${FQ_MAX_LENGTH} characters`, FQ_MAX_LENGTH);
  const p = new Parser(source);
  p.skipWs();
  if (p.atEnd()) return { kind: 'all' };
  const node = p.parseOr(null, 0);
  p.skipWs();
  if (!p.atEnd()) {
    const c = p.peek();
    throw new FqSyntaxError(c === ')' ? 'Unbalanced parenthesis: ")" without "("' : `Unexpected "${c}"`, p.pos);
  }
  return node;
}

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  atEnd() {
    return this.pos >= this.src.length;
  }
  peek(offset = 0) {
    return this.src[this.pos + offset] ?? '';
  }
  skipWs() {
    while (!this.atEnd() && /\s/u.test(this.peek())) this.pos++;
  }

  /** Whether a keyword (AND, OR, NOT, TO) starts here as a whole word. */
  private keyword(word: string): boolean {
    if (!this.src.startsWith(word, this.pos)) return false;
    const next = this.src[this.pos + word.length] ?? '';
    return next === '' || /\s/u.test(next) || next === '(';
  }

  private operator(...ops: string[]): string | null {
    for (const op of ops) {
      if (/^[A-Z]+$/.test(op) ? this.keyword(op) : this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return null;
  }

  private startsClause(): boolean {
    this.skipWs();
    if (this.atEnd() || this.peek() === ')') return false;
    return !this.keyword('OR') && !this.keyword('AND') && !this.src.startsWith('||', this.pos) && !this.src.startsWith('&&', this.pos);
  }

  parseOr(field: string | null, depth: number): FqNode {
    if (depth > MAX_DEPTH) throw new FqSyntaxError(`Parentheses nest deeper than ${MAX_DEPTH}`, this.pos);
    const children = [this.parseAnd(field, depth)];
    for (;;) {
      this.skipWs();
      const at = this.pos;
      if (!this.operator('OR', '||')) break;
      if (!this.startsClause()) throw new FqSyntaxError('OR needs a clause after it', at);
      children.push(this.parseAnd(field, depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private parseAnd(field: string | null, depth: number): FqNode {
    this.skipWs();
    if (!this.startsClause()) throw new FqSyntaxError(this.atEnd() ? 'Expected a clause' : `Expected a clause before "${this.peek()}"`, this.pos);
    const children = [this.parseUnary(field, depth)];
    for (;;) {
      this.skipWs();
      const at = this.pos;
      const explicit = this.operator('AND', '&&');
      if (!this.startsClause()) {
        if (explicit) throw new FqSyntaxError('AND needs a clause after it', at);
        break;
      }
      children.push(this.parseUnary(field, depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private parseUnary(field: string | null, depth: number): FqNode {
    this.skipWs();
    const at = this.pos;
    if (this.operator('NOT', '!', '-')) {
      if (!this.startsClause()) throw new FqSyntaxError('NOT needs a clause after it', at);
      return { kind: 'not', child: this.parseUnary(field, depth) };
    }
    if (this.operator('+')) {
      if (!this.startsClause()) throw new FqSyntaxError('"+" needs a clause after it', at);
      return this.parseUnary(field, depth);
    }
    return this.parsePrimary(field, depth);
  }

  private parsePrimary(field: string | null, depth: number): FqNode {
    const c = this.peek();
    if (c === '(' || c === '[' || c === '{' || c === '"') return this.parseValue(field, depth);
    if (c === ']' || c === '}') throw new FqSyntaxError(`Unbalanced bracket: "${c}" without its opening bracket`, this.pos);
    const start = this.pos;
    const word = this.readWord(false);
    if (this.peek() === ':' && !word.escaped && FIELD.test(word.raw)) {
      this.pos++;
      if (this.atEnd() || /\s/u.test(this.peek())) throw new FqSyntaxError(`The field "${word.raw}" has no value after ":"`, this.pos);
      return this.parseValue(word.raw, depth);
    }
    if (word.raw === '*' && this.src.startsWith(':*', this.pos)) {
      this.pos += 2;
      return { kind: 'all' };
    }
    if (this.peek() === ':') throw new FqSyntaxError(`"${this.src.slice(start, this.pos)}" is not a field name`, start);
    return termNode(field, word);
  }

  private parseValue(field: string | null, depth: number): FqNode {
    const c = this.peek();
    if (c === '(') {
      const open = this.pos++;
      const node = this.parseOr(field, depth + 1);
      this.skipWs();
      if (this.peek() !== ')') throw new FqSyntaxError('Unbalanced parenthesis: "(" is never closed', open);
      this.pos++;
      return node;
    }
    if (c === '[' || c === '{') return this.parseRange(field);
    if (c === '"') {
      const value = this.readQuoted();
      return { kind: 'term', field, value, glob: null };
    }
    return termNode(field, this.readWord(true));
  }

  private parseRange(field: string | null): FqNode {
    const open = this.pos;
    const includeLower = this.peek() === '[';
    this.pos++;
    this.skipWs();
    const lower = this.readBound(open);
    this.skipWs();
    if (!this.keyword('TO')) throw new FqSyntaxError('A range needs "TO" between its bounds', this.pos);
    this.pos += 2;
    this.skipWs();
    const upper = this.readBound(open);
    this.skipWs();
    const close = this.peek();
    if (close !== ']' && close !== '}') throw new FqSyntaxError(`Unbalanced bracket: "${this.src[open]}" is never closed`, open);
    this.pos++;
    return { kind: 'range', field, lower, upper, includeLower, includeUpper: close === ']' };
  }

  /** A range bound: quoted, or a bare word that may contain ':' (dates); `*` is open. */
  private readBound(open: number): string | null {
    if (this.atEnd()) throw new FqSyntaxError(`Unbalanced bracket: "${this.src[open]}" is never closed`, open);
    if (this.peek() === '"') return this.readQuoted();
    let out = '';
    let escaped = false;
    while (!this.atEnd()) {
      const c = this.peek();
      if (/\s/u.test(c) || c === ']' || c === '}' || c === '[' || c === '{') break;
      if (c === '\\') {
        out += this.readEscape();
        escaped = true;
        continue;
      }
      out += c;
      this.pos++;
    }
    if (out === '') throw new FqSyntaxError('A range bound is empty', this.pos);
    return out === '*' && !escaped ? null : out;
  }

  private readQuoted(): string {
    const open = this.pos++;
    let out = '';
    while (!this.atEnd()) {
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        out += this.readEscape();
        continue;
      }
      out += c;
      this.pos++;
    }
    throw new FqSyntaxError('Unbalanced quote: a quoted value is never closed', open);
  }

  private readEscape(): string {
    const at = this.pos++;
    if (this.atEnd()) throw new FqSyntaxError('A backslash ends the query with nothing to escape', at);
    const c = this.src.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(c);
    this.pos += ch.length;
    return ch;
  }

  /**
   * A bare word up to whitespace or a bracket. `afterField` words (a field's value) may contain
   * ':' (times such as 2024-01-01T00:00:00Z); a leading word stops at ':' to find its field.
   * `glob` keeps literal wildcards escaped so only unescaped `*` / `?` match many characters.
   */
  private readWord(afterField: boolean): { raw: string; value: string; glob: string; wild: boolean; escaped: boolean } {
    const start = this.pos;
    let value = '';
    let glob = '';
    let wild = false;
    let escaped = false;
    while (!this.atEnd()) {
      const c = this.peek();
      if (/\s/u.test(c) || WORD_END.has(c) || (!afterField && c === ':')) break;
      if (c === '\\') {
        const ch = this.readEscape();
        value += ch;
        glob += ch === '*' || ch === '?' || ch === '\\' ? `\\${ch}` : ch;
        escaped = true;
        continue;
      }
      if (c === '*' || c === '?') wild = true;
      value += c;
      glob += c;
      this.pos++;
    }
    if (this.pos === start) throw new FqSyntaxError(this.atEnd() ? 'Expected a value' : `Unexpected "${this.peek()}"`, this.pos);
    return { raw: this.src.slice(start, this.pos), value, glob, wild, escaped };
  }
}

function termNode(field: string | null, word: { value: string; glob: string; wild: boolean }): FqNode {
  return { kind: 'term', field, value: word.value, glob: word.wild ? word.glob : null };
}

/** Every field a query names (for checking against the searchable fields). */
export function fieldsOf(node: FqNode, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const c of node.children) fieldsOf(c, out);
      break;
    case 'not':
      fieldsOf(node.child, out);
      break;
    case 'term':
    case 'range':
      if (node.field !== null) out.add(node.field);
      break;
    case 'all':
      break;
  }
  return out;
}
