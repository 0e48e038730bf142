import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../src/exit-codes.js';
import { cli, project, VALID_CONFIG } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
async function dir() {
  const created = await project({
    'agent.config.yaml': `${VALID_CONFIG}tools:\n  builtins: [calculator, http_fetch]\n  options:\n    http_fetch:\n      allow: [example.com]\n`,
  });
  cleanups.push(created.remove);
  return created.path;
}

describe('agent tools call', () => {
  it('runs a tool with a JSON input and prints its output as JSON', async () => {
    const cwd = await dir();

    const result = await cli(['tools', 'call', 'calculator', '{"expression": "2 * (3 + 4)"}'], { cwd });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_SUCCESS);
    expect(JSON.parse(result.stdout)).toEqual({ expression: '2 * (3 + 4)', result: 14 });
    const empty = await cli(['tools', 'call', 'current_time'], { cwd });
    expect(JSON.parse(empty.stdout)).toMatchObject({ timezone: 'UTC' });
  });

  it('prints a tool error with its code and exits 1: invalid input, a refusal', async () => {
    const cwd = await dir();

    const invalid = await cli(['tools', 'call', 'calculator', '{"expr": "1"}'], { cwd });
    expect(invalid.code).toBe(EXIT_FAILURE);
    expect(invalid.stderr).toMatch(/^error: TOOL_INPUT_INVALID: .*expression/);
    expect(invalid.stdout).toBe('');

    const refused = await cli(['tools', 'call', 'http_fetch', '{"url": "http://169.254.169.254/"}'], { cwd });
    expect(refused.code).toBe(EXIT_FAILURE);
    expect(refused.stderr).toContain('TOOL_REFUSED');
  });

  it('refuses input that is not JSON, an unknown tool (with a suggestion) and a bad --timeout', async () => {
    const cwd = await dir();

    const notJson = await cli(['tools', 'call', 'calculator', '2+2'], { cwd });
    expect(notJson.code).toBe(EXIT_USAGE);
    expect(notJson.stderr).toContain('must be JSON');

    const unknown = await cli(['tools', 'call', 'calculater', '{}'], { cwd });
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toContain('Did you mean calculator?');

    const timeout = await cli(['tools', 'call', 'calculator', '{}', '--timeout', 'soon'], { cwd });
    expect(timeout.code).toBe(EXIT_USAGE);
    expect(timeout.stderr).toContain('--timeout must be');
  });
});
