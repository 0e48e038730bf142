import { PassThrough } from 'node:stream';
import { ConfigError } from '@agent/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import winston from 'winston';
import { LogContext } from '../context/log-context.js';
import { createRedactor } from '../redact/create-redactor.js';
import type { Redactor } from '../redact/redactor.js';
import { createMemoryTransport } from './__fixtures__/memory-transport.js';
import { createLogger, type LoggerOptions } from './create-logger.js';

function setup(options: LoggerOptions = {}) {
  const memory = createMemoryTransport();
  const logger = createLogger({ transports: [memory.transport], context: new LogContext(), ...options });
  return { memory, logger };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createLogger: levels', () => {
  it('writes info and above by default and drops debug', async () => {
    const { memory, logger } = setup();

    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    await logger.close();

    expect(memory.records().map((record) => [record.level, record.message])).toEqual([
      ['info', 'i'],
      ['warn', 'w'],
      ['error', 'e'],
    ]);
  });

  it('writes only error lines at level error', async () => {
    const { memory, logger } = setup({ level: 'error' });

    logger.info('i');
    logger.warn('w');
    logger.error('e');
    await logger.close();

    expect(memory.records().map((record) => record.message)).toEqual(['e']);
  });

  it('changes the level of the logger and its children through the level setter', async () => {
    const { memory, logger } = setup();
    const child = logger.child({ part: 'x' });

    child.debug('before');
    logger.level = 'debug';
    child.debug('after');
    await logger.close();

    expect(child.level).toBe('debug');
    expect(memory.records().map((record) => record.message)).toEqual(['after']);
  });

  it('rejects an unknown level set later with a ConfigError', () => {
    const { logger } = setup();

    expect(() => {
      logger.level = 'verbose' as 'info';
    }).toThrow(ConfigError);
    expect(logger.level).toBe('info');
  });
});

describe('createLogger: children', () => {
  it('adds child fields to every line, and grandchild fields on top', async () => {
    const { memory, logger } = setup({ fields: { service: 'api' } });
    const child = logger.child({ runId: 'run-1', step: 1 });
    const grandchild = child.child({ step: 2, tool: 'search' });

    child.info('child');
    grandchild.info('grandchild');
    logger.info('root');
    await logger.close();

    const [childLine, grandchildLine, rootLine] = memory.records();
    expect(childLine).toMatchObject({ service: 'api', runId: 'run-1', step: 1 });
    expect(grandchildLine).toMatchObject({ service: 'api', runId: 'run-1', step: 2, tool: 'search' });
    expect(rootLine).not.toHaveProperty('runId');
  });

  it('shares one winston logger between a logger and its children', () => {
    const createLoggerSpy = vi.spyOn(winston, 'createLogger');
    const { logger } = setup();

    for (let run = 0; run < 5; run++) logger.child({ runId: `run-${run}` }).child({ step: 1 });

    expect(createLoggerSpy).toHaveBeenCalledTimes(1);
  });
});

describe('createLogger: redaction', () => {
  it('redacts the message and the fields by default', async () => {
    const { memory, logger } = setup();

    logger.info('mail from jane@example.com', {
      headers: { authorization: 'Bearer abc' },
      client: { ip: '203.0.113.195' },
      note: 'card 4111 1111 1111 1111',
    });
    await logger.close();

    expect(memory.records()[0]).toMatchObject({
      message: 'mail from [REDACTED:email]',
      headers: { authorization: '[REDACTED:key]' },
      client: { ip: '[REDACTED:ipv4]' },
      note: 'card [REDACTED:card]',
    });
  });

  it('redacts child fields, ids from the context, and error messages', async () => {
    const memory = createMemoryTransport();
    const context = new LogContext();
    const logger = createLogger({ transports: [memory.transport], context });

    context.run({ tenant: 'jane@example.com' }, () =>
      logger.child({ apiKey: 'k' }).error('failed', { error: new Error('no route to 10.0.0.1') }),
    );
    await logger.close();

    expect(memory.records()[0]).toMatchObject({
      tenant: '[REDACTED:email]',
      apiKey: '[REDACTED:key]',
      error: { message: 'no route to [REDACTED:ipv4]' },
    });
  });

  it('writes message and fields as they are with redact: false', async () => {
    const { memory, logger } = setup({ redact: false });

    logger.info('mail from jane@example.com', { password: 'hunter2' });
    await logger.close();

    expect(memory.records()[0]).toMatchObject({ message: 'mail from jane@example.com', password: 'hunter2' });
  });

  it('uses a Redactor it is given', async () => {
    const { memory, logger } = setup({ redact: createRedactor({ disable: ['email'], keys: ['ssn'] }) });

    logger.info('mail from jane@example.com', { ssn: '078-05-1120' });
    await logger.close();

    expect(memory.records()[0]).toMatchObject({
      message: 'mail from jane@example.com',
      ssn: '[REDACTED:key]',
    });
  });

  it('skips a Redactor that is switched off', async () => {
    const { memory, logger } = setup({ redact: createRedactor({ enabled: false }) });

    logger.info('mail from jane@example.com');
    await logger.close();

    expect(memory.records()[0]).toMatchObject({ message: 'mail from jane@example.com' });
  });
});

