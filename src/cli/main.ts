#!/usr/bin/env node
/**
 * The `unexpose` command: one table of commands, each a thin face over a service; one error boundary.
 */
import { Command } from 'commander';
import { registerHashCommand } from './commands/hash.js';
import { registerScanCommand } from './commands/scan.js';
import { registerBankCommand } from './commands/bank.js';
import { registerMatchCommand } from './commands/match.js';
import { registerCompareVideoCommand } from './commands/compare-video.js';
import { EXIT_USAGE, reportCliError } from './errors.js';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command()
    .name('unexpose')
    .description('Find and take down intimate images shared without consent, and the doxxing spread with them, by hash.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerScanCommand(program);
  registerHashCommand(program);
  registerBankCommand(program);
  registerMatchCommand(program);
  registerCompareVideoCommand(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp();
    process.exitCode = EXIT_USAGE;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportCliError(err);
  }
}

await main(process.argv);
