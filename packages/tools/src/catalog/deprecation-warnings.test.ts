import { type AnyTool, defineTool } from '@agent/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordingLogger } from '../plugins/__fixtures__/recording-logger.js';
import { resetDeprecationWarnings, warnDeprecatedOnce } from './deprecation-warnings.js';
import { ToolCatalog } from './tool-catalog.js';

function weather(
  version: string,
  deprecated?: boolean | { replacement?: string; message?: string },
): AnyTool {
  return defineTool({
    name: 'weather',
    description: 'Weather.',
    input: z.object({}),
    version,
    ...(deprecated !== undefined ? { deprecated } : {}),
    execute: () => version,
  });
}

describe('deprecation warnings', () => {
  beforeEach(() => resetDeprecationWarnings());

  it('warns once per process across catalogs, naming the replacement and the message', () => {
    const tools = [
      weather('1.0.0', { replacement: 'weather@2', message: 'v1 uses the retired API.' }),
      weather('2.0.0'),
    ];
    const first = recordingLogger();
    const second = recordingLogger();
    const a = new ToolCatalog(tools, { logger: first.logger });
    const b = new ToolCatalog(tools, { logger: second.logger });

    a.resolve('weather@^1');
    a.registryFor(['weather@1.0.0']);
    b.resolve('weather@1');
    a.resolve('weather');

    expect(first.lines).toEqual([
      {
        level: 'warn',
        message: 'Tool "weather" (1.0.0) is deprecated: use "weather@2" instead. v1 uses the retired API.',
        fields: { tool: 'weather', version: '1.0.0', replacement: 'weather@2' },
      },
    ]);
    expect(second.lines).toEqual([]);
  });

  it('warns separately for each deprecated version, and without a replacement', () => {
    const { logger, lines } = recordingLogger();
    const catalog = new ToolCatalog([weather('1.0.0', true), weather('1.1.0', { message: 'Going away.' })], {
      logger,
    });

    catalog.resolve('weather@1.0.0');
    catalog.resolve('weather@1.1.0');

    expect(lines.map((line) => line.message)).toEqual([
      'Tool "weather" (1.0.0) is deprecated: plan to stop using it.',
      'Tool "weather" (1.1.0) is deprecated: plan to stop using it. Going away.',
    ]);
  });

  it('does not warn for has()', () => {
    const { logger, lines } = recordingLogger();

    new ToolCatalog([weather('1.0.0', true)], { logger }).has('weather');

    expect(lines).toEqual([]);
  });

  it('stays bounded: past 10 000 remembered tools the oldest is forgotten and warns again', () => {
    const { logger, lines } = recordingLogger();
    const first = weather('1.0.0', true);
    // Cheap copies of one tool: the registry keys on name@version only.
    const many = Array.from({ length: 10_000 }, (_, index) => ({ ...first, version: `1.0.${index + 1}` }));

    warnDeprecatedOnce(first, logger);
    for (const tool of many) warnDeprecatedOnce(tool, logger);
    warnDeprecatedOnce(first, logger);
    warnDeprecatedOnce(many[9_999] as AnyTool, logger);

    expect(lines).toHaveLength(10_002);
    expect(lines.at(-1)?.message).toBe('Tool "weather" (1.0.0) is deprecated: plan to stop using it.');
  });
});
