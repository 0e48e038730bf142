// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are config text, not templates.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import {
  formatConfigIssues,
  formatPath,
  locate,
  mergeConfigDocuments,
  parseConfigDocument,
} from './config-document.js';

const parse = (text: string, file = 'base.yaml', env: Record<string, string> = {}) =>
  parseConfigDocument(text, { file, env });

describe('parseConfigDocument', () => {
  it('throws a ConfigError when aliases expand beyond the limit', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let index = 0; index < 4; index++)
      lines.push(
        `${'bcde'[index]}: &${'bcde'[index]} [${`*${index === 0 ? 'a' : 'bcde'[index - 1]}, `.repeat(10)}]`,
      );

    expect(() => parse(lines.join('\n'))).toThrow(ConfigError);
    expect(() => parse(lines.join('\n'))).toThrow(/alias/i);
  });

  it('locates sequence items, keys and values', () => {
    const document = parse(['plugins:', '  - one', '  - two', 'server:', '  port: 80'].join('\n'));

    expect(locate(document, ['plugins', 1], 'base.yaml')).toEqual({ file: 'base.yaml', line: 3, column: 5 });
    expect(locate(document, ['server', 'port'], 'base.yaml')).toEqual({
      file: 'base.yaml',
      line: 5,
      column: 9,
    });
    expect(locate(document, ['server', 'port'], 'base.yaml', 'key')).toEqual({
      file: 'base.yaml',
      line: 5,
      column: 3,
    });
    expect(locate(document, ['server'], 'base.yaml')).toEqual({ file: 'base.yaml', line: 4, column: 1 });
  });

  it('points a missing path at its nearest ancestor, and at the file when nothing is known', () => {
    expect(locate(parse('server:\n  port: 80\n'), ['server', 'host', 'x'], 'f')).toMatchObject({ line: 1 });
    expect(locate(parse(''), ['server'], 'empty.yaml')).toEqual({ file: 'empty.yaml' });
  });

  it('points keys pulled in by a merge key at the `<<` line, and explicit keys at their own', () => {
    const text = [
      'defaults: &defaults',
      '  provider: openai',
      '  model: m',
      'main:',
      '  <<: *defaults',
      '  model: other',
    ];

    const document = parse(text.join('\n'));

    expect(document.value).toEqual({
      defaults: { provider: 'openai', model: 'm' },
      main: { provider: 'openai', model: 'other' },
    });
    expect(locate(document, ['main', 'provider'], 'base.yaml').line).toBe(5);
    expect(locate(document, ['main', 'model'], 'base.yaml').line).toBe(6);
  });

  it('follows merge keys given as a list of aliases', () => {
    const text = ['a: &a { x: 1 }', 'b: &b { y: 2 }', 'c:', '  <<: [*a, *b]'];

    const document = parse(text.join('\n'));

    expect(locate(document, ['c', 'y'], 'base.yaml').line).toBe(4);
  });

  it('locates an empty value at its key', () => {
    expect(locate(parse('agents:\n'), ['agents'], 'base.yaml')).toMatchObject({ line: 1, column: 1 });
  });

  it('interpolates inside lists and nested mappings, keeping other scalars as they are', () => {
    // Inside [ ] and { } a placeholder must be quoted: `{` is YAML syntax there.
    const text = 'a: ["${X}", 2, true, null]\nb: { c: "pre-${X}-post" }\n';

    expect(parse(text, 'f', { X: 'v' }).value).toEqual({ a: ['v', 2, true, null], b: { c: 'pre-v-post' } });
  });

  it('keeps a value with YAML-special characters intact', () => {
    const document = parse('apiKey: ${KEY}\n', 'f', { KEY: 'a: b # c\n- d' });

    expect(document.value).toEqual({ apiKey: 'a: b # c\n- d' });
  });

  it('reports malformed and unclosed placeholders, and leaves them verbatim', () => {
    const document = parse('a: ${not valid}\nb: ${OPEN\nc: $${ESCAPED\n');

    expect(document.value).toEqual({ a: '${not valid}', b: '${OPEN', c: '${ESCAPED' });
    expect(document.issues.map((issue) => [issue.line, issue.path, issue.message])).toEqual([
      [1, 'a', '"${not valid}" is not a valid placeholder'],
      [2, 'b', '"${OPEN" is not a valid placeholder'],
    ]);
  });

  it('uses a default for an empty variable but keeps an empty value without one', () => {
    const document = parse('a: ${EMPTY:-fallback}\nb: "[${EMPTY}]"\nc: ${constructor:-safe}\n', 'f', {
      EMPTY: '',
    });

    expect(document.value).toEqual({ a: 'fallback', b: '[]', c: 'safe' });
  });
});

