import { Worker } from 'node:worker_threads';
import type { StagedRow } from './record-store.js';

/**
 * The staging half of an SQLite load's pipeline (ADR 0035). The job's thread reads, type-checks
 * and hashes rows; this thread writes them into the load's scratch file (its own connection, its
 * own file: it never touches the live database or its write lock). The two overlap on two cores.
 * When the input ends, the stager commits and closes the file, and the job's thread attaches it
 * and merges in one transaction as before: a crash at any point still leaves the whole batch or
 * none of it.
 *
 * A batch crosses the thread boundary as a few strings (every text cell and hash, concatenated), the
 * cells' lengths and the row numbers in typed arrays whose buffers are transferred, and the few
 * other values (numbers, booleans as 0/1, bigints, bytes) in a plain array: a handful of objects
 * per batch for structured clone, not one per cell.
 *
 * At most `credits` batches are in flight: the reader waits for the stager beyond that, so memory
 * stays at a few batches whatever the file's size.
 *
 * The worker is plain CommonJS run with `eval` (as the WAL checkpointer): it needs nothing of
 * ours, so it starts the same from source (tsx) and from dist/, in tens of milliseconds.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const { file, createSql, width, rowsPerStatement } = workerData;
let db;
let insertMany;
let insertOne;
let params;
let staged = 0;
try {
  db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(createSql);
  const placeholders = (n) => Array.from({ length: n }, () => '(' + new Array(width).fill('?').join(',') + ')').join(',');
  insertMany = db.prepare('INSERT INTO s VALUES ' + placeholders(rowsPerStatement));
  insertOne = db.prepare('INSERT INTO s VALUES ' + placeholders(1));
  params = new Array(width * rowsPerStatement);
} catch (err) {
  parentPort.postMessage({ type: 'error', message: String((err && err.message) || err) });
}
const one = new Array(width);
const cellsPerRow = width - 1;
const fromClone = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
const stage = db && db.transaction((texts, lens, rowNumbers, others) => {
  const n = rowNumbers.length;
  let ci = 0;
  let text = texts[0] || '';
  let pos = 0;
  let k = 0;
  let o = 0;
  let r = 0;
  const fill = (target, start) => {
    let p = start;
    target[p++] = rowNumbers[r];
    for (let c = 0; c < cellsPerRow; c++) {
      const len = lens[k++];
      if (len >= 0) {
        // A cell never spans two pieces: one that does not fit in this piece starts the next.
        if (pos + len > text.length) {
          text = texts[++ci];
          pos = 0;
        }
        target[p++] = text.substring(pos, pos + len);
        pos += len;
      } else target[p++] = len === -1 ? null : fromClone(others[o++]);
    }
    r++;
    return p;
  };
  while (r + rowsPerStatement <= n) {
    let p = 0;
    for (let i = 0; i < rowsPerStatement; i++) p = fill(params, p);
    insertMany.run(params);
  }
  while (r < n) {
    fill(one, 0);
    insertOne.run(one);
  }
  staged += n;
});
parentPort.on('message', (m) => {
  if (!db) return;
  try {
    if (m.type === 'rows') {
      stage(m.texts, m.lens, m.rowNumbers, m.others);
      parentPort.postMessage({ type: 'staged' });
    } else if (m.type === 'end') {
      db.close();
      db = null;
      parentPort.postMessage({ type: 'ended', staged });
      parentPort.close();
    }
  } catch (err) {
    try { db.close(); } catch {}
    db = null;
    parentPort.postMessage({ type: 'error', message: String((err && err.message) || err) });
  }
});
`;

export type Stager = {
  /** Hands a batch to the stager; resolves when it may take the next (the rows are encoded by then). */
  append(rows: StagedRow[]): Promise<void>;
  /** Waits for every batch, closes the scratch file and returns how many rows it holds. */
  finish(): Promise<number>;
  /** Stops the thread; the scratch file is the caller's to remove. */
  abort(): Promise<void>;
};

