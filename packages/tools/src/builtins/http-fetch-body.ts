import { TextDecoder } from 'node:util';

/** How `http_fetch` treats a response body, from its media type. */
export type BodyKind = 'json' | 'text' | 'binary' | 'sniff';

/** How the model asked to read the body. */
export type ResponseType = 'auto' | 'json' | 'text';

const TEXT_TYPES = new Set([
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/x-ndjson',
  'application/graphql',
  'application/sql',
  'application/csv',
]);

/** The media type without parameters, lower case (`text/html; charset=utf-8` → `text/html`). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** JSON for `application/json` and `+json`, text for `text/*`, XML and a few textual types, else binary. */
export function bodyKindOf(contentType: string | undefined): BodyKind {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === '') return 'sniff';
  if (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')) {
    return 'json';
  }
  if (mediaType.startsWith('text/') || mediaType.endsWith('+xml') || TEXT_TYPES.has(mediaType)) {
    return 'text';
  }
  return 'binary';
}

/** True when the first 8 KiB hold a NUL byte, the cheap test `git` and `grep` use for "binary". */
export function looksBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8192).includes(0);
}

/** Decodes text with the charset the `Content-Type` names; UTF-8 when none or unknown. */
export function decodeText(buffer: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  // A body cut at the byte cap may end inside a character: `stream` leaves that partial
  // character out instead of inventing a replacement character at the end.
  return decoder.decode(buffer, { stream: true });
}

/**
 * The body as the model gets it: parsed JSON for JSON (falling back to the text when it does not
 * parse, e.g. when truncated, unless `json` was asked for explicitly), else the text. Throws a
 * plain `Error` only when `responseType` is `json` and the body is not JSON.
 */
export function parseBody(text: string, kind: BodyKind, responseType: ResponseType): unknown {
  const wantJson =
    responseType === 'json' || (responseType === 'auto' && (kind === 'json' || kind === 'sniff'));
  if (!wantJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (responseType === 'json') throw error;
    return text;
  }
}
