#!/usr/bin/env node
/**
 * The `unexpose` command: one table of commands, each a thin face over a service; one error boundary.
 * Only the command being run is loaded (each pulls in its own services), so a command starts fast; help and
 * unknown commands load them all.
 */
import { Command } from 'commander';
import { endQuietlyOnClosedPipe, EXIT_USAGE, reportCliError } from './errors.js';

type Register = (program: Command) => void;

/** Every command, by name, with the module that defines it. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  scan: async () => (await import('./commands/scan.js')).registerScanCommand,
  hash: async () => (await import('./commands/hash.js')).registerHashCommand,
  bank: async () => (await import('./commands/bank.js')).registerBankCommand,
  match: async () => (await import('./commands/match.js')).registerMatchCommand,
  'compare-video': async () => (await import('./commands/compare-video.js')).registerCompareVideoCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  worker: async () => (await import('./commands/worker.js')).registerWorkerCommand,
  jobs: async () => (await import('./commands/jobs.js')).registerJobsCommand,
  apikey: async () => (await import('./commands/apikey.js')).registerApiKeyCommand,
  notices: async () => (await import('./commands/notices.js')).registerNoticesCommand,
  evidence: async () => (await import('./commands/evidence.js')).registerEvidenceCommand,
  verify: async () => (await import('./commands/evidence.js')).registerVerifyCommand,
};

/** Builds the program with the named command registered, or all of them. */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command()
    .name('unexpose')
    .description('Find and take down intimate images shared without consent, and the doxxing spread with them, by hash.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  const versionOnly = only === '--version' || only === '-V';
  const names = versionOnly ? [] : only && COMMANDS[only] ? [only] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]())(program);
  return program;
}

async function main(rawArgv: string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  // --debug is global and taken out before parsing: it only changes what an unexpected error prints.
  const debug = rawArgv.includes('--debug') || process.env.UNEXPOSE_DEBUG === '1';
  const argv = rawArgv.filter((a, i) => i < 2 || a !== '--debug');
  // An error thrown outside a command's own flow (a stream, a timer) goes through the same boundary.
  const fatal = (err: unknown) => process.exit(reportCliError(err, debug));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  const program = await buildProgram(argv[2]);
  if (argv.length <= 2) {
    program.outputHelp();
    process.exitCode = EXIT_USAGE;
    return;
  }
  try {
    program.option('--debug', 'on an unexpected error, print its stack');
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportCliError(err, debug);
  }
}

await main(process.argv);