export type StagerSpec = {
  file: string;
  /** `CREATE TABLE s (…)`: "_row_no", the staged columns, "_hash". */
  createSql: string;
  /** Values per staged row: the row number, the columns, the hash. */
  width: number;
  rowsPerStatement: number;
  credits?: number;
};

export function startStager(spec: StagerSpec): Stager {
  const credits = spec.credits ?? 4;
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { file: spec.file, createSql: spec.createSql, width: spec.width, rowsPerStatement: spec.rowsPerStatement },
    // It holds a few batches at a time.
    resourceLimits: { maxOldGenerationSizeMb: 64 },
  });
  let inFlight = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let onFailure: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (onFailure = reject));
  failed.catch(() => undefined);
  let onEnded: (staged: number) => void = () => undefined;
  const ended = new Promise<number>((resolve) => (onEnded = resolve));
  let finished = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const fail = (err: Error) => {
    if (!failure) {
      failure = err;
      onFailure(err);
    }
    wake?.();
  };
  worker.on('message', (m: { type: 'staged' } | { type: 'ended'; staged: number } | { type: 'error'; message: string }) => {
    if (m.type === 'staged') {
      inFlight -= 1;
      wake?.();
    } else if (m.type === 'ended') {
      finished = true;
      onEnded(m.staged);
    } else fail(new Error(`staging failed: ${m.message}`));
  });
  worker.on('error', (err) => fail(err));
  void exited.then(() => {
    if (!finished) fail(new Error('the staging thread stopped'));
  });

  return {
    async append(rows) {
      if (failure) throw failure;
      if (rows.length === 0) return;
      const message = encodeBatch(rows, spec.width - 2);
      while (inFlight >= credits) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      if (failure) throw failure;
      inFlight += 1;
      worker.postMessage(message, [message.lens.buffer as ArrayBuffer, message.rowNumbers.buffer as ArrayBuffer]);
    },
    async finish() {
      if (failure) throw failure;
      // Messages are handled in order: the stager stages every batch sent before it ends.
      worker.postMessage({ type: 'end' });
      const staged = await Promise.race([ended, failed]);
      await exited;
      return staged;
    },
    async abort() {
      await worker.terminate();
    },
  };
}

type BatchMessage = { type: 'rows'; texts: string[]; lens: Int32Array; rowNumbers: Float64Array; others: unknown[] };

/**
 * The text cells are concatenated into pieces of about PIECE UTF-16 units, never splitting a
 * cell: a string past V8's large-object size (128 KiB; 64 Ki units of Chinese text) skips the
 * young generation and stays until a full GC, on both sides of the thread boundary.
 */
const PIECE = 16_384;

/** Lengths: ≥ 0 a text cell of that many UTF-16 units; -1 null; -2 the next of `others`. */
function encodeBatch(rows: StagedRow[], columns: number): BatchMessage {
  const n = rows.length;
  const lens = new Int32Array(n * (columns + 1));
  const rowNumbers = new Float64Array(n);
  const texts: string[] = [];
  let piece: string[] = [];
  let pieceLength = 0;
  const others: unknown[] = [];
  const add = (v: string) => {
    if (pieceLength + v.length > PIECE && pieceLength > 0) {
      texts.push(piece.join(''));
      piece = [];
      pieceLength = 0;
    }
    piece.push(v);
    pieceLength += v.length;
  };
  let k = 0;
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    rowNumbers[r] = row.rowNumber;
    const values = row.values;
    for (let c = 0; c < columns; c++) {
      const v = values[c];
      if (typeof v === 'string') {
        add(v);
        lens[k++] = v.length;
      } else if (v === null || v === undefined) lens[k++] = -1;
      else {
        lens[k++] = -2;
        others.push(v === true ? 1 : v === false ? 0 : v);
      }
    }
    add(row.hash);
    lens[k++] = row.hash.length;
  }
  if (pieceLength > 0) texts.push(piece.join(''));
  return { type: 'rows', texts, lens, rowNumbers, others };
}
