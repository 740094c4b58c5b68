import type SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Db } from '../../../storage/dialect.js';
import { isDatabaseBusy } from '../../../storage/driver-errors.js';
import { DEFAULT_BUSY_WAIT_MS } from '../../../storage/sqlite.js';
import { canonicalTextWith, chainHash, sha256, shanghaiDays, type ChainRow, type toStoredFields } from './call-chain.js';
import { createCallsRepository, type CallCount } from './calls.repository.js';

/** A call as the recorder queues it: its stored fields, before the writer links it into the chain. */
export type StoredCall = ReturnType<typeof toStoredFields>;

/**
 * Appends one batch to the chain in one transaction (ADR 0021): takes the chain's head, links every
 * call to the one before it (seq, prev_hash, hash), inserts the calls, moves the head and adds the
 * day's counts. All or nothing: a batch that throws changed nothing and may be written again.
 */
export type ChainWriter = (batch: StoredCall[]) => Promise<void>;

/**
 * Through Kysely, statements built per batch: works on any database object (the inline recorder's
 * in-memory SQLite, a transaction's), and is ADR 0030's writer (bench/audit-writer.ts's anchor).
 */
export function kyselyChainWriter(db: Db): ChainWriter {
  const repo = createCallsRepository();
  return async (batch) => {
    await db.transaction().execute(async (trx) => {
      const head = await repo.lockChain(trx);
      let seq = head.headSeq;
      let prev = head.headHash;
      const rows: ChainRow[] = batch.map((f) => {
        seq += 1;
        const row = { ...f, seq };
        const hash = chainHash(prev, row);
        const linked = { ...row, prev_hash: prev, hash };
        prev = hash;
        return linked;
      });
      await repo.append(trx, rows);
      await repo.setHead(trx, seq, prev);
      await repo.addCounts(trx, countsOf(rows));
    });
  };
}

/**
 * Links a batch after the head (seq, prev_hash, hash), handing each call over with its hashed
 * text and the JSON texts of its keys and items, which are stored as they are hashed (stringified
 * once); counts the calls per day, interface and consumer meanwhile. Returns the new head.
 */
function link(
  batch: StoredCall[],
  headSeq: number,
  headHash: string,
  each: (f: StoredCall, seq: number, text: string, prevHash: string, hash: string, keysJson: string, itemsJson: string) => void,
): { seq: number; hash: string; counts: CallCount[] } {
  let seq = headSeq;
  let prev = headHash;
  const counts = new Map<string, CallCount>();
  const dayOf = shanghaiDays();
  for (const f of batch) {
    seq += 1;
    const keysJson = JSON.stringify(f.keys);
    const itemsJson = JSON.stringify(f.items);
    const text = canonicalTextWith(seq, f, keysJson, itemsJson);
    const hash = sha256(prev + text);
    each(f, seq, text, prev, hash, keysJson, itemsJson);
    prev = hash;
    count(counts, f, dayOf);
  }
  return { seq, hash: prev, counts: [...counts.values()] };
}

const COLUMNS =
  'seq, id, at, consumer_id, department_id, interface_id, interface_code, purpose, keys, items, row_count, status, error_code, latency_ms, prev_hash, hash';

const COUNT_UPSERT =
  'insert into sharing_call_counts (day, interface_id, consumer_id, department_id, calls, errors) values ($1, $2, $3, $4, $5, $6) ' +
  'on conflict (day, interface_id, consumer_id) do update set calls = sharing_call_counts.calls + excluded.calls, errors = sharing_call_counts.errors + excluded.errors';

/**
 * SQLite, on a connection of the writer's own (the writer thread's: nothing else runs statements
 * on it): every statement compiled once and run synchronously by better-sqlite3 — one single-row
 * INSERT per call inside the batch's transaction, instead of Kysely building and compiling a
 * 500-row statement per batch. `BEGIN IMMEDIATE` takes the write lock, which serialises writers
 * (the chain's lock on SQLite); a lock held by another connection (a collection merge) is waited
 * for without blocking the thread, as the main connection's driver does (ADR 0017), up to
 * `busyWaitMs`, then the batch fails and the recorder retries it.
 */
