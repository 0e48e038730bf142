import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { agentConfigSchema } from '@agent/core';
import { parseConfigText } from '@agent/core/node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/default-config.js';

describe('the reference server configuration', () => {
  it('agent.config.yaml is the embedded default written out', async () => {
    const file = fileURLToPath(new URL('../agent.config.yaml', import.meta.url));
    const parsed = parseConfigText(await readFile(file, 'utf8'), { file });

    expect(parsed).toEqual(agentConfigSchema.parse(DEFAULT_CONFIG));
  });

  it('listens on loopback and has no auth by default (the server refuses other hosts without auth)', () => {
    const config = agentConfigSchema.parse(DEFAULT_CONFIG);

    expect(config.server.host).toBe('127.0.0.1');
    expect(config.server.auth).toBeUndefined();
  });
});
