/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(
  promise: Promise<unknown> | unknown,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
