/**
 * The `cra` command line: commander wiring only, and the single error boundary. Every failure becomes one message
 * on stderr (a stack trace only with --debug) and the exit code the contract assigns: 0 ok, 1 data/runtime or
 * stage failure, 2 usage or pipeline-file error, 3 locked. With --json the result (or `{error, code}`) is one
 * JSON object on stdout.
 */
import { Command, CommanderError, Option } from 'commander';
import { CraError, ExitCode } from '../errors.js';
import { CRA_VERSION } from '../version.js';
import { eraseCommand } from './erase.js';
import { generateCommand } from './generate.js';
import { runCommand } from './run.js';
import { statusCommand } from './status.js';
import { validateCommand } from './validate.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function buildProgram(): Command {
  const program = new Command('cra')
    .description('Analytical CRM as a batch pipeline: ingest exports, resolve customers, analyse, publish Parquet and a report.')
    .version(CRA_VERSION)
    .exitOverride()
    .showHelpAfterError('(run cra --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('run')
    .description('run the pipeline\'s stages and publish the outputs')
    .argument('<pipeline>', 'pipeline file (YAML)')
    .option('--as-of <date>', 'analyse as of this date (YYYY-MM-DD); wins over the file and --set')
    .option('--set <key.path=value>', 'override one key of the pipeline file (repeatable)', collect, [])
    .option('--full-refresh', 'reload every input file, not only new or changed ones')
    .option('--strict', 'treat a skipped stage as a failure')
    .option('--resume', 'continue the last run that stopped at a failed stage, from that stage')
    .option('--if-changed', 'do nothing (exit 0) when no input file changed since the last successful run')
    .option('--json', 'machine output: JSON log lines on stderr, one JSON result on stdout')
    .option('--quiet', 'only warnings and errors')
    .option('--debug', 'debug logs and stack traces')
    .action(runCommand);

  program
    .command('validate')
    .description('check the pipeline file and that every source matches files; runs nothing')
    .argument('<pipeline>', 'pipeline file (YAML)')
    .option('--set <key.path=value>', 'override one key (repeatable)', collect, [])
    .option('--json', 'print the result as JSON')
    .action(validateCommand);

  program
    .command('generate')
    .description('write a synthetic multi-channel export set, truth.json and a pipeline.yaml that runs on it')
    .requiredOption('--out <dir>', 'output folder')
    .addOption(new Option('--customers <n>', 'number of people').default('2000'))
    .addOption(new Option('--seed <s>', 'random seed').default('42'))
    .addOption(new Option('--days <d>', 'days of history').default('730'))
    .option('--json', 'print the summary as JSON')
    .action(generateCommand);

  program
    .command('erase')
    .description('remove one person from the warehouse, retained runs and history, and suppress them at future ingests')
    .argument('<pipeline>', 'pipeline file (YAML)')
    .option('--email <email>', 'the person\'s email address')
    .option('--phone <phone>', 'the person\'s phone number')
    .option('--customer-key <key>', 'the person\'s customer_key')
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'only warnings and errors')
    .action(eraseCommand);

  program
    .command('status')
    .description('the last runs of a pipeline: id, as_of, status, seconds')
    .argument('<pipeline>', 'pipeline file (YAML)')
    .option('--json', 'print as JSON')
    .action(statusCommand);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const known = error instanceof CraError;
    const message = (error as Error)?.message ?? String(error);
    const code = known ? error.code : 'internal';
    process.stderr.write(`cra: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    if (!known && !debug) process.stderr.write('(an unexpected error; rerun with --debug for the stack trace, and please report it)\n');
    if (json) process.stdout.write(`${JSON.stringify({ error: message, code })}\n`);
    return known ? error.exitCode : ExitCode.runtime;
  }
}
