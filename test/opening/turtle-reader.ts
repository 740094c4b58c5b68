/**
 * A strict reader for the Turtle subset the DCAT export writes (prefix lines; subject blocks of
 * `predicate object, object ;` ending in `.`; IRIs, prefixed names, `_:` blank nodes, `a`,
 * string literals with ECHAR/UCHAR escapes and @lang or ^^datatype). Written independently of the
 * writer so a round trip proves the escaping; anything else is a parse error.
 */
export type Triple = { s: string; p: string; o: string };

// IRIREF excludes controls too; whitespace stands for them here (the writer never emits a raw control).
const TOKEN =
  /\s*(?:(@prefix)|(<[^<>"{}|^`\\\s]*>)|("(?:[^"\\\n\r]|\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*")(?:@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\^\^(\S+?(?=\s|;|,|\.\s|\.$)))?|(_:[A-Za-z0-9]+)|([A-Za-z][\w-]*:[A-Za-z_][\w-]*|[A-Za-z][\w-]*:)|(\ba\b)|([;,.]))/y;

const TRAILING = /\s*$/y;

function unescape(body: string): string {
  return body.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e: string) => {
    if (e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ({ t: '\t', b: '\b', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

export function readTurtle(src: string): { prefixes: Record<string, string>; triples: Triple[] } {
  const tokens: { kind: string; text: string; extra?: string }[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    TRAILING.lastIndex = pos;
    if (TRAILING.test(src)) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`Turtle: cannot read at ${pos}: ${JSON.stringify(src.slice(pos, pos + 40))}`);
    pos = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: 'prefix', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'iri', text: m[2].slice(1, -1) });
    else if (m[3]) tokens.push({ kind: 'lit', text: unescape(m[3].slice(1, -1)), extra: m[4] ? `@${m[4]}` : m[5] ? `^^${m[5]}` : '' });
    else if (m[6]) tokens.push({ kind: 'blank', text: m[6] });
    else if (m[7]) tokens.push({ kind: 'pname', text: m[7] });
    else if (m[8]) tokens.push({ kind: 'a', text: 'a' });
    else tokens.push({ kind: 'punct', text: m[9]! });
  }
  const prefixes: Record<string, string> = {};
  const triples: Triple[] = [];
  let i = 0;
  const next = () => tokens[i++] ?? { kind: 'eof', text: '' };
  const resolve = (t: { kind: string; text: string; extra?: string }): string => {
    if (t.kind === 'iri' || t.kind === 'blank') return t.text;
    if (t.kind === 'a') return 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
    if (t.kind === 'pname') {
      const [p, local] = t.text.split(/:(.*)/s) as [string, string];
      if (!(p in prefixes)) throw new Error(`Turtle: undeclared prefix ${p}`);
      return prefixes[p] + local;
    }
    if (t.kind === 'lit') {
      const ex = t.extra ?? '';
      return `"${t.text}"${ex.startsWith('^^') ? `^^${resolve({ kind: ex.slice(2).startsWith('<') ? 'iri' : 'pname', text: ex.slice(2).replace(/^<|>$/g, '') })}` : ex}`;
    }
    throw new Error(`Turtle: unexpected ${t.kind} ${t.text}`);
  };
  while (i < tokens.length) {
    const t = next();
    if (t.kind === 'prefix') {
      const name = next();
      const ns = next();
      if (name.kind !== 'pname' || !name.text.endsWith(':') || ns.kind !== 'iri' || next().text !== '.') throw new Error('Turtle: bad @prefix');
      prefixes[name.text.slice(0, -1)] = ns.text;
      continue;
    }
    const s = resolve(t);
    for (;;) {
      const p = resolve(next());
      for (;;) {
        const o = next();
        if (o.kind === 'punct') throw new Error(`Turtle: object expected, got ${o.text}`);
        triples.push({ s, p, o: resolve(o) });
        const sep = next();
        if (sep.text === ',') continue;
        if (sep.text === ';') break;
        if (sep.text === '.') break;
        throw new Error(`Turtle: "," ";" or "." expected, got ${sep.text}`);
      }
      if (tokens[i - 1]!.text === '.') break;
    }
  }
  return { prefixes, triples };
}
