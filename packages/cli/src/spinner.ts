import type { CliOutput } from './io.js';

/** A one-line progress indicator: the current step and tool of a run. */
export interface Spinner {
  /** Sets the text shown next to the spinner, and shows it again if it was cleared. */
  update(text: string): void;
  /** Erases the spinner line before other output; it comes back with the next `update`. */
  clear(): void;
  /** Erases it for good and stops its timer. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ERASE_LINE = '\r\u001b[2K';

/** A spinner that draws nothing: for pipes, files, CI logs and dumb terminals. */
export const NO_SPINNER: Spinner = { update() {}, clear() {}, stop() {} };

/**
 * A spinner on `output`, only when it is a terminal: a spinner in a pipe or a CI log is a stream of
 * carriage returns. `CI` and `TERM=dumb` turn it off too.
 */
export function createSpinner(
  output: CliOutput,
  env: Record<string, string | undefined>,
  options: { intervalMs?: number } = {},
): Spinner {
  if (output.isTTY !== true || (env.CI ?? '') !== '' || env.TERM === 'dumb') return NO_SPINNER;
  let text = '';
  let frame = 0;
  let visible = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    output.write(`${ERASE_LINE}${FRAMES[frame % FRAMES.length]} ${text}`);
    frame += 1;
    visible = true;
  };
  return {
    update(next) {
      text = next;
      draw();
      if (timer === undefined) {
        timer = setInterval(() => visible && draw(), options.intervalMs ?? 80);
        // A forgotten spinner must never keep the process alive.
        timer.unref?.();
      }
    },
    clear() {
      if (visible) output.write(ERASE_LINE);
      visible = false;
    },
    stop() {
      this.clear();
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
