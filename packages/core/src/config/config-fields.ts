import { z } from 'zod';

// Building blocks shared by the config section schemas. Pure: no Node imports (browser-safe entry).

const NUMBER_TEXT = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * A number field that also accepts its plain decimal text ("3000"), because `${PORT}` always
 * interpolates to a string. Nothing looser: z.coerce would turn "" into 0 and "abc" into NaN.
 */
export function numberField<T extends z.ZodNumber>(schema: T) {
  return z.preprocess(
    (value: number | string) =>
      typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : value,
    schema,
  );
}

/** A boolean field with a default that also accepts the text "true" / "false" (see {@link numberField}). */
export function booleanField(defaultValue: boolean) {
  return z
    .preprocess(
      (value: boolean | string) => (value === 'true' ? true : value === 'false' ? false : value),
      z.boolean(),
    )
    .default(defaultValue);
}

/** A whole number greater than zero, e.g. a timeout in ms. */
export const positiveInteger = () => numberField(z.number().int().positive());

/** A whole number from `min` to `max`, both included. */
export const integerBetween = (min: number, max: number) => numberField(z.number().int().min(min).max(max));

/** A string with at least one character. */
export const nonEmpty = () => z.string().min(1);

/** An absolute http(s) URL. */
export const httpURL = () => z.url({ protocol: /^https?$/ });

/** Adds a custom issue whose `params.fix` becomes the issue's fix (see `fixForIssue`). */
export function addIssue(context: z.RefinementCtx, path: PropertyKey[], message: string, fix: string): void {
  context.addIssue({ code: 'custom', path, message, params: { fix } });
}

/** A string refined by `pattern`, reporting `message` and `fix` when it does not match. */
export function patternField(pattern: RegExp, message: string, fix: string) {
  return z.string().refine((value) => pattern.test(value), { message, params: { fix } });
}

/** Reports every repeated `names[i]` at `[...path, i, 'name']`, so the second use is pointed at. */
export function reportDuplicates(
  names: readonly string[],
  path: PropertyKey[],
  noun: string,
  context: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) {
      addIssue(
        context,
        [...path, index, 'name'],
        `${noun} name "${name}" is used twice`,
        `give each ${noun} a unique name`,
      );
    }
    seen.add(name);
  });
}
