/**
 * A configured query must be one SELECT (or WITH … SELECT): checked when the source is saved
 * (400) and again when it runs. The session is read-only and time-limited as well; this check
 * adds a clear answer up front and refuses what a read-only transaction still lets through:
 * functions that read the server's files or other servers, end other sessions, or change the
 * session's own limits (set_config('statement_timeout', …)).
 */
const WRITES = new Set([
  'insert',
  'update',
  'delete',
  'merge',
  'truncate',
  'drop',
  'alter',
  'create',
  'grant',
  'revoke',
  'copy',
  'call',
  'into',
  'lock',
  'outfile',
  'dumpfile',
]);
const FUNCTIONS =
  /^(pg_read_file|pg_read_binary_file|pg_ls_\w+|pg_stat_file|pg_file_\w+|pg_logdir_ls|lo_\w+|dblink\w*|set_config|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_promote|pg_advisory\w*|pg_notify|load_file|sys_\w+|txid_current|pg_current_xact_id|query_to_xml\w*|table_to_xml\w*|database_to_xml\w*|schema_to_xml\w*|cursor_to_xml)$/;

/** The words of a statement outside its strings, quoted names and comments; null when they do not end. */
function words(sql: string, dialect: Reading): { words: string[]; semicolon: boolean; hiddenCode: boolean } | null {
  const out: string[] = [];
  let semicolon = false;
  let hiddenCode = false;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '#' && dialect.hash) {
      // MySQL's line comment.
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      // MySQL runs /*! … */ and optimizer hints /*+ … */ are instructions: never accepted.
      if (sql[i + 2] === '!' || sql[i + 2] === '+') hiddenCode = true;
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) return null;
    } else if (c === "'" || c === '"' || c === '`') {
      // Backslash escapes (MySQL, E'' strings) and doubled quotes both stay inside the literal.
      i++;
      for (;;) {
        if (i >= n) return null;
        if (sql[i] === '\\' && c !== '`' && dialect.backslash) i += 2;
        else if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) {
          i++;
          break;
        } else i++;
      }
    } else if (dialect.dollar && c === '$' && /^\$[A-Za-z_]?\w*\$/.test(sql.slice(i, i + 64)) && !/\w/.test(sql[i - 1] ?? '')) {
      const tag = /^\$[A-Za-z_]?\w*\$/.exec(sql.slice(i, i + 64))![0];
      const end = sql.indexOf(tag, i + tag.length);
      if (end === -1) return null;
      i = end + tag.length;
    } else if (c === ';') {
      semicolon = true;
      i++;
    } else if (/[\p{L}_]/u.test(c)) {
      let j = i + 1;
      while (j < n && /[\p{L}\p{N}_$]/u.test(sql[j]!)) j++;
      out.push(sql.slice(i, j).toLowerCase());
      i = j;
    } else i++;
  }
  return { words: out, semicolon, hiddenCode };
}

// PostgreSQL reads 'a\' as a whole string, $x$…$x$ as a quote and # as an operator; MySQL reads none so. A query
// is checked under every reading, so a quote one server ends early cannot hide a word from the check.
type Reading = { backslash: boolean; dollar: boolean; hash: boolean };
const READINGS: Reading[] = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => ({ backslash: (b & 1) > 0, dollar: (b & 2) > 0, hash: (b & 4) > 0 }));

/** Why `sql` is not one read-only SELECT, or null when it is. */
export function selectProblem(sql: string): string | null {
  for (const reading of READINGS) {
    const problem = problemIn(sql, reading);
    if (problem) return problem;
  }
  return null;
}

function problemIn(sql: string, reading: Reading): string | null {
  const w = words(sql.replace(/;\s*$/, ''), reading);
  if (!w) return 'a string, quoted name or comment does not end';
  if (w.semicolon) return 'only one statement is accepted';
  if (w.hiddenCode) return 'comments starting /*! or /*+ are not accepted';
  if (w.words[0] !== 'select' && w.words[0] !== 'with') return 'only a SELECT (or WITH … SELECT) is accepted';
  const write = w.words.find((x) => WRITES.has(x));
  if (write) return `only a SELECT is accepted ('${write.toUpperCase()}' is not)`;
  const fn = w.words.find((x) => FUNCTIONS.test(x));
  if (fn) return `${fn}() is not accepted in a source query`;
  return null;
}
