// Writes docs/openapi.json from the routes' zod schemas. test/openapi-doc.test.ts fails when it is stale.
import fs from 'node:fs';
import { openApiDocument } from '../test/openapi-document.js';

const doc = await openApiDocument();
fs.writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(doc, null, 2)}\n`);
console.log(`docs/openapi.json: ${Object.keys(doc.paths).length} paths`);
