import { AppError } from '../errors.js';
import { chineseTitle, localeIsChinese } from '../shared/problem-titles.js';
import { UsageError } from './command.js';

type Listed = { sheet?: string | null; row?: number | null; column?: string | null; path?: string; code?: string; message?: string };

function asList(v: unknown): Listed[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Listed[]) : [];
}

/** "sheet 信息资源目录, row 12, column 共享类型: message [UNKNOWN_VALUE]" */
export function importProblemLine(p: Listed): string {
  const where = [p.sheet ? `sheet ${p.sheet}` : null, p.row !== null && p.row !== undefined ? `row ${p.row}` : null, p.column ? `column ${p.column}` : null]
    .filter(Boolean)
    .join(', ');
  return `${where ? `${where}: ` : ''}${p.message ?? ''}${p.code ? ` [${p.code}]` : ''}`;
}

/** Import problems are located by sheet/row/column; rule violations and validation errors by path. */
function problemLine(p: Listed): string {
  if ('sheet' in p || 'row' in p || 'column' in p) return importProblemLine(p);
  return `${p.path ?? ''}: ${p.message ?? ''}${p.code ? ` [${p.code}]` : ''}`;
}

/**
 * Turns an error into what an operator reads on stderr: an AppError's code (and, under a Chinese
 * locale, its Chinese title) and detail, then
 * every listed problem on its own line (import problems by sheet/row/column, rule violations
 * and validation errors by path). Returns the exit code: 2 for usage errors, 1 otherwise.
 */
export function reportError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof UsageError) {
    const hint = err.command ? `kuaiji ${err.command} --help` : 'kuaiji --help';
    write(`error: ${err.message}\nRun '${hint}' for usage.\n`);
    return 2;
  }
  if (err instanceof AppError) {
    // A Chinese locale (LANG=zh_CN.UTF-8 …) gets the code's Chinese title before the detail.
    const zh = localeIsChinese() ? chineseTitle(err.code) : null;
    write(`error [${err.code}]: ${zh ? `${zh}: ` : ''}${err.message}\n`);
    const x = err.extensions;
    if (Array.isArray(x.errors)) {
      const problems = asList(x.errors);
      for (const p of problems) write(`  ${problemLine(p)}\n`);
      const count = typeof x.errorCount === 'number' ? x.errorCount : problems.length;
      if (count > problems.length) write(`  … and ${count - problems.length} more\n`);
      const warnings = asList(x.warnings);
      if (warnings.length) write(`warnings:\n${warnings.map((w) => `  ${importProblemLine(w)}\n`).join('')}`);
    }
    for (const v of asList(x.violations)) write(`  ${problemLine(v)}\n`);
    return 1;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  write(`error: ${e.message}\n`);
  if (e.cause instanceof Error) write(`  caused by: ${e.cause.message}\n`);
  if (process.env.KUAIJI_LOG_LEVEL === 'debug' || process.env.KUAIJI_LOG_LEVEL === 'trace') write(`${e.stack ?? ''}\n`);
  return 1;
}
