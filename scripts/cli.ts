// The operator CLI: `npm run cli -- <command> [flags]`. It reads the server's
// environment, opens the same database (taking the same data-dir lock as the
// server when it is the embedded one), runs one command through the features
// as the operator, and exits 0 (done), 2 (usage or validation error) or 1.
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import type { Caller } from '../server/accounts/index.js';
import { ConfigError, loadConfig } from '../server/config.js';
import { openFeatures } from '../server/control-plane.js';
import { domainErrorFromDatabase } from '../server/db/index.js';
import { DomainError } from '../server/errors.js';
import { COMMANDS, type Command, type Outcome } from './cli-commands.js';

class UsageError extends Error {}

const COMMON_OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; \`npm run cli -- help\` lists the commands`);
  const { values } = parseArgs({ args: rest, options: { ...command.options, ...COMMON_OPTIONS }, strict: true });
  if (values.help) {
    process.stdout.write(`${commandUsage(name, command)}\n`);
    return 0;
  }
  const work = command.prepare(values);
  const outcome = await asOperator(work);
  process.stdout.write(`${values.json ? JSON.stringify(outcome.json, null, 2) : outcome.text}\n`);
  return 0;
}

/** Opens the features as the server would and runs `work` as the operator (audited as `cli`). */
async function asOperator(work: ReturnType<Command['prepare']>): Promise<Outcome> {
  const config = loadConfig();
  const opened = await openFeatures(config);
  try {
    if (opened.keyGenerated) process.stderr.write(`callplane: generated a new master key in ${config.dataDir}/secret.key\n`);
    const operator = await opened.features.accounts.ensureOperator(config.operatorName);
    const caller: Caller = { userId: null, label: 'cli', role: 'operator', accountId: operator.id, subaccountId: null };
    return await work({ caller, db: opened.db, features: opened.features });
  } finally {
    await opened.close();
  }
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.synopsis}`);
  return [
    'usage: npm run cli -- <command> [flags]',
    '',
    'commands:',
    ...lines,
    `  ${'help'.padEnd(width)}  this list`,
    '',
    'every command takes --json (print the result as JSON) and --help.',
    'The CLI uses the server’s environment: CALLPLANE_DATA_DIR, DATABASE_URL, CALLPLANE_SECRET_KEY, …',
  ].join('\n');
}

function commandUsage(name: string, command: Command): string {
  return `usage: npm run cli -- ${name} ${command.synopsis} [--json]\n\n${command.summary}`;
}

/** The message and exit code of a failure; messages never carry a secret (see server/errors.ts). */
function failure(error: unknown): { message: string; code: number } {
  if (error instanceof ZodError) return { message: zodMessage(error), code: 2 };
  const domain = domainErrorFromDatabase(error) ?? error;
  if (domain instanceof DomainError) {
    const { field, message } = domain;
    return { message: field && !message.startsWith(field) ? `${field}: ${message}` : message, code: 2 };
  }
  if (error instanceof UsageError || error instanceof ConfigError || isParseArgsError(error)) {
    return { message: error.message, code: 2 };
  }
  return { message: error instanceof Error ? error.message : String(error), code: 1 };
}

function zodMessage(error: ZodError): string {
  const issue = error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || 'input';
  const missing = issue?.code === 'invalid_type' && issue.message.endsWith('received undefined');
  return `${field}: ${missing ? 'required' : (issue?.message ?? 'invalid')}`;
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const { message, code } = failure(error);
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = code;
  },
);
