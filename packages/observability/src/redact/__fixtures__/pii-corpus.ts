// A corpus of personal data and secrets that must never leave the process, and of ordinary text
// that must leave it untouched. Self-contained (no imports) so any output (logs, stored events,
// span attributes) can push it through and check the result. Every secret below is fake: keys
// carry EXAMPLE markers, cards are the networks' published test numbers, IBANs are the standard
// examples, addresses use reserved documentation ranges where one exists.

/** One sample of personal data or a secret, with the detector name it is redacted under. */
export interface PiiSample {
  /** The detector name: the replacement reads `[REDACTED:<kind>]`. */
  readonly kind: string;
  /** The text to find, as it would appear in a log line or a message. */
  readonly sample: string;
}

const samples = (kind: string, list: readonly string[]): PiiSample[] =>
  list.map((sample) => ({ kind, sample }));

/**
 * Personal data and secrets, at least five realistic samples per kind. `kind` is the built-in
 * detector name, so the expected replacement of a sample is `[REDACTED:${kind}]`.
 */
export const PII_CORPUS: readonly PiiSample[] = [
  ...samples('email', [
    'jane.doe@example.com',
    'j.smith+newsletter@mail.example.co.uk',
    'first_last@sub.domain.io',
    'ALICE.WONG@EXAMPLE.ORG',
    'bob-builder@my-company.de',
    'user123@example.net',
  ]),
  ...samples('phone', [
    '+1 415 555 2671',
    '+14155552671',
    '+1 (415) 555-2671',
    '+44 20 7946 0958',
    '+44 (0)20 7946 0958',
    '+49 30 901820',
    '+33 1 42 68 53 00',
    '+81 3-1234-5678',
    '+91 98765 43210',
    '+61 2 9374 4000',
    '(415) 555-2671',
    '415-555-2671',
    '415.555.2671',
    '020 7946 0958',
    '07911 123456',
    '030 901820',
    '0170 1234567',
    '01 42 68 53 00',
    '03-1234-5678',
    '(02) 9374 4000',
    '0412 345 678',
  ]),
  ...samples('card', [
    '4111 1111 1111 1111',
    '4111111111111111',
    '4111-1111-1111-1111',
    '5555 5555 5555 4444',
    '5105-1051-0510-5100',
    '3782 822463 10005',
    '378282246310005',
    '6011 1111 1111 1117',
    '4012888888881881',
    '3530 1113 3330 0000',
    '2223 0031 2200 3222',
    '4222222222222',
  ]),
  ...samples('iban', [
    'DE89 3704 0044 0532 0130 00',
    'DE89370400440532013000',
    'GB82 WEST 1234 5698 7654 32',
    'GB29NWBK60161331926819',
    'FR14 2004 1010 0505 0001 3M02 606',
    'NL91 ABNA 0417 1643 00',
    'ES91 2100 0418 4502 0005 1332',
    'IT60 X054 2811 1010 0000 0123 456',
    'BE68 5390 0754 7034',
    'CH93 0076 2011 6238 5295 7',
  ]),
  ...samples('ipv4', [
    '192.168.1.10',
    '10.0.0.1',
    '172.16.254.1',
    '8.8.8.8',
    '203.0.113.195',
    '255.255.255.255',
  ]),
  ...samples('ipv6', [
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    '2001:db8:85a3::8a2e:370:7334',
    'fe80::1ff:fe23:4567:890a',
    'FE80::0202:B3FF:FE1E:8329',
    '2001:db8::1',
    '::ffff:192.0.2.128',
    '64:ff9b::192.0.2.33',
  ]),
  ...samples('jwt', [
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.u4a9-7Z_WMNbXhRCefWMep1WK5AUeABSd5EAFmmdNwA',
    'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImtleS0yMDI0LTAxIn0.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwic3ViIjoiYXV0aDB8NjVhMWIyYzMiLCJhdWQiOiJhZ2VudC1hcGkiLCJleHAiOjE3MTYyMzkwMjIsInNjb3BlIjoicmVhZDpydW5zIn0.oTOlpShY3PStfDFdhf7QrzkhQw-ye9CNWHwEsWq0KEFE-1s8w0ta37K0Rwurj-HI4uwxbq0G18Vm2cdC8bAe-w',
    'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwidGVuYW50IjoiYWNtZSIsImlhdCI6MTcwMDAwMDAwMH0.gZ2JZF2cNzpTfwYYY5VpUg1OmFJIXGutdCu7nQI8m3c',
    'eyJhbGciOiJIUzUxMiJ9.eyJzaWQiOiJzLTlmOGU3ZCIsInJvbGVzIjpbImFkbWluIl19.n5es0gC8D3d7hxG9elqWOgsbG-VQS0jrIH_7Fa4C5hU',
    'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbm9ueW1vdXMifQ.',
  ]),
  ...samples('openai-key', [
    'sk-EXAMPLEgxpsFtkaIQZH3YiLHQkBSXKm7f7X2gfxfLzslPyf',
    'sk-proj-EXAMPLE15rXeSyRjKrS-PHmzerAEEZa7GFP1-U8XwaIIvPC0SU9FrvijnFNeiGgYAETuw_xhrn7BdEozQMlRS8YYFS84id3BJqb5xelc-2szrrVWWAc0R3vyJs8LRC4Kavo',
    'sk-svcacct-EXAMPLEbRp53MWXqDay6vnM9dLdP-7mpr9OoCILwZkLUZnDrq25Nexnaie7Js2nyGq3JENZ',
    'sk-admin-EXAMPLEw5iChYpqHH92d4znPWiWaoUxzSlOXKaWxRe5gQCO6AxdlOOVLw3vGg_4qkP_GT6m',
    'sk-EXAMPLEpHIOWh7KyOEggqwjubumcjW1ucs1',
  ]),
  ...samples('anthropic-key', [
    'sk-ant-api03-EXAMPLEnM6bIliSeFwTdL-6Vg8aS35p_UFQv7wN2U3LsV9VuoIXQsC_DiBSMejJJPZKr_K2E-6OpR7AEzZd05fPiFWtAA',
    'sk-ant-admin01-EXAMPLEEM9AdajEDgGCVJJ-0p3Iwwu6NpEcwljAcSr93uCzisyqBsXHqTWXKAdhU-xtEbEX-cqirBPWwTm3s4oQPW2oAA',
    'sk-ant-api03-EXAMPLEurhTkyk0nAdNGbCCjiS9-HiUznSyal1_SmvGCB1X2ysgnheY3dDjGRDIX_ph9IatValuX6JqTprjCmKKXIybHMAA',
    'sk-ant-admin01-EXAMPLEGOFYirX5CPnggUQR9qiT_koNzQuSz0FW4HMSJhcHlJeGlxN4Su-ccxCJr2wMhOsS2_tbYnsBDc6_FW0pBCMr9AA',
    'sk-ant-api03-EXAMPLE_mrXVO2YRngxgWBjfQCYG6ie_6VkG59fChWtMWLBiDogLcy5TtwETJTYyHJW3kKLxd5Bf8jzJj9mzTajTATqbVAA',
  ]),
  ...samples('aws-access-key', [
    'AKIAIOSFODNN7EXAMPLE',
    'AKIAI44QH8DHBEXAMPLE',
    'ASIAEXAMPLE2K3CPRQKB',
    'AKIAEXAMPLED2CEWCLRN',
    'ASIAEXAMPLELUSFPHYDX',
  ]),
  ...samples('github-token', [
    'ghp_EXAMPLEeX0GdZ5BPKx8KjpbdbfJBYaObFH3Gd',
    'gho_EXAMPLEgGHy47PblHPCHqPXqUEJXyEpa8eBpC',
    'ghs_EXAMPLEbHuFFgDoLUY637cuoVeC2kjw0vLCPh',
    'ghu_EXAMPLEEksd8478eqqYUu0tJaommXjQYkFBiv',
    'github_pat_11EXAMPLE0sbEqRKQFKh8X8n_8ou5L2KrSTt6RoPnuGYVUn8JdIYonV1d8VFvq3cEHCJfZXijvyC9QvNFmUw',
  ]),
  ...samples('slack-token', [
    'xoxb-000000000000-0000000000000-EXAMPLEpDY2JydlJ5nFvSqRy4P',
    'xoxp-102887647968-7063785922615-EXAMPLEKpoKrimAXAOcPLor5',
    'xoxa-2-378195342479-4259093402841-EXAMPLEmpvUfIuOgxcUhKHaA8',
    'xoxr-736211905774-1408519048149-EXAMPLEcZ6HimBuOF6E3c9Q',
    'xoxs-568142848895-3492580158482-EXAMPLEx9Ewxvi9lCu4EGNGvGI',
  ]),
];

