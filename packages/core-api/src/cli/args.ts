import { parseArgs } from 'node:util';

/** A command line that cannot be run: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Parsed {
  /** Options by name: text for `type: 'string'`, true for a present flag. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** node:util's parseArgs, strict, with its errors as UsageError. */
export function parseCommand(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A string option's value, if given. */
export const text = (parsed: Parsed, name: string): string | undefined => {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
};

/** Where the CLI writes: the summary to stdout, progress and notes to stderr (so stdout can be piped). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (a progress bar) or not (plain lines). */
  tty: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
};
