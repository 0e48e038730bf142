import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CLEAN_CORPUS, PII_CORPUS } from './__fixtures__/pii-corpus.js';
import { createRedactor } from './create-redactor.js';
import { BUILT_IN_DETECTOR_NAMES } from './detectors.js';

const redactor = createRedactor();

// The same sample in the places it turns up: prose, a key=value log line, a JSON string.
const settings = [
  (sample: string) => `Please contact ${sample} about the order.`,
  (sample: string) => `user=${sample}, retry=2`,
  (sample: string) => `{"value":"${sample}"}`,
  (sample: string) => `(${sample})`,
];

describe('built-in detectors: the PII corpus', () => {
  it('has at least five samples of every built-in kind', () => {
    const counts = new Map<string, number>();
    for (const { kind } of PII_CORPUS) counts.set(kind, (counts.get(kind) ?? 0) + 1);

    for (const name of BUILT_IN_DETECTOR_NAMES) expect(counts.get(name) ?? 0, name).toBeGreaterThanOrEqual(5);
  });

  it.each(PII_CORPUS)('removes $kind "$sample" and keeps the rest of the sentence', ({ kind, sample }) => {
    for (const setting of settings) {
      const text = setting(sample);

      const redacted = redactor.redactString(text);

      expect(redacted).toBe(setting(`[REDACTED:${kind}]`));
    }
  });

  it('removes every sample when all of them are in one text', () => {
    const text = PII_CORPUS.map(({ sample }) => `see ${sample};`).join(' ');

    const redacted = redactor.redactString(text);

    for (const { sample } of PII_CORPUS) expect(redacted).not.toContain(sample);
    expect(redacted).toBe(PII_CORPUS.map(({ kind }) => `see [REDACTED:${kind}];`).join(' '));
  });
});

describe('built-in detectors: the clean corpus', () => {
  it.each(CLEAN_CORPUS)('leaves "%s" unchanged', (text) => {
    expect(redactor.redactString(text)).toBe(text);
  });
});

describe('built-in detectors: edges', () => {
  it.each([
    ['a card followed by more digits', 'card 4111 1111 1111 1111 12 items', 'card [REDACTED:card] 12 items'],
    ['a card after a short number', 'order 12 4111 1111 1111 1111', 'order 12 [REDACTED:card]'],
    ['an IBAN followed by a number', 'to DE89 3704 0044 0532 0130 00 2024', 'to [REDACTED:iban] 2024'],
    ['an IPv6 address at the end of a sentence', 'from fe80::1.', 'from [REDACTED:ipv6].'],
    ['an IPv6 address with a port', '[2001:db8::1]:8080', '[[REDACTED:ipv6]]:8080'],
    ['an IPv4 address with a port', 'listening on 10.0.0.1:8080', 'listening on [REDACTED:ipv4]:8080'],
    ['a loopback address (identifies no one)', 'listening on 127.0.0.1:3000', 'listening on 127.0.0.1:3000'],
    ['the "any" address', 'bound to 0.0.0.0', 'bound to 0.0.0.0'],
    ['the IPv6 loopback address', 'listening on [::1]:3000', 'listening on [::1]:3000'],
    [
      'a public address next to loopback',
      'from 203.0.113.7 to 127.0.0.1',
      'from [REDACTED:ipv4] to 127.0.0.1',
    ],
    ['an email in a mailto link', 'mailto:jane@example.com', 'mailto:[REDACTED:email]'],
    [
      'a bearer token',
      'Authorization: Bearer sk-EXAMPLEabcdefghijklmnopqrstuvwxyz',
      'Authorization: Bearer [REDACTED:openai-key]',
    ],
  ])('redacts %s', (_, text, expected) => {
    expect(redactor.redactString(text)).toBe(expected);
  });

  it.each([
    ['a Luhn-valid number with a leading 1 (an epoch-like id)', '1234567812345670'],
    ['a 12-digit run', '411111111111'],
    ['an IPv4-like string with an octet over 255', '192.168.1.256'],
    ['five dotted numbers', '1.2.3.4.5'],
    ['a phone-like run without separators', '02079460958'],
    ['a national number that is too short', '030 9018'],
    ['an IBAN with a wrong check digit', 'GB83 WEST 1234 5698 7654 32'],
    ['a JWT-like text without a payload', 'eyJhbGciOiJIUzI1NiJ9'],
    ['a short sk- word', 'use sk-learn for this'],
    ['an AKIA prefix that is too short', 'AKIA1234'],
    ['a C++ or Rust path', 'call std::mem::take(x)'],
  ])('leaves %s alone', (_, text) => {
    expect(redactor.redactString(text)).toBe(text);
  });

  it("never rescans its own replacement, so a detector cannot eat another one's marker", () => {
    const custom = createRedactor({ replacement: (name) => `<${name}:0000:1111:2222::1>` });

    const redacted = custom.redactString('mail jane@example.com now');

    expect(redacted).toBe('mail <email:0000:1111:2222::1> now');
  });
});

describe('built-in detectors: bounded work', () => {
  const megabyte = 1_000_000;
  // Inputs shaped to make a backtracking regex go quadratic or worse. Each must simply finish.
  const adversarial: Array<[string, string]> = [
    ['one long digit run', '4'.repeat(megabyte)],
    ['card-like groups', '4111 '.repeat(megabyte / 5)],
    ['phone-like groups', '00 '.repeat(megabyte / 3)],
    ['a local part without a domain', `${'a.'.repeat(megabyte / 2)}@`],
    ['many at-signs', 'a@'.repeat(megabyte / 2)],
    ['a domain without a TLD end', `a@${'b.'.repeat(megabyte / 2)}`],
    ['colon runs', '1:'.repeat(megabyte / 2)],
    ['double-colon runs', 'ab::'.repeat(megabyte / 4)],
    ['JWT headers without dots', 'eyJ'.repeat(megabyte / 3)],
    ['plus signs', '+1 '.repeat(megabyte / 3)],
    ['IBAN-like groups', 'GB82 '.repeat(megabyte / 5)],
    ['dotted numbers', '1.'.repeat(megabyte / 2)],
  ];

  // A catastrophic regex blocks the thread, so vitest's own timeout could never fire and the run
  // would hang. Running the call in a vm with a timeout turns a hang into a failing test; the bound
  // is a generous guard (the work takes well under a second), not a speed check.
  const guardMs = 20_000;
  const redactGuarded = (text: string): unknown =>
    runInNewContext('redact(text)', { redact: redactor.redactString, text }, { timeout: guardMs });

  it.each(adversarial)('finishes on 1 MB of %s', (_, text) => {
    const redacted = redactGuarded(text);

    expect(typeof redacted).toBe('string');
  });

  it('still finds the secret at the end of 1 MB of noise', () => {
    const text = `${'a.'.repeat(megabyte / 2)} jane@example.com`;

    const redacted = redactGuarded(text);

    expect(String(redacted).endsWith(' [REDACTED:email]')).toBe(true);
  });
});
