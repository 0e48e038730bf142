import { describe, expect, it } from 'vitest';
import { renderJson, renderPretty, shouldUseColor } from './log-format.js';

const record = { timestamp: '2024-01-15T10:30:45.123Z', level: 'info', message: 'run started' };

describe('renderJson', () => {
  it('writes one JSON object on one line, keys in order', () => {
    expect(renderJson({ ...record, note: 'a\nb' })).toBe(
      '{"timestamp":"2024-01-15T10:30:45.123Z","level":"info","message":"run started","note":"a\\nb"}',
    );
  });
});

describe('renderPretty', () => {
  it('writes time, padded level, message and key=value fields', () => {
    const line = renderPretty({ ...record, runId: 'run-1', tokens: 12, ok: true }, false);

    expect(line).toBe('2024-01-15T10:30:45.123Z INFO  run started runId=run-1 tokens=12 ok=true');
  });

  it('quotes strings that would read ambiguously and writes objects as compact JSON', () => {
    const line = renderPretty(
      { ...record, input: 'a b', eq: 'x=y', empty: '', usage: { in: 1 }, list: [1, 2] },
      false,
    );

    expect(line).toBe(
      '2024-01-15T10:30:45.123Z INFO  run started input="a b" eq="x=y" empty="" usage={"in":1} list=[1,2]',
    );
  });

  it('keeps every line on one line by escaping control characters', () => {
    const line = renderPretty({ ...record, message: 'one\ntwo\u0007', 'odd\nkey': 'v' }, false);

    expect(line).toBe('2024-01-15T10:30:45.123Z INFO  one\\ntwo\\u0007 odd\\nkey=v');
    expect(line).not.toContain('\n');
  });

  it('skips undefined fields', () => {
    expect(renderPretty({ ...record, gone: undefined }, false)).toBe(
      '2024-01-15T10:30:45.123Z INFO  run started',
    );
  });

  it('colours the level by severity and dims time and keys when asked', () => {
    const line = renderPretty({ ...record, level: 'error', runId: 'r' }, true);

    expect(line).toBe(
      '\u001b[2m2024-01-15T10:30:45.123Z\u001b[0m \u001b[31mERROR\u001b[0m run started \u001b[2mrunId=\u001b[0mr',
    );
  });

  it('leaves an unknown level uncoloured', () => {
    const line = renderPretty({ ...record, level: 'trace' }, true);

    expect(line).toContain(' TRACE run started');
  });
});

describe('shouldUseColor', () => {
  it.each([
    ['a terminal without NO_COLOR', { isTTY: true }, {}, true],
    ['a terminal with an empty NO_COLOR', { isTTY: true }, { NO_COLOR: '' }, true],
    ['a terminal with NO_COLOR set', { isTTY: true }, { NO_COLOR: '1' }, false],
    ['a pipe', { isTTY: false }, {}, false],
    ['a stream that does not say', {}, {}, false],
  ])('is right for %s', (_, stream, env, expected) => {
    expect(shouldUseColor(stream, env)).toBe(expected);
  });
});
