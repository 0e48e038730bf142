import { describe, expect, it } from 'vitest';
import { recordingLogger } from './recording-logger.js';

describe('recordingLogger', () => {
  it('keeps every line with its level, and children add their bound fields', () => {
    const { logger, lines } = recordingLogger();

    logger.warn('deprecated', { tool: 'weather' });
    logger.child({ plugin: 'acme' }).child({ step: 1 }).info('loaded');
    logger.debug('quiet');
    logger.error('bad');

    expect(lines).toEqual([
      { level: 'warn', message: 'deprecated', fields: { tool: 'weather' } },
      { level: 'info', message: 'loaded', fields: { plugin: 'acme', step: 1 } },
      { level: 'debug', message: 'quiet', fields: {} },
      { level: 'error', message: 'bad', fields: {} },
    ]);
  });
});
