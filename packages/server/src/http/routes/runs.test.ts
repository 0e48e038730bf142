import { describe, expect, it } from 'vitest';
import { chooseMode } from './runs.js';

describe('chooseMode', () => {
  it.each([
    [undefined, undefined, undefined, 'wait'],
    ['async', 'text/event-stream', undefined, 'async'],
    ['wait', 'text/event-stream', 'respond-async', 'wait'],
    [undefined, 'text/event-stream', undefined, 'stream'],
    [undefined, 'application/json, text/event-stream;q=0.9', undefined, 'stream'],
    [undefined, 'text/event-stream', 'respond-async', 'stream'],
    [undefined, undefined, 'respond-async', 'async'],
    [undefined, undefined, 'return=minimal, respond-async; wait=5', 'async'],
    [undefined, 'application/json', 'return=minimal', 'wait'],
    [undefined, 'text/event-streamer', 'respond-asyncish', 'wait'],
  ] as const)('body %s, Accept %s, Prefer %s: %s', (bodyMode, accept, prefer, expected) => {
    expect(chooseMode(bodyMode, accept, prefer)).toBe(expected);
  });
});
