import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConversationMemory, Message, RunScope } from '@agent/core';

/**
 * Conversation memory per tenant: two tenants using the same `conversationId` never see each
 * other's messages. The tenant comes from the run (a {@link RunScope} put into the agents' scope),
 * so the conversation id recorded in events stays the one the caller sent.
 */
export function createTenantMemory(inner: ConversationMemory): {
  memory: ConversationMemory;
  scope: RunScope;
} {
  const tenants = new AsyncLocalStorage<string>();
  const key = (conversationId: string): string => JSON.stringify([tenants.getStore() ?? '', conversationId]);
  return {
    scope: { enter: (run, fn) => tenants.run(run.tenant ?? '', fn) },
    memory: {
      load: (conversationId: string): Promise<Message[]> => inner.load(key(conversationId)),
      append: (conversationId: string, messages: readonly Message[]): Promise<void> =>
        inner.append(key(conversationId), messages),
      clear: (conversationId: string): Promise<void> => inner.clear(key(conversationId)),
    },
  };
}
