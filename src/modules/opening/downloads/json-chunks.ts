import type { ReadRecord } from '../../collection/index.js';

/** A JSON array of records (item code → value), streamed in chunks of about `chunkChars` characters. */
export async function* jsonChunks(codes: readonly string[], records: AsyncIterable<ReadRecord>, chunkChars = 64 * 1024): AsyncGenerator<string> {
  let buf = '[';
  let first = true;
  for await (const r of records) {
    const o: Record<string, unknown> = {};
    for (const c of codes) o[c] = r[c] ?? null;
    buf += `${first ? '\n' : ',\n'}${JSON.stringify(o)}`;
    first = false;
    if (buf.length >= chunkChars) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}${first ? '' : '\n'}]\n`;
}