describe('YAML syntax errors', () => {
  it.each([
    ['a:\n\t b: 1\n', 2, 'indent with spaces, not tabs'],
    [
      'server:\n  port: 3000\n host: x\n',
      3,
      'check the indentation: nested keys need more spaces than their parent, siblings the same',
    ],
    ['a: 1\nb: "x\n', 3, 'close the quote or bracket opened before this point'],
    ['a: @x\n', 1, 'quote the value: a plain value cannot start with this character'],
    ['a: 1\n...\nb: 2\n', 3, 'keep one document per file: remove the "---" or "..." separator'],
    [
      'a: 1\n]\n',
      2,
      'check the indentation and quoting near this line; quote values that contain ": " or " #"',
    ],
  ])('reports %j at line %i with a fix', (text, line, fix) => {
    let thrown: unknown;
    try {
      parse(text);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues[0]).toMatchObject({ file: 'base.yaml', line, fix });
  });
});

describe('mergeConfigDocuments', () => {
  it('replaces lists wholesale, taking their locations from the overlay', () => {
    const base = parse(['rules:', '  - name: a', '    windowMs: 1', '  - name: b'].join('\n'));
    const overlay = parse(['', 'rules:', '  - name: c'].join('\n'), 'overlay.yaml');

    const merged = mergeConfigDocuments(base, overlay);

    expect(merged.value).toEqual({ rules: [{ name: 'c' }] });
    // rules[0].windowMs existed only in the base: a missing-key lookup must land in the overlay.
    expect(locate(merged, ['rules', 0, 'windowMs'], 'base.yaml')).toEqual({
      file: 'overlay.yaml',
      line: 3,
      column: 5,
    });
    expect(locate(merged, ['rules', 1], 'base.yaml')).toMatchObject({ file: 'overlay.yaml', line: 2 });
  });

  it('keeps the base location of a merged mapping and adds the overlay one for new mappings', () => {
    const base = parse('server:\n  port: 1\n');
    const overlay = parse('\nserver:\n  host: h\nagents:\n  a: {}\n', 'overlay.yaml');

    const merged = mergeConfigDocuments(base, overlay);

    expect(locate(merged, ['server'], 'base.yaml')).toMatchObject({ file: 'base.yaml', line: 1 });
    expect(locate(merged, ['agents', 'a'], 'base.yaml')).toMatchObject({ file: 'overlay.yaml', line: 5 });
  });

  it('lets a non-mapping overlay replace the whole document and collects both sets of issues', () => {
    const base = parse('a: ${MISSING}\n');
    const overlay = parse('- ${ALSO_MISSING}\n', 'overlay.yaml');

    const merged = mergeConfigDocuments(base, overlay);

    expect(merged.value).toEqual(['${ALSO_MISSING}']);
    expect(merged.issues.map((issue) => issue.file)).toEqual(['base.yaml', 'overlay.yaml']);
    expect(locate(merged, ['a'], 'base.yaml')).toMatchObject({ file: 'overlay.yaml' });
  });

  it('adds the root location when the base was empty', () => {
    const merged = mergeConfigDocuments(parse(''), parse('server: { port: 1 }\n', 'overlay.yaml'));

    expect(merged.value).toEqual({ server: { port: 1 } });
    expect(locate(merged, ['server', 'port'], 'base.yaml').file).toBe('overlay.yaml');
  });
});

describe('formatting', () => {
  it('writes paths with dots and array indices', () => {
    expect(formatPath(['rateLimits', 'rules', 0, 'scope', 1])).toBe('rateLimits.rules[0].scope[1]');
    expect(formatPath([])).toBe('');
  });

  it('writes one line per issue and leaves out an unknown line', () => {
    const text = formatConfigIssues('Bad', [
      { file: 'a.yaml', path: '', message: 'missing.', fix: 'create it' },
      { file: 'a.yaml', line: 2, column: 3, path: 'x', message: 'wrong', fix: 'fix it' },
    ]);

    expect(text).toBe(
      'Bad (2 problems):\n  a.yaml (root): missing. Fix: create it\n  a.yaml:2:3 x: wrong. Fix: fix it',
    );
  });
});
