/**
 * Command-line options for the project's scripts: whole-number options with ranges and
 * defaults, text options read by their own parsers, plus flags. Bad input prints a clear message
 * and the usage, and exits with code 2.
 */

/** A whole-number option: its default and its allowed range. */
export interface NumberOption {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** A text option: its default and the parser that reads it (an error is one sentence). */
export interface TextOption<T> {
  readonly default: T;
  readonly parse: (text: string) => { ok: true; value: T } | { ok: false; error: string };
}

/** Print `message` and the usage on stderr, and exit with code 2. */
export function fail(usage: string, message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

/**
 * Parse `--name N` options, `--name TEXT` options and bare `--flag` flags; `--help` prints the
 * usage and exits.
 */
export function parseOptions<
  N extends string,
  F extends string,
  T extends Record<string, unknown> = Record<string, never>,
>(
  argv: readonly string[],
  usage: string,
  numbers: Readonly<Record<N, NumberOption>>,
  flags: readonly F[] = [],
  texts: { readonly [K in keyof T]: TextOption<T[K]> } = {} as {
    readonly [K in keyof T]: TextOption<T[K]>;
  },
): { readonly values: Record<N, number>; readonly flags: ReadonlySet<F>; readonly texts: T } {
  const values = Object.fromEntries(
    Object.entries<NumberOption>(numbers).map(([k, o]) => [k, o.default]),
  ) as Record<N, number>;
  const textValues = Object.fromEntries(
    Object.entries<TextOption<unknown>>(texts).map(([k, o]) => [k, o.default]),
  ) as T;
  const seen = new Set<F>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    const name = arg.replace(/^--/, '');
    const flag = flags.find((f) => f === name);
    if (arg.startsWith('--') && flag !== undefined) {
      seen.add(flag);
      continue;
    }
    // Own keys only: "--constructor" or "--__proto__" are not options.
    const text = Object.hasOwn(texts, name)
      ? (texts as Record<string, TextOption<unknown>>)[name]
      : undefined;
    if (arg.startsWith('--') && text) {
      const raw = argv[++i];
      if (raw === undefined) fail(usage, `--${name} needs a value.`);
      const parsed = text.parse(raw);
      if (!parsed.ok) fail(usage, `--${name}: ${parsed.error}`);
      (textValues as Record<string, unknown>)[name] = parsed.value;
      continue;
    }
    const option = Object.hasOwn(numbers, name) ? numbers[name as N] : undefined;
    if (!arg.startsWith('--') || !option) fail(usage, `Unknown option "${arg}".`);
    const raw = argv[++i];
    const value = Number(raw);
    if (raw === undefined || !/^\d+$/.test(raw) || value < option.min || value > option.max) {
      fail(
        usage,
        `--${name} needs a whole number from ${option.min} to ${option.max}, got "${raw ?? ''}".`,
      );
    }
    values[name as N] = value;
  }
  return { values, flags: seen, texts: textValues };
}

/** Long runs say how far they are on stderr, first after this long and then this often. */
const PROGRESS_AFTER_MS = 3_000;
const PROGRESS_EVERY_MS = 1_000;

/** A line on stderr, rewritten in place on a terminal. */
export interface ProgressLine {
  /** Show `text` (built only when due: a run calls this often). */
  (text: () => string): void;
  /** Whether any line was shown. */
  readonly printed: () => boolean;
  /** End the line a terminal kept rewriting. */
  readonly end: () => void;
}

/** A progress line that stays quiet for short runs and speaks about once a second in long ones. */
export function progressLine(started = performance.now()): ProgressLine {
  let last = started;
  let printed = false;
  const tty = process.stderr.isTTY;
  const show = (text: () => string): void => {
    const now = performance.now();
    if (now - started < PROGRESS_AFTER_MS || now - last < PROGRESS_EVERY_MS) return;
    last = now;
    printed = true;
    process.stderr.write(tty ? `\r${text()}` : `${text()}\n`);
  };
  return Object.assign(show, {
    printed: () => printed,
    end: () => {
      if (tty && printed) process.stderr.write('\n');
    },
  });
}
