import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A wrong invocation (unknown option, missing or bad value): reported with a hint at --help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/**
 * One CLI command. `name` may have two words ("user create"). `run` returns the exit code, or
 * nothing when the process must stay alive (serve).
 */
export type Command = {
  name: string;
  summary: string;
  usage: string;
  /** --help lines: [option, description] pairs (aligned when printed) or plain notes. */
  help: (readonly [string, string] | string)[];
  options: Options;
  positionals?: { min: number; max: number };
  /**
   * The database the command opens: 'existing' refuses to create a new, empty one unless
   * --create is given (the option is added for it); 'create' may create it (migrate, demo).
   */
  database?: 'existing' | 'create';
  run(args: Parsed): Promise<number | void>;
};

/** The command with --create among its options and help when it opens an existing database. */
export function withDatabaseOptions(cmd: Command): Command {
  if (cmd.database !== 'existing') return cmd;
  return {
    ...cmd,
    options: { ...cmd.options, create: { type: 'boolean' } },
    help: [...cmd.help, ['--create', 'create a new, empty database when none is configured yet (otherwise refused)']],
  };
}

export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;

/** node:util parseArgs, strict, with its errors turned into UsageErrors that name the command. */
export function parseCommandArgs(cmd: Command, argv: string[]): Parsed & { help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...cmd.options, ...HELP_OPTION }, strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs messages already name the option ("Unknown option '--x'"); drop its own advice.
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message, cmd.name);
  }
  const { values, positionals } = parsed as Parsed;
  const help = values.help === true;
  if (!help && cmd.positionals) {
    const { min, max } = cmd.positionals;
    if (positionals.length < min) throw new UsageError(`missing argument (usage: ${cmd.usage})`, cmd.name);
    if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`, cmd.name);
  } else if (!help && positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals[0]}'`, cmd.name);
  }
  return { values, positionals, help };
}

/** The value of a string option, or a UsageError naming the flag when it is required and absent. */
export function stringOption(args: Parsed, name: string, required: true): string;
export function stringOption(args: Parsed, name: string, required?: false): string | undefined;
export function stringOption(args: Parsed, name: string, required = false): string | undefined {
  const v = args.values[name];
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}

export function commandHelp(cmd: Command): string {
  const pairs = [...cmd.help.filter((e) => typeof e !== 'string'), ['-h, --help', 'show this help'] as const];
  const notes = cmd.help.filter((e): e is string => typeof e === 'string');
  const width = Math.max(...pairs.map(([flag]) => flag.length)) + 2;
  const lines = [cmd.summary, '', `Usage: ${cmd.usage}`, '', 'Options:', ...pairs.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`)];
  if (notes.length) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}
