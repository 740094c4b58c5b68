#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandHelp, parseCommandArgs, UsageError, withDatabaseOptions, type Command } from './command.js';
import { catalogExportCommand } from './commands/catalog-export.js';
import { catalogImportCommand } from './commands/catalog-import.js';
import { collectLoadCommand } from './commands/collect-load.js';
import { collectMappingsCommand } from './commands/collect-mappings.js';
import { collectRejectsCommand } from './commands/collect-rejects.js';
import { demoCommand } from './commands/demo.js';
import { migrateCommand } from './commands/migrate.js';
import { qualityScanCommand } from './commands/quality-scan.js';
import { serveCommand } from './commands/serve.js';
import { sharingApplicationsCommand, sharingConsumerCommand } from './commands/sharing.js';
import { auditVerifyCommand } from './commands/sharing-audit.js';
import { reportCommand } from './commands/report.js';
import { userCreateCommand } from './commands/user-create.js';
import { userTokenCommand } from './commands/user-token.js';
import { userPasswordCommand } from './commands/user-password.js';
import { allowDatabaseCreation } from './context.js';
import { reportError } from './report-error.js';

/** `kuaiji <command> [options]`: every command calls the services directly, never the HTTP API. */
const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  demoCommand,
  userCreateCommand,
  userTokenCommand,
  userPasswordCommand,
  catalogImportCommand,
  catalogExportCommand,
  collectLoadCommand,
  collectMappingsCommand,
  collectRejectsCommand,
  qualityScanCommand,
  sharingConsumerCommand,
  sharingApplicationsCommand,
  auditVerifyCommand,
  reportCommand,
];

function version(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
    dir = path.dirname(dir);
  }
  return 'unknown';
}

function overview(commands: Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Kuaiji (会稽): an open-source public data platform for city governments.',
    '',
    'Usage: kuaiji <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'kuaiji <command> --help' for a command's options. Configuration comes from the environment",
    '(KUAIJI_DATA_DIR, KUAIJI_DATABASE_URL, PORT, HOST, …).',
    '',
  ].join('\n');
}

/** The command named by the first one or two words, and the arguments after it. */
function resolve(argv: string[]): { cmd: Command; rest: string[] } | { group: Command[]; word: string } | null {
  const [first, second] = argv;
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) return { cmd: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { cmd: one, rest: argv.slice(1) };
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  return group.length ? { group, word: first! } : null;
}

async function main(argv: string[]): Promise<number | void> {
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' && argv[1] ? resolve(argv.slice(1)) : null;
    if (target && 'cmd' in target) process.stdout.write(commandHelp(target.cmd));
    else if (target) process.stdout.write(overview(target.group));
    else process.stdout.write(overview());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`kuaiji ${version()}\n`);
    return 0;
  }
  const found = resolve(argv);
  if (!found) throw new UsageError(`unknown command '${first}'`);
  if ('group' in found) {
    const sub = argv[1];
    if (sub === undefined || sub === '--help' || sub === '-h') {
      process.stdout.write(overview(found.group));
      return sub === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command '${found.word} ${sub}' (one of: ${found.group.map((c) => c.name).join(', ')})`);
  }
  const cmd = withDatabaseOptions(found.cmd);
  const args = parseCommandArgs(cmd, found.rest);
  if (args.help) {
    process.stdout.write(commandHelp(cmd));
    return 0;
  }
  allowDatabaseCreation(cmd.database === 'create' || args.values.create === true);
  return cmd.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
