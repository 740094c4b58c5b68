import { compact, RDF_TYPE, wellFormed, type Graph, type RdfObject } from './rdf.js';
import { NS } from './vocabularies.js';

/**
 * JSON-LD 1.1 for a Graph: a context of the prefixes and a flat `@graph` of node objects, keys
 * and types as prefixed names, every value in object form ({"@id"} or {"@value", "@language" |
 * "@type"}) so no context term rules are needed to read it back.
 */
const name = (value: string) => compact(value) ?? value;

function value(o: RdfObject): Record<string, string> {
  if (o.kind === 'iri') return { '@id': o.value };
  if (o.kind === 'blank') return { '@id': `_:${o.value}` };
  if (o.lang) return { '@value': wellFormed(o.value), '@language': o.lang };
  if (o.datatype) return { '@value': wellFormed(o.value), '@type': name(o.datatype) };
  return { '@value': wellFormed(o.value) };
}

export function toJsonLd(graph: Graph): Record<string, unknown> {
  const nodes = graph.list().map((node) => {
    const out: Record<string, unknown> = { '@id': node.subject.kind === 'blank' ? `_:${node.subject.value}` : node.subject.value };
    for (const [p, objects] of node.props) {
      if (p === RDF_TYPE) out['@type'] = objects.map((o) => name(o.value));
      else out[name(p)] = objects.map(value);
    }
    return out;
  });
  return { '@context': { ...NS }, '@graph': nodes };
}
