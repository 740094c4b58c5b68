import { compact, RDF_TYPE, wellFormed, type Graph, type RdfObject, type Subject } from './rdf.js';
import { NS } from './vocabularies.js';

/**
 * Turtle 1.1 (W3C) for a Graph: the prefixes, then one block per subject (`a` for rdf:type).
 * Literals escape `\`, `"`, line breaks and every other control character; IRIs percent-encode
 * what IRIREF forbids (space, <>"{}|^`\ and controls); lone surrogates become U+FFFD, as UTF-8
 * cannot carry them.
 */
export function escapeLiteral(value: string): string {
  let out = '';
  for (const ch of wellFormed(value)) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

export function escapeIri(value: string): string {
  let out = '';
  for (const ch of wellFormed(value)) {
    const c = ch.codePointAt(0)!;
    if (c <= 0x20 || c === 0x7f || '<>"{}|^`\\'.includes(ch)) {
      out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    } else out += ch;
  }
  return `<${out}>`;
}

const LANG = /^[a-zA-Z]+(-[a-zA-Z0-9]+)*$/;

function iriOrName(value: string): string {
  return compact(value) ?? escapeIri(value);
}

function subject(s: Subject): string {
  return s.kind === 'blank' ? `_:${s.value}` : iriOrName(s.value);
}

function object(o: RdfObject): string {
  if (o.kind !== 'literal') return subject(o);
  const body = `"${escapeLiteral(o.value)}"`;
  if (o.lang && LANG.test(o.lang)) return `${body}@${o.lang}`;
  if (o.datatype) return `${body}^^${iriOrName(o.datatype)}`;
  return body;
}

export function toTurtle(graph: Graph): string {
  const lines = Object.entries(NS).map(([prefix, ns]) => `@prefix ${prefix}: ${escapeIri(ns)} .`);
  for (const node of graph.list()) {
    const props = [...node.props].sort(([a], [b]) => (a === RDF_TYPE ? -1 : b === RDF_TYPE ? 1 : 0));
    const body = props.map(([p, objects]) => `    ${p === RDF_TYPE ? 'a' : iriOrName(p)} ${objects.map(object).join(', ')}`);
    lines.push('', `${subject(node.subject)}\n${body.join(' ;\n')} .`);
  }
  return lines.join('\n') + '\n';
}
