/** Option parsers shared by the commands; a bad value is a usage error (exit 2) that names the value. */
import { InvalidArgumentError } from 'commander';

/** A number greater than zero. */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a number greater than 0.`);
  return n;
}

/** An integer from 0 up. */
export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a whole number of 0 or more.`);
  return n;
}
