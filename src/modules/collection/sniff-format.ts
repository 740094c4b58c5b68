import fs from 'node:fs';
import type { RecordFormat } from './parsing/types.js';

/** How many bytes of an upload are looked at to tell its format. */
const SNIFF_BYTES = 4096;

/**
 * The format of an upload told from its first bytes, for when neither a format, a Content-Type
 * nor a file name says: a ZIP signature (PK\x03\x04) is an XLSX workbook; a first non-space
 * character '[' a JSON array, '{' NDJSON (one object a line; a JSON upload is an array); text whose
 * first line holds a comma CSV, else a tab TSV. null when none of these fits.
 */
export function sniffFormat(head: Uint8Array): RecordFormat | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x5b) return 'json';
  if (head[i] === 0x7b) return 'ndjson';
  let comma = false;
  let tab = false;
  for (; i < head.length && head[i] !== 0x0a && head[i] !== 0x0d; i++) {
    if (head[i] === 0x00) return null;
    if (head[i] === 0x2c) comma = true;
    if (head[i] === 0x09) tab = true;
  }
  return comma ? 'csv' : tab ? 'tsv' : null;
}

/** sniffFormat of a saved file's first bytes. */
export function sniffFileFormat(file: string): RecordFormat | null {
  const head = Buffer.alloc(SNIFF_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    return sniffFormat(head.subarray(0, fs.readSync(fd, head, 0, SNIFF_BYTES, 0)));
  } finally {
    fs.closeSync(fd);
  }
}
