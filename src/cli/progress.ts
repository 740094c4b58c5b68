/**
 * Progress of a long CLI task on stderr: a redrawn bar on a terminal, and plain periodic lines
 * when stderr is a file or a pipe (CI logs, `2> log`), so logs do not fill with carriage returns.
 */
export type Progress = {
  /** `total` undefined: the count alone is shown (e.g. rows read from a file of unknown length). */
  update(done: number, total?: number, label?: string): void;
  finish(message?: string): void;
};

type Stream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

export type ProgressOptions = {
  stream?: Stream;
  /** Non-TTY: at most one line per interval (the first and the last update are always printed). */
  intervalMs?: number;
  now?: () => number;
};

const BAR_WIDTH = 24;

/** Terminal columns a character takes: CJK and full-width forms take two. */
const charWidth = (c: string) => ((c.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1);

/** Cuts `line` to at most `width` terminal columns, ending with … when cut. */
export function fitToWidth(line: string, width: number): string {
  let used = 0;
  let out = '';
  for (const c of line) {
    used += charWidth(c);
    if (used > width - 1) return `${out}…`;
    out += c;
  }
  return line;
}

export function createProgress(title: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 50 : 2000);
  let last = -Infinity;
  let state: { done: number; total: number | undefined; label: string } = { done: 0, total: 0, label: '' };
  let drawn = false;
  let printedDone = -1;

  const known = () => state.total !== undefined && state.total > 0;
  const percent = () => (known() ? Math.floor((state.done / state.total!) * 100) : 0);
  const counts = () => (known() ? `${state.done}/${state.total}` : String(state.done));

  function drawBar() {
    const filled = known() ? Math.round((state.done / state.total!) * BAR_WIDTH) : 0;
    const bar = known() ? ` ${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${String(percent()).padStart(3)}%` : '';
    const line = `${title}${bar} ${counts()} ${state.label}`;
    // One column short of the width, so the cursor never wraps onto a new line.
    stream.write(`\r${fitToWidth(line, (stream.columns || 80) - 1)}\x1b[K`);
    drawn = true;
  }

  function printLine() {
    printedDone = state.done;
    stream.write(`${title}: ${counts()}${known() ? ` (${percent()}%)` : ''}${state.label ? ` ${state.label}` : ''}\n`);
  }

  return {
    update(done, total, label = '') {
      state = { done, total, label };
      const t = now();
      // Throttled, except for the last step.
      if (t - last < interval && (total === undefined || done < total)) return;
      last = t;
      if (tty) drawBar();
      else printLine();
    },
    finish(message) {
      if (tty && drawn) {
        drawBar();
        stream.write('\n');
      } else if (!tty && state.done > 0 && printedDone !== state.done) {
        printLine();
      }
      if (message) stream.write(`${message}\n`);
    },
  };
}
