import fs from 'node:fs';
import type { ByteSource } from './types.js';

/** Large reads: fewer chunk joins in the parsers, and the kernel read-ahead does the rest. */
const FILE_CHUNK_BYTES = 256 * 1024;

export function toByteIterable(source: ByteSource): AsyncIterable<Uint8Array> {
  if (typeof source === 'string') return fs.createReadStream(source, { highWaterMark: FILE_CHUNK_BYTES });
  if (source instanceof Uint8Array) return fromBytes(source);
  return source;
}

async function* fromBytes(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += FILE_CHUNK_BYTES) yield bytes.subarray(i, i + FILE_CHUNK_BYTES);
}

export interface PeekedBytes {
  /** The first bytes (at least `count` unless the source is shorter). */
  head: Uint8Array;
  /** True when `head` is the whole source. */
  complete: boolean;
  /** The whole source again, `head` included. */
  bytes: AsyncIterable<Uint8Array>;
}

/** Reads the first `count` bytes for sniffing without losing them for the parser. */
export async function peekBytes(source: AsyncIterable<Uint8Array>, count: number): Promise<PeekedBytes> {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let total = 0;
  let complete = false;
  while (total < count) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    const chunk = toUint8(next.value);
    seen.push(chunk);
    total += chunk.length;
  }
  const head = seen.length === 1 ? seen[0]! : concat(seen, total);
  return { head, complete, bytes: replay(seen, iterator, complete) };
}

async function* replay(seen: Uint8Array[], iterator: AsyncIterator<Uint8Array>, complete: boolean): AsyncGenerator<Uint8Array> {
  try {
    while (seen.length > 0) yield seen.shift()!;
    if (complete) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toUint8(next.value);
    }
  } finally {
    // Closes the underlying file when the consumer stops early.
    if (!complete) await iterator.return?.();
  }
}

/** A Readable in string mode would hand over strings; parsers need bytes to pick the decoder. */
function toUint8(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('the byte source yielded something other than bytes');
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Text is decoded in pieces of at most this many bytes. A whole 256 KiB chunk would become a
 * string past V8's large-object threshold (128 KiB): such strings skip the young generation and
 * pile up, dead, until a full GC (bench/collection.ts measures the peak RSS this saves).
 */
const DECODE_PIECE_BYTES = 32 * 1024;

/** Decodes a byte stream chunk by chunk; characters split across chunks are carried over by the decoder. */
export async function* decodeChunks(bytes: AsyncIterable<Uint8Array>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: false });
  for await (const chunk of bytes) {
    for (let at = 0; at < chunk.length; at += DECODE_PIECE_BYTES) {
      const text = decoder.decode(chunk.length <= DECODE_PIECE_BYTES ? chunk : chunk.subarray(at, at + DECODE_PIECE_BYTES), { stream: true });
      if (text.length > 0) yield text;
    }
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}
