import type { RunScope } from '@agent/core';

/**
 * One {@link RunScope} that enters each of `scopes` in order, the first outermost: with the log
 * scope first and the tracing scope second, log lines made anywhere in the run carry its ids
 * and spans made anywhere in it nest under its `invoke_agent` span.
 */
export function composeScopes(scopes: readonly RunScope[]): RunScope {
  return {
    enter(run, fn) {
      const enterFrom = (index: number): ReturnType<typeof fn> => {
        const scope = scopes[index];
        return scope === undefined ? fn() : scope.enter(run, () => enterFrom(index + 1));
      };
      return enterFrom(0);
    },
  };
}
