import { isIbanChecksumValid, isLuhnValid } from './checksums.js';

/**
 * The built-in detectors, in the order they claim text. Secrets come first (a JWT or key may
 * contain anything), then email before phone (an address may hold digits), IBAN before card,
 * IPv6 before IPv4 (mapped forms), phone last as the loosest.
 */
export const BUILT_IN_DETECTOR_NAMES = [
  'jwt',
  'anthropic-key',
  'openai-key',
  'aws-access-key',
  'github-token',
  'slack-token',
  'email',
  'iban',
  'card',
  'ipv6',
  'ipv4',
  'phone',
] as const;

/** The name of a built-in detector, as used in `disable` and in `[REDACTED:<name>]`. */
export type BuiltInDetectorName = (typeof BUILT_IN_DETECTOR_NAMES)[number];

/** One kind of thing to find in text. */
export interface Detector {
  /** The name that goes into the replacement. */
  readonly name: string;
  /** A global regex. Patterns must do bounded work per start position, so scanning is linear. */
  readonly pattern: RegExp;
  /** The text must contain one of these for a match to be possible; lets a scan skip early. */
  readonly hints?: readonly string[];
  /**
   * The length of the part of `match` (a prefix) that really is one, or 0 when none is. Lets a
   * detector reject a lookalike (a Luhn-invalid number) or drop digits the regex took greedily.
   */
  readonly accept?: (match: string) => number;
}

// Building blocks. Every quantifier is bounded and every repetition unambiguous, so each start
// position costs a bounded number of steps: no catastrophic backtracking, linear scans.
const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const IPV4 = String.raw`(?:${OCTET}\.){3}${OCTET}`;
const HEX = '[0-9A-Fa-f]{1,4}';

const IPV6_FORMS = [
  `(?:${HEX}:){6}${IPV4}`, // 0:0:0:0:0:ffff:192.0.2.1
  `::(?:[Ff]{4}(?::0{1,4})?:)?${IPV4}`, // ::ffff:192.0.2.1
  `(?:${HEX}:){1,4}:${IPV4}`, // 64:ff9b::192.0.2.33
  `(?:${HEX}:){7}${HEX}`, // full form
  `(?:${HEX}:){1,6}:${HEX}`,
  `(?:${HEX}:){1,5}(?::${HEX}){1,2}`,
  `(?:${HEX}:){1,4}(?::${HEX}){1,3}`,
  `(?:${HEX}:){1,3}(?::${HEX}){1,4}`,
  `(?:${HEX}:){1,2}(?::${HEX}){1,5}`,
  `${HEX}:(?::${HEX}){1,6}`,
  `:(?::${HEX}){1,7}`, // ::1
  `(?:${HEX}:){2,7}:`, // 2001:db8:: (two groups at least, so prose like "Face::" is left alone)
];

// Phone forms. All need a "+" or separators: bare digit runs are timestamps, ids and counts.
const INTERNATIONAL_PHONE = String.raw`\+[1-9](?:[ .\-]?(?:\(\d{1,4}\)|\d)){6,16}`;
const NANP_PHONE = String.raw`(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .\-])[2-9]\d{2}[ .\-]\d{4}`;
const TRUNK_PHONE = String.raw`(?:\(0\d{1,4}\) ?|0\d{1,4}[ .\-])\d{2,8}(?:[ .\-]\d{2,8}){0,4}`;

// Card layouts: 4-4-4-4 (+1..3), Amex/Diners 4-6-4/5, or one run. The first digit is 2-6 (the
// issuers that matter) so epoch timestamps (1...) and their micro/nano forms never qualify.
const CARD = String.raw`[2-6]\d{3}(?:[ \-]\d{4}){2,3}(?:[ \-]\d{1,3})?|3\d{3}[ \-]\d{6}[ \-]\d{4,5}|[2-6]\d{12,18}`;

const countDigits = (text: string): number => text.replace(/\D/g, '').length;

