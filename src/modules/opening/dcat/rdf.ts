import { NS, type Prefix } from './vocabularies.js';

/**
 * A small RDF graph: IRIs, blank nodes and literals (with a language or a datatype), grouped by
 * subject in insertion order so the Turtle and JSON-LD writers print each node once, in a
 * stable order.
 */
export type Iri = { kind: 'iri'; value: string };
export type Blank = { kind: 'blank'; value: string };
export type Literal = { kind: 'literal'; value: string; lang?: string; datatype?: string };
export type Subject = Iri | Blank;
export type RdfObject = Iri | Blank | Literal;

export const iri = (value: string): Iri => ({ kind: 'iri', value });
/** A prefixed name (`dcat:Dataset`) as an IRI. */
export const term = (curie: `${Prefix}:${string}`): Iri => {
  const [prefix, local] = curie.split(/:(.*)/s) as [Prefix, string];
  return iri(NS[prefix] + local);
};
export const text = (value: string, lang = 'zh'): Literal => ({ kind: 'literal', value, lang });
export const plain = (value: string): Literal => ({ kind: 'literal', value });
export const typed = (value: string, xsdType: string): Literal => ({ kind: 'literal', value, datatype: NS.xsd + xsdType });

export const RDF_TYPE = NS.rdf + 'type';

export type Node = { subject: Subject; props: Map<string, RdfObject[]> };

export class Graph {
  private readonly nodes = new Map<string, Node>();
  private blanks = 0;

  blank(): Blank {
    return { kind: 'blank', value: `b${++this.blanks}` };
  }

  /** Adds a triple; the predicate is a full IRI or a prefixed name. Null objects are skipped. */
  add(subject: Subject, predicate: string, object: RdfObject | null | undefined): this {
    if (!object) return this;
    const key = `${subject.kind}:${subject.value}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = { subject, props: new Map() };
      this.nodes.set(key, node);
    }
    const p = expand(predicate);
    const list = node.props.get(p) ?? [];
    if (!list.some((o) => sameTerm(o, object))) list.push(object);
    node.props.set(p, list);
    return this;
  }

  list(): Node[] {
    return [...this.nodes.values()];
  }
}

export function expand(name: string): string {
  const m = /^([a-z]+):(.*)$/s.exec(name);
  if (m && Object.hasOwn(NS, m[1]!)) return NS[m[1] as Prefix] + m[2]!;
  return name;
}

function sameTerm(a: RdfObject, b: RdfObject): boolean {
  return a.kind === b.kind && a.value === b.value && (a as Literal).lang === (b as Literal).lang && (a as Literal).datatype === (b as Literal).datatype;
}

/** The prefixed form of an IRI when its local part is a plain name (letters, digits, _ and -). */
export function compact(value: string): string | null {
  for (const [prefix, ns] of Object.entries(NS)) {
    if (value.startsWith(ns)) {
      const local = value.slice(ns.length);
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(local)) return `${prefix}:${local}`;
    }
  }
  return null;
}

/** Lone surrogates (which UTF-8 cannot carry) become U+FFFD. */
export const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
