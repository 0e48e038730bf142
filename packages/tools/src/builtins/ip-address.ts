import { isIPv4, isIPv6 } from 'node:net';

// Byte-level parsing of IP address text, so the SSRF classifier works on numbers, never on
// string prefixes (string matching is how `::ffff:7f00:1` and `0:0::1` slip past guards).

/** The four bytes of a dotted-decimal IPv4 address, or `undefined` when it is not one. */
export function parseIPv4(text: string): number[] | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').map((part) => Number(part));
}

/**
 * The sixteen bytes of an IPv6 address (`::` shorthand and a trailing dotted IPv4 allowed), or
 * `undefined` when it is not one. A zone id (`fe80::1%eth0`) is ignored: it does not change
 * which address is meant.
 */
export function parseIPv6(text: string): number[] | undefined {
  const address = stripZone(text);
  if (!isIPv6(address)) return undefined;
  const [head = '', tail] = address.split('::');
  const headWords = toWords(head);
  const tailWords = toWords(tail ?? '');
  const words =
    tail === undefined
      ? headWords
      : [...headWords, ...new Array<number>(8 - headWords.length - tailWords.length).fill(0), ...tailWords];
  return words.flatMap((word) => [(word >> 8) & 0xff, word & 0xff]);
}

/** 16-bit words of a `:`-separated run of groups; a dotted IPv4 tail counts as two words. */
function toWords(run: string): number[] {
  if (run === '') return [];
  return run.split(':').flatMap((part) => {
    const v4 = parseIPv4(part);
    if (v4) {
      const [a = 0, b = 0, c = 0, d = 0] = v4;
      return [(a << 8) | b, (c << 8) | d];
    }
    return [Number.parseInt(part, 16)];
  });
}

/** Removes an IPv6 zone id (`%eth0`) and surrounding brackets (`[::1]`, as in URL hosts). */
export function stripZone(text: string): string {
  const unbracketed = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const percent = unbracketed.indexOf('%');
  return percent === -1 ? unbracketed : unbracketed.slice(0, percent);
}

/** `a.b.c.d` from four bytes. */
export function formatIPv4(bytes: readonly number[]): string {
  return bytes.slice(0, 4).join('.');
}

/** True when the first `prefixLength` bits of `bytes` equal those of `prefix`. */
export function inPrefix(bytes: readonly number[], prefix: readonly number[], prefixLength: number): boolean {
  for (let bit = 0; bit < prefixLength; bit += 8) {
    const remaining = Math.min(8, prefixLength - bit);
    const mask = (0xff << (8 - remaining)) & 0xff;
    const index = bit / 8;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}
