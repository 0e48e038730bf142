import { InMemoryConversationMemory, userMessage } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { createTenantMemory } from './tenant-memory.js';

const inTenant = <T>(
  scope: ReturnType<typeof createTenantMemory>['scope'],
  tenant: string | undefined,
  fn: () => Promise<T>,
) => scope.enter({ runId: 'r', agent: 'a', tenant }, fn);

describe('createTenantMemory', () => {
  it('keeps one conversation id apart per tenant, and clears only its own', async () => {
    const { memory, scope } = createTenantMemory(new InMemoryConversationMemory());
    await inTenant(scope, 'acme', () => memory.append('c1', [userMessage('acme says hi')]));
    await inTenant(scope, undefined, () => memory.append('c1', [userMessage('nobody says hi')]));

    const globex = await inTenant(scope, 'globex', () => memory.load('c1'));
    await inTenant(scope, undefined, () => memory.clear('c1'));
    const acme = await inTenant(scope, 'acme', () => memory.load('c1'));
    const none = await inTenant(scope, undefined, () => memory.load('c1'));

    expect(globex).toEqual([]);
    expect(acme).toEqual([userMessage('acme says hi')]);
    expect(none).toEqual([]);
  });
});
