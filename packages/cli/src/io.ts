/** A stream the CLI writes to: `process.stdout`, or a string collector in tests. */
export interface CliOutput {
  write(text: string): unknown;
  /** True when it is a terminal: colour is used only then. */
  isTTY?: boolean;
}

/** Everything the CLI touches outside itself, so every command runs in-process in tests. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where `--input -` reads the task from. @default nothing (an empty task) */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** Long-running commands (`serve`) stop when this aborts. */
  signal?: AbortSignal;
}

/** ANSI styles; each is the identity when colour is off. */
export interface Colors {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const style =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/** Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org). */
export function colorsFor(output: CliOutput, env: Record<string, string | undefined>): Colors {
  const enabled = output.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  return {
    bold: style(enabled, 1, 22),
    dim: style(enabled, 2, 22),
    red: style(enabled, 31, 39),
    green: style(enabled, 32, 39),
    yellow: style(enabled, 33, 39),
    cyan: style(enabled, 36, 39),
  };
}