export function sqliteChainWriter(raw: SQLite.Database, options: { busyWaitMs?: number } = {}): ChainWriter {
  const busyWaitMs = options.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
  const head = raw.prepare('select head_seq, head_hash from sharing_call_chain where id = 1');
  const insert = raw.prepare(`insert into sharing_calls (${COLUMNS}) values (${Array.from({ length: 16 }, () => '?').join(', ')})`);
  const setHead = raw.prepare('update sharing_call_chain set head_seq = ?, head_hash = ? where id = 1');
  const addCount = raw.prepare(COUNT_UPSERT.replace(/\$\d/g, '?'));

  async function begin(): Promise<void> {
    const deadline = Date.now() + busyWaitMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
      try {
        raw.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isDatabaseBusy(err) || Date.now() + pause > deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  return async (batch) => {
    await begin();
    try {
      const state = head.get() as { head_seq: number | bigint; head_hash: string } | undefined;
      if (!state) throw new Error('the call audit chain has no head row (sharing_call_chain, migration 0017)');
      const linked = link(batch, Number(state.head_seq), state.head_hash, (f, seq, _text, prev, hash, keysJson, itemsJson) => {
        insert.run(
          seq,
          f.id,
          f.at,
          f.consumer_id,
          f.department_id,
          f.interface_id,
          f.interface_code,
          f.purpose,
          keysJson,
          itemsJson,
          f.row_count,
          f.status,
          f.error_code,
          f.latency_ms,
          prev,
          hash,
        );
      });
      setHead.run(linked.seq, linked.hash);
      for (const c of linked.counts) addCount.run(c.day, c.interfaceId, c.consumerId, c.departmentId, c.calls, c.errors);
      raw.exec('COMMIT');
    } catch (err) {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      throw err;
    }
  };
}

/**
 * PostgreSQL, through the storage's Kysely object but with SQL texts fixed once: the chain's row
 * lock and head in one statement (`UPDATE … RETURNING`: a second writer waits there until the first
 * commits, then reads the head it left), the whole batch in one `INSERT … SELECT` from a single
 * JSON parameter, the head, and the counts. The JSON is each call's hashed text (an array of its
 * stored fields, built anyway) with prev_hash and hash appended: one string per call, where
 * Kysely built a 500-row VALUES list of 8,000 parameters and pg escaped each of them. The server
 * reads every field back as text and casts it to its column's type, as it did each parameter.
 */
export function postgresChainWriter(db: Db): ChainWriter {
  const lock = CompiledQuery.raw('update sharing_call_chain set head_seq = head_seq where id = 1 returning head_seq, head_hash', []);
  // Fields in canonicalTextWith's order; latency_ms is its text to 0.1 ms, the value stored.
  const insert =
    `insert into sharing_calls (${COLUMNS}) select (r->>0)::bigint, r->>1, (r->>2)::timestamptz, r->>3, r->>4, r->>5, r->>6, r->>7, ` +
    '(r->8)::jsonb, (r->9)::jsonb, (r->>10)::integer, (r->>11)::integer, r->>12, (r->>13)::real, r->>14, r->>15 from json_array_elements($1::json) as r';
  return async (batch) => {
    await db.transaction().execute(async (trx) => {
      const { rows } = await trx.executeQuery<{ head_seq: string | number; head_hash: string }>(lock);
      if (!rows[0]) throw new Error('the call audit chain has no head row (sharing_call_chain, migration 0017)');
      const texts: string[] = new Array<string>(batch.length);
      let i = 0;
      const linked = link(batch, Number(rows[0].head_seq), rows[0].head_hash, (_f, _seq, text, prev, hash) => {
        texts[i++] = `${text.slice(0, -1)},"${prev}","${hash}"]`;
      });
      await trx.executeQuery(CompiledQuery.raw(insert, [`[${texts.join(',')}]`]));
      await trx.executeQuery(CompiledQuery.raw('update sharing_call_chain set head_seq = $1, head_hash = $2 where id = 1', [linked.seq, linked.hash]));
      for (const c of linked.counts)
        await trx.executeQuery(CompiledQuery.raw(COUNT_UPSERT, [c.day, c.interfaceId, c.consumerId, c.departmentId, c.calls, c.errors]));
    });
  };
}

/** Calls per (Asia/Shanghai day, interface, consumer); errors are answers of status 400 and above. Calls nobody was identified for are audited, not counted. */
function count(counts: Map<string, CallCount>, r: StoredCall, dayOf: (iso: string) => string): void {
  if (!r.interface_id || !r.consumer_id || !r.department_id) return;
  const day = dayOf(r.at);
  const key = `${day}\u0000${r.interface_id}\u0000${r.consumer_id}`;
  let c = counts.get(key);
  if (!c) counts.set(key, (c = { day, interfaceId: r.interface_id, consumerId: r.consumer_id, departmentId: r.department_id, calls: 0, errors: 0 }));
  c.calls += 1;
  if (r.status >= 400) c.errors += 1;
}

function countsOf(rows: StoredCall[]): CallCount[] {
  const counts = new Map<string, CallCount>();
  const dayOf = shanghaiDays();
  for (const r of rows) count(counts, r, dayOf);
  return [...counts.values()];
}
