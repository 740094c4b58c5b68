/**
 * Encoding detection for uploaded text files. Chinese Excel saves "CSV" in GBK (code page 936)
 * unless the user picks "CSV UTF-8", so both must be recognised without asking the user.
 */

/** How many leading bytes are enough to decide: a GBK file shows itself within a few rows. */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

export interface DetectedEncoding {
  /** A label accepted by `new TextDecoder(label)`. */
  encoding: string;
  /** A byte-order mark was found (TextDecoder strips it for UTF-8/UTF-16). */
  bom: boolean;
  /** Why this encoding was picked, for the collection log. */
  reason: string;
}

export interface DetectOptions {
  /** A label chosen by the user; wins over detection. */
  override?: string;
  /**
   * The sample is the whole file. If false (the default) a multi-byte sequence cut at the end
   * of the sample is not counted as an error.
   */
  complete?: boolean;
}

/** Canonical TextDecoder name of a label ('GBK', 'gb2312', 'utf8' …), or throws for an unknown one. */
export function resolveEncodingLabel(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new RangeError(`unknown text encoding '${label}' (use e.g. utf-8, gbk, gb18030)`);
  }
}

export function detectEncoding(sample: Uint8Array, options: DetectOptions = {}): DetectedEncoding {
  const bom = bomEncoding(sample);
  if (options.override) {
    const encoding = resolveEncodingLabel(options.override);
    return { encoding, bom: bom !== null && bom === encoding, reason: `chosen by the user` };
  }
  if (bom) return { encoding: bom, bom: true, reason: `${bom} byte-order mark` };

  const complete = options.complete ?? false;
  const utf8 = scanUtf8(sample, complete);
  if (utf8.errors === 0) {
    return { encoding: 'utf-8', bom: false, reason: utf8.multiByte === 0 ? 'ASCII only' : 'valid UTF-8' };
  }
  // GBK bytes form a valid UTF-8 sequence only by accident (a few per hundred characters);
  // a real UTF-8 file with a few corrupt bytes has valid sequences by the thousand.
  if (utf8.multiByte >= 20 * utf8.errors) {
    return { encoding: 'utf-8', bom: false, reason: `UTF-8 with ${utf8.errors} invalid sequence(s) in the sample` };
  }
  const gbErrors = countGb18030Errors(sample, complete);
  if (gbErrors <= utf8.errors) {
    const reason = gbErrors === 0 ? 'valid GB18030/GBK' : `GB18030/GBK with ${gbErrors} invalid sequence(s) in the sample`;
    return { encoding: 'gb18030', bom: false, reason };
  }
  return { encoding: 'utf-8', bom: false, reason: `neither UTF-8 nor GBK; decoding as UTF-8 (${utf8.errors} invalid sequences)` };
}

function bomEncoding(b: Uint8Array): string | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b.length >= 4 && b[0] === 0x84 && b[1] === 0x31 && b[2] === 0x95 && b[3] === 0x33) return 'gb18030';
  return null;
}

/** Counts valid multi-byte sequences and invalid ones under the strict UTF-8 rules (no overlongs, no surrogates). */
function scanUtf8(b: Uint8Array, complete: boolean): { multiByte: number; errors: number } {
  let multiByte = 0;
  let errors = 0;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else {
      errors++;
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      if (i + j >= n) break;
      const t = b[i + j]!;
      if (j === 1 ? t < lo || t > hi : t < 0x80 || t > 0xbf) break;
    }
    if (j > need) {
      multiByte++;
      i += need + 1;
    } else if (i + j >= n) {
      if (complete) errors++;
      break;
    } else {
      errors++;
      i += j;
    }
  }
  return { multiByte, errors };
}

/** GB18030: ASCII, 2 bytes (81–FE, 40–7E|80–FE) or 4 bytes (81–FE, 30–39, 81–FE, 30–39). */
function countGb18030Errors(b: Uint8Array, complete: boolean): number {
  let errors = 0;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c <= 0x80) {
      i++; // 0x80 decodes to € in the WHATWG GB18030 decoder
      continue;
    }
    if (c === 0xff) {
      errors++;
      i++;
      continue;
    }
    if (i + 1 >= n) {
      if (complete) errors++;
      break;
    }
    const t = b[i + 1]!;
    if ((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfe)) {
      i += 2;
    } else if (t >= 0x30 && t <= 0x39) {
      if (i + 3 >= n) {
        if (complete) errors++;
        break;
      }
      const t3 = b[i + 2]!;
      const t4 = b[i + 3]!;
      if (t3 >= 0x81 && t3 <= 0xfe && t4 >= 0x30 && t4 <= 0x39) i += 4;
      else {
        errors++;
        i += 1;
      }
    } else {
      errors++;
      i += 1;
    }
  }
  return errors;
}

/** Detection over the first ENCODING_SAMPLE_BYTES of a file whose first bytes were peeked. */
export function detectFromHead(peeked: { head: Uint8Array; complete: boolean }, override: string | undefined): DetectedEncoding {
  const sample = peeked.head.length > ENCODING_SAMPLE_BYTES ? peeked.head.subarray(0, ENCODING_SAMPLE_BYTES) : peeked.head;
  return detectEncoding(sample, { override, complete: peeked.complete && sample.length === peeked.head.length });
}