describe('createLogger: fields', () => {
  it('serialises errors with name, message and code, without stack above debug', async () => {
    const { memory, logger } = setup();
    const error = Object.assign(new TypeError('bad input'), { code: 'E_INPUT' });

    logger.error('failed', { error });
    await logger.close();

    expect(memory.records()[0]?.error).toEqual({ name: 'TypeError', message: 'bad input', code: 'E_INPUT' });
  });

  it('adds the stack of errors at level debug', async () => {
    const { memory, logger } = setup({ level: 'debug' });

    logger.error('failed', { error: new Error('bad input') });
    await logger.close();

    expect(memory.records()[0]?.error).toMatchObject({
      stack: expect.stringContaining('Error: bad input\n    at '),
    });
  });

  it('writes a field named like timestamp, level or message under an underscore', async () => {
    const { memory, logger } = setup();

    logger.info('real', { message: 'field', level: 'x', timestamp: 1 });
    await logger.close();

    expect(memory.records()[0]).toMatchObject({
      message: 'real',
      level: 'info',
      _message: 'field',
      _level: 'x',
      _timestamp: 1,
    });
  });

  it('writes a line with cyclic fields and bigints even with redaction off', async () => {
    const { memory, logger } = setup({ redact: false });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    logger.info('odd fields', { cyclic, big: 10n });
    await logger.close();

    expect(memory.records()[0]).toMatchObject({ cyclic: { name: 'loop', self: '[CIRCULAR]' }, big: '10' });
  });
});

describe('createLogger: format', () => {
  it('writes one readable line per call in the pretty format', async () => {
    const { memory, logger } = setup({ format: 'pretty' });

    logger.info('run started\nsecond line', { runId: 'run-1', input: 'what is 2+2?', usage: { tokens: 3 } });
    await logger.close();

    expect(memory.lines).toHaveLength(1);
    expect(memory.lines[0]).toMatch(
      /^\d{4}-\d{2}-\d{2}T[\d:.]+Z INFO {2}run started\\nsecond line runId=run-1 input="what is 2\+2\?" usage=\{"tokens":3\}$/,
    );
  });

  it('adds colours in the pretty format when asked', async () => {
    const { memory, logger } = setup({ format: 'pretty', color: true });

    logger.warn('careful');
    await logger.close();

    expect(memory.lines[0]).toContain('\u001b[33mWARN \u001b[0m careful');
  });

  it('writes no colours to a custom transport unless asked', async () => {
    const { memory, logger } = setup({ format: 'pretty' });

    logger.warn('careful');
    await logger.close();

    expect(memory.lines[0]).not.toContain('\u001b[');
  });

  it('writes to one Console transport with no stderr levels (so stdout) when given no transports', async () => {
    const createLoggerSpy = vi.spyOn(winston, 'createLogger');

    const logger = createLogger({ context: new LogContext() });
    await logger.close();

    const transports = createLoggerSpy.mock.calls[0]?.[0]?.transports as winston.transport[];
    expect(transports).toHaveLength(1);
    expect(transports[0]).toBeInstanceOf(winston.transports.Console);
    expect((transports[0] as unknown as { stderrLevels: object }).stderrLevels).toEqual({});
  });
});

describe('createLogger: close and failures', () => {
  it('flushes the transports on close and drops lines logged after it', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const logger = createLogger({
      transports: [new winston.transports.Stream({ stream })],
      context: new LogContext(),
    });

    logger.info('before close');
    const closing = logger.close();
    logger.info('after close');
    await closing;

    expect(chunks.join('')).toContain('before close');
    expect(chunks.join('')).not.toContain('after close');
    expect(logger.close()).toBe(closing);
  });

  it('reports a transport failure to onError and does not throw', () => {
    const onError = vi.fn();
    const { memory, logger } = setup({ onError });
    const failure = new Error('disk full');

    memory.transport.emit('error', failure);
    logger.info('still logging');

    expect(onError).toHaveBeenCalledWith(failure, memory.transport);
    expect(memory.records().map((record) => record.message)).toEqual(['still logging']);
  });

  it('reports a line that cannot be built to onError and does not throw', () => {
    const onError = vi.fn();
    const broken: Redactor = {
      enabled: true,
      redactString: () => {
        throw new Error('redactor broke');
      },
      redact: (value) => value,
    };
    const { logger } = setup({ redact: broken, onError });

    expect(() => logger.info('line')).not.toThrow();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'redactor broke' }));
  });

  it('warns once through the process by default', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const broken: Redactor = {
      enabled: true,
      redactString: () => {
        throw new Error('redactor broke');
      },
      redact: (value) => value,
    };
    const { logger } = setup({ redact: broken });

    logger.info('one');
    logger.info('two');

    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning).toHaveBeenCalledWith(expect.stringContaining('redactor broke'), {
      code: 'AGENT_LOG_WRITE_FAILED',
    });
  });
});

describe('createLogger: options', () => {
  it.each<[string, LoggerOptions, RegExp]>([
    [
      'an unknown level',
      { level: 'verbose' as 'info' },
      /level "verbose" is not supported; pass one of debug, info, warn, error/,
    ],
    [
      'an unknown format',
      { format: 'xml' as 'json' },
      /format "xml" is not supported; pass 'json' or 'pretty'/,
    ],
    [
      'a redact option of the wrong shape',
      { redact: 'yes' as unknown as boolean },
      /"redact" must be true, false or a Redactor/,
    ],
    ['an empty transports array', { transports: [] }, /non-empty array of winston transports/],
    [
      'a transport that is not one',
      { transports: [{} as winston.transport] },
      /must hold winston transports/,
    ],
    ['a context that is not one', { context: {} as LogContext }, /"context" must be a LogContext/],
    [
      'fields that are not an object',
      { fields: 'service' as unknown as Record<string, unknown> },
      /"fields" must be an object/,
    ],
    [
      'a color that is not a boolean',
      { color: 'auto' as unknown as boolean },
      /"color" must be true or false/,
    ],
    [
      'an onError that is not a function',
      { onError: 'log' as unknown as () => void },
      /"onError" must be a function/,
    ],
  ])('rejects %s with a ConfigError that says what to pass', (_, options, message) => {
    expect(() => createLogger(options)).toThrow(ConfigError);
    expect(() => createLogger(options)).toThrow(message);
  });
});
