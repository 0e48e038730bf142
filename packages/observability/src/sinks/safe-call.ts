/**
 * Calls a user hook (onError, onDrop) and swallows what it throws: a failing metrics or logging
 * hook must never break the sink that called it, nor reach the publisher.
 */
export function safeCall<TArgument>(
  hook: ((argument: TArgument) => void) | undefined,
  argument: TArgument,
): void {
  if (hook === undefined) return;
  try {
    hook(argument);
  } catch {
    // Nothing left to tell it to.
  }
}
