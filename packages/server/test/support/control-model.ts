import type { ModelRequest } from '@agent/core';
import { ScriptedModel, textResponse } from '@agent/core/testing';

/** Named gates a test opens to let held model calls go on. */
export class Gates {
  private readonly gates = new Map<string, { promise: Promise<void>; open: () => void }>();

  private gate(name: string) {
    let gate = this.gates.get(name);
    if (gate === undefined) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
      this.gates.set(name, gate);
    }
    return gate;
  }

  /** Resolves once `name` is opened; rejects when `signal` aborts first (a cancelled run). */
  wait(name: string, signal: AbortSignal | undefined): Promise<void> {
    const { promise } = this.gate(name);
    if (signal === undefined) return promise;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason ?? new Error('aborted'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  open(name: string): void {
    this.gate(name).open();
  }
}

function lastUserText(request: ModelRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index];
    if (message?.role === 'user') return message.content;
  }
  return '';
}

/**
 * A model steered by the run's input: `[hold:<name>]` waits for gate `<name>` before answering,
 * `[fail]` throws (the run fails), `[big:<n>]` answers n characters, anything else answers
 * `echo: <input>` at once.
 */
export function createControlledModel(gates: Gates): ScriptedModel {
  return new ScriptedModel([], {
    fallback: async (request) => {
      const text = lastUserText(request);
      const hold = /\[hold:([\w-]+)\]/.exec(text);
      if (hold?.[1] !== undefined) await gates.wait(hold[1], request.signal);
      if (text.includes('[fail]')) return new Error('the scripted model failed on purpose');
      const big = /\[big:(\d+)\]/.exec(text);
      if (big?.[1] !== undefined) return textResponse('x'.repeat(Number(big[1])));
      return textResponse(`echo: ${text.slice(0, 40)}`);
    },
  });
}
