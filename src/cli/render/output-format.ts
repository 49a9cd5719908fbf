/**
 * The output formats every command offers, and the default: a readable table on a terminal, JSON lines when
 * stdout is piped or redirected (so that `unexpose hash dir > out.jsonl` is machine-readable).
 */
import { Option } from 'commander';
import { safeTerminalText } from './terminal-text.js';

export const OUTPUT_FORMATS = ['jsonl', 'csv', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The --format option, shared by the commands. */
export function formatOption(): Option {
  return new Option('--format <format>', 'output format (default: text on a terminal, jsonl otherwise)').choices(OUTPUT_FORMATS);
}

/** The format to use when the user gave none. */
export function resolveFormat(given: OutputFormat | undefined): OutputFormat {
  return given ?? (process.stdout.isTTY ? 'text' : 'jsonl');
}

/**
 * Writes one line to stdout, made safe for a terminal (controls and bidi overrides escaped; a JSON line stays the
 * same JSON), waiting when the pipe is full so that memory stays flat.
 */
export async function writeLine(line: string): Promise<void> {
  await writeVerbatimLine(safeTerminalText(line));
}

/** Writes one line exactly as given: only for exchange formats meant for programs (`bank export`). */
export async function writeVerbatimLine(line: string): Promise<void> {
  if (!process.stdout.write(`${line}\n`)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
