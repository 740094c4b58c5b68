// exceljs 4.4 decodes every inflated chunk of an XLSX part on its own (lib/utils/parse-sax.js:
// `bufferToString(chunk)`), so a multi-byte UTF-8 character split between two chunks becomes
// U+FFFD: "缴存单位" came back as "缴存单���". Chinese text in any workbook larger than one
// chunk was corrupted on read. This postinstall step makes the parser decode with one
// StringDecoder per part, which carries a split character over to the next chunk.
// It refuses loudly when the file is not the one it knows (an exceljs upgrade must be checked:
// test/collection/xlsx-utf8.test.ts fails without the fix).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let file;
try {
  file = require.resolve('exceljs/lib/utils/parse-sax.js');
} catch {
  process.exit(0); // exceljs not installed (e.g. a production install without it): nothing to patch
}
const source = fs.readFileSync(file, 'utf8');
const MARK = '// kuaiji: one StringDecoder per part';
if (source.includes(MARK)) process.exit(0);

const before = '  for await (const chunk of iterable) {\n    saxesParser.write(bufferToString(chunk));';
const after = [
  `  ${MARK} (scripts/patch-exceljs.mjs)`,
  "  const decoder = new (require('string_decoder').StringDecoder)('utf8');",
  '  for await (const chunk of iterable) {',
  "    saxesParser.write(typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));",
].join('\n');
const tail = '    yield events;\n    events = [];\n  }\n};';
const tailAfter = [
  '    yield events;',
  '    events = [];',
  '  }',
  '  const rest = decoder.end();',
  '  if (rest) {',
  '    saxesParser.write(rest);',
  '    if (error) throw error;',
  '    yield events;',
  '  }',
  '};',
].join('\n');
if (!source.includes(before) || !source.includes(tail)) {
  console.error(`patch-exceljs: ${file} is not the exceljs 4.4 parser this patch knows; check the UTF-8 chunk bug by hand`);
  process.exit(1);
}
fs.writeFileSync(file, source.replace(before, after).replace(tail, tailAfter));
console.log('patch-exceljs: exceljs decodes XLSX parts with one StringDecoder each');