/**
 * Ordinary text of the kinds that fill logs and events (ids, dates, times, timestamps, numbers,
 * versions, hashes, near-miss card numbers, secret-sounding words in prose). Must come out of a
 * redactor unchanged.
 */
export const CLEAN_CORPUS: readonly string[] = [
  'run 550e8400-e29b-41d4-a716-446655440000 started',
  'request f47ac10b-58cc-4372-a567-0e02b2c3d479 finished',
  'trace 123e4567-e89b-12d3-a456-426614174000',
  'on 2024-01-15',
  'at 2024-01-15T10:30:45.123Z',
  'at 2024-01-15 10:30:45',
  'due 15/01/2024, shipped 01.02.2024, paid 01-15-2024',
  'at 05.06.2024 12:00 local time',
  'the clock read 12:30:45',
  'at 23:59:59.999 and again at 09:05',
  'timestamp 1700000000000',
  'createdAt=1716239022000 updatedAt=1716239022123',
  'time_us 1700000000000000',
  'time_ns 1700000000000000000',
  'seq 42 of 1000',
  'took 1500 ms, retry in 30000 ms',
  'duration=12345ms steps=3',
  'status 200, port 8080',
  // Loopback and "any" addresses identify no one: logs about where a server listens keep them.
  'listening on 127.0.0.1:3000 and [::1]:3000',
  'bound to 0.0.0.0',
  'pi is 3.14159 and the ratio 0.75',
  'total 1,234,567.89 EUR',
  'balance -17 and 100000 credits',
  'random 0.4111111111111111 and 0.5555555555554444',
  'version 1.2.3',
  'node v20.20.0, pnpm 10.12.1',
  'release 1.0.0-beta.2',
  'card 4111 1111 1111 1112 is not valid',
  'number 4111111111111112 fails Luhn',
  'and 5555-5555-5555-4445 too',
  'the token expired, refresh it',
  'password reset requested for the account',
  'set the apiKey option or the secret in config',
  'Bearer tokens rotate daily',
  'usage {"inputTokens":120,"outputTokens":48,"totalTokens":168}',
  'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'commit a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
  'see std::vector and Foo::bar in the docs',
  'task-runner-service-orchestrator-v2 deployed',
  'model gpt-4o-mini-2024-07-18 responded',
  'invoice INV-2024-000123 sent',
  'the quick brown fox jumps over the lazy dog',
];