/**
 * The longest prefix of `match`, cut at a separator, that `isValid` accepts: a regex takes a
 * trailing group greedily ("4111 1111 1111 1111 12 items"), the checksum decides where it ends.
 */
function longestValidPrefix(match: string, isValid: (candidate: string) => boolean): number {
  let end = match.length;
  while (end > 0) {
    if (isValid(match.slice(0, end))) return end;
    end = Math.max(match.lastIndexOf(' ', end - 1), match.lastIndexOf('-', end - 1));
  }
  return 0;
}

function isCard(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits);
}

function isIban(candidate: string): boolean {
  const compact = candidate.replace(/ /g, '');
  return compact.length >= 15 && compact.length <= 34 && isIbanChecksumValid(compact);
}

function acceptPhone(match: string): number {
  const digits = countDigits(match);
  if (match.startsWith('+')) return digits >= 8 && digits <= 15 ? match.length : 0;
  if (match.startsWith('0') || match.startsWith('(0')) return digits >= 9 && digits <= 12 ? match.length : 0;
  return match.length; // NANP: the regex already fixes ten digits
}

const detector = (
  name: BuiltInDetectorName,
  source: string,
  extra: Omit<Detector, 'name' | 'pattern'> = {},
) => ({ name, pattern: new RegExp(source, 'g'), ...extra }) satisfies Detector;

/**
 * Fresh instances of the built-in detectors, in priority order. Fresh because a global regex
 * carries `lastIndex`, so two redactors must not share one.
 */
export function createBuiltInDetectors(): Detector[] {
  return [
    detector('jwt', String.raw`(?<![\w\-])eyJ[\w\-]{5,4096}\.[\w\-]{2,16384}\.[\w\-]{0,4096}(?![\w\-])`, {
      hints: ['eyJ'],
    }),
    // Keys have no closing boundary: a key longer than the bound is still cut, not left whole.
    detector('anthropic-key', String.raw`(?<![\w\-])sk-ant-[\w\-]{20,256}`, { hints: ['sk-ant-'] }),
    detector('openai-key', String.raw`(?<![\w\-])sk-[\w\-]{20,256}`, { hints: ['sk-'] }),
    detector('aws-access-key', '(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])', {
      hints: ['AKIA', 'ASIA'],
    }),
    detector('github-token', String.raw`(?<![\w\-])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_\w{22,255})`, {
      hints: ['gh', 'github_pat_'],
    }),
    detector('slack-token', String.raw`(?<![\w\-])xox[abprs]-[A-Za-z0-9\-]{10,250}`, { hints: ['xox'] }),
    detector(
      'email',
      String.raw`[A-Za-z0-9._%+\-]{1,64}@(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9\-])`,
      { hints: ['@'] },
    ),
    detector(
      'iban',
      String.raw`(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])`,
      { accept: (match) => longestValidPrefix(match, isIban) },
    ),
    detector('card', String.raw`(?<![\w.])(?:${CARD})(?!\w|\.\d)`, {
      accept: (match) => longestValidPrefix(match, isCard),
    }),
    detector('ipv6', String.raw`(?<![\w:])(?:${IPV6_FORMS.join('|')})(?!\w|[.:]\w)`, {
      hints: [':'],
      // Loopback and the unspecified address identify no one (as 127.0.0.1 and 0.0.0.0 below).
      accept: (match) => (match === '::1' || match === '::' ? 0 : match.length),
    }),
    detector('ipv4', String.raw`(?<![\w.])${IPV4}(?!\w|\.\d)`, {
      hints: ['.'],
      // Loopback and "any" addresses identify no one; a log saying "listening on 127.0.0.1"
      // should keep them.
      accept: (match) => (/^(?:127\.|0\.0\.0\.0$)/.test(match) ? 0 : match.length),
    }),
    detector(
      'phone',
      String.raw`(?<![\w.+\-])(?:${INTERNATIONAL_PHONE}|${NANP_PHONE}|${TRUNK_PHONE})(?!\w|[.\-]\d|:\d)`,
      { accept: acceptPhone },
    ),
  ];
}
