import { describe, expect, it } from 'vitest';
import { createSpinner, NO_SPINNER } from './spinner.js';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, write: (text: string) => writes.push(text), writes };
}

describe('createSpinner', () => {
  it('draws frames with the text on a terminal, redraws on a timer, and erases the line', async () => {
    const output = terminal(true);
    const spinner = createSpinner(output, {}, { intervalMs: 5 });

    spinner.update('step 1 · waiting for the model');
    await new Promise((resolve) => setTimeout(resolve, 40));
    spinner.stop();

    expect(output.writes[0]).toBe('\r\u001b[2K⠋ step 1 · waiting for the model');
    expect(output.writes.length).toBeGreaterThan(2);
    expect(output.writes[1]).toContain('⠙');
    expect(output.writes.at(-1)).toBe('\r\u001b[2K');
    const count = output.writes.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(output.writes).toHaveLength(count);
  });

  it('does not redraw after clear until the next update', async () => {
    const output = terminal(true);
    const spinner = createSpinner(output, {}, { intervalMs: 5 });
    spinner.update('working');
    spinner.clear();
    const count = output.writes.length;
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(output.writes).toHaveLength(count);
    spinner.update('again');
    expect(output.writes.at(-1)).toContain('again');
    spinner.stop();
  });

  it('is off for pipes, in CI and on dumb terminals', () => {
    expect(createSpinner(terminal(false), {})).toBe(NO_SPINNER);
    expect(createSpinner(terminal(true), { CI: 'true' })).toBe(NO_SPINNER);
    expect(createSpinner(terminal(true), { TERM: 'dumb' })).toBe(NO_SPINNER);
    expect(createSpinner(terminal(true), { CI: '' })).not.toBe(NO_SPINNER);
  });
});
