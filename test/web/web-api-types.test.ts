import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A plain .mjs script (the build runs it without tsx); imported by a computed specifier.
const script = '../../scripts/write-web-api.mjs';
const { typeOf, webApiTypes } = (await import(script)) as { typeOf(schema: unknown): string; webApiTypes(doc: unknown): string };

describe('scripts/write-web-api.mjs (the web UI’s API types from docs/openapi.json)', () => {
  it('turns the JSON Schema of zod’s OpenAPI output into TypeScript types', () => {
    expect(typeOf({ type: ['string', 'null'] })).toBe('string | null');
    expect(typeOf({ type: 'integer' })).toBe('number');
    expect(typeOf({ type: 'string', enum: ['open', 'closed'] })).toBe('"open" | "closed"');
    expect(typeOf({ type: 'array', items: { type: 'boolean' } })).toBe('Array<boolean>');
    expect(typeOf({ anyOf: [{ type: 'number' }, { type: 'null' }] })).toBe('number | null');
    expect(typeOf({ type: 'object', properties: { a: { type: 'string' }, 'b-c': { type: 'number' } }, required: ['a'] })).toBe(
      '{\n  a: string;\n  "b-c"?: number;\n}',
    );
    expect(typeOf({ type: 'object', additionalProperties: { type: 'string' } })).toBe('{\n  [key: string]: string;\n}');
  });

  it('types every operation of the document with its path and query parameters and its JSON answer', () => {
    const doc = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.json'), 'utf8'));
    const text = webApiTypes(doc);
    for (const p of Object.keys(doc.paths)) expect(text, p).toContain(`  ${JSON.stringify(p)}: {`);
    const stats = text.slice(text.indexOf('"/api/v1/collection/stats"'));
    expect(stats).toMatch(
      /^"\/api\/v1\/collection\/stats": \{\n {4}get: \{\n {6}params: Record<string, never>;\n {6}query: \{ year\?: number; top\?: number \};/,
    );
    expect(text).toContain('"/api/v1/resources/{id}": {\n    get: {\n      params: { id: string };');
  });
});
