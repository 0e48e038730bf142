import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDotenv, parseDotenv } from './dotenv.js';

describe('parseDotenv', () => {
  it('reports invalid lines by number and skips them', () => {
    const invalid: number[] = [];

    const values = parseDotenv('GOOD=1\nnot a pair\n=nokey\nUNCLOSED="abc\nLATER=2', {
      onInvalidLine: (line) => invalid.push(line),
    });

    expect(invalid).toEqual([2, 3, 4]);
    expect(values).toEqual({ GOOD: '1', LATER: '2' });
  });

  it('skips invalid lines silently without a callback', () => {
    expect(parseDotenv('oops\nA=1\nB="unclosed')).toEqual({ A: '1' });
  });

  it('reads KEY=VALUE pairs, an export prefix, comments and empty lines', () => {
    const text =
      '\uFEFF# comment\n\nexport A=1\nB = two words  \r\nC=a#b\nD=value # trailing\nE=\n  F=indented';

    expect(parseDotenv(text)).toEqual({ A: '1', B: 'two words', C: 'a#b', D: 'value', E: '', F: 'indented' });
  });

  it('unescapes double-quoted values and keeps single-quoted ones literal', () => {
    const text = String.raw`D="line1\nline2\t\"q\" \\ \x # not a comment" # comment
S='raw\n $HOME # kept'`;

    expect(parseDotenv(text)).toEqual({
      D: 'line1\nline2\t"q" \\ \\x # not a comment',
      S: 'raw\\n $HOME # kept',
    });
  });

  it('reads quoted values that span lines', () => {
    const text = 'KEY="-----BEGIN KEY-----\nabc\n-----END KEY-----"\nNEXT=1';

    expect(parseDotenv(text)).toEqual({ KEY: '-----BEGIN KEY-----\nabc\n-----END KEY-----', NEXT: '1' });
  });

  it('lets a later duplicate win and treats __proto__ as a plain key', () => {
    const values = parseDotenv('A=1\nA=2\n__proto__=x');

    expect(values.A).toBe('2');
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toBe('x');
  });
});

describe('loadDotenv', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dotenv-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('returns an empty object for a missing file', async () => {
    expect(await loadDotenv(join(directory, '.env'))).toEqual({});
  });

  it('throws other read errors', async () => {
    await expect(loadDotenv(directory)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('parses an existing file', async () => {
    await writeFile(join(directory, '.env'), 'TOKEN="abc"\n');

    expect(await loadDotenv(join(directory, '.env'))).toEqual({ TOKEN: 'abc' });
  });
});
