import { formatIPv4, inPrefix, parseIPv4, parseIPv6 } from './ip-address.js';

/** Why an address is or is not safe to call from a server: `public`, or the kind of range it is in. */
export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'unique-local'
  | 'cloud-metadata'
  | 'invalid';

/** The verdict of {@link classifyAddress}. */
export interface AddressClassification {
  /** The address as given. */
  address: string;
  /** True only for globally routable unicast addresses. */
  public: boolean;
  category: AddressCategory;
  /** Human-readable reason, e.g. `loopback (127.0.0.0/8)`. */
  reason: string;
}

interface Range {
  prefix: number[];
  length: number;
  category: AddressCategory;
  label: string;
}

const v4 = (text: string, length: number, category: AddressCategory, label: string): Range => ({
  prefix: parseIPv4(text) ?? [],
  length,
  category,
  label: `${label} (${text}/${length})`,
});

const v6 = (text: string, length: number, category: AddressCategory, label: string): Range => ({
  prefix: parseIPv6(text) ?? [],
  length,
  category,
  label: `${label} (${text}/${length})`,
});

// IANA IPv4 special-purpose registry, most specific first (the first match wins).
const IPV4_RANGES: readonly Range[] = [
  v4('169.254.169.254', 32, 'cloud-metadata', 'cloud metadata endpoint (AWS, GCP, Azure)'),
  v4('169.254.170.2', 32, 'cloud-metadata', 'cloud metadata endpoint (AWS ECS)'),
  v4('100.100.100.200', 32, 'cloud-metadata', 'cloud metadata endpoint (Alibaba Cloud)'),
  v4('255.255.255.255', 32, 'broadcast', 'limited broadcast'),
  v4('0.0.0.0', 32, 'unspecified', 'unspecified address'),
  v4('0.0.0.0', 8, 'reserved', '"this network"'),
  v4('10.0.0.0', 8, 'private', 'private network'),
  v4('100.64.0.0', 10, 'shared', 'carrier-grade NAT shared space'),
  v4('127.0.0.0', 8, 'loopback', 'loopback'),
  v4('169.254.0.0', 16, 'link-local', 'link-local'),
  v4('172.16.0.0', 12, 'private', 'private network'),
  v4('192.0.0.0', 24, 'reserved', 'IETF protocol assignments'),
  v4('192.0.2.0', 24, 'documentation', 'documentation TEST-NET-1'),
  v4('192.88.99.0', 24, 'reserved', '6to4 relay anycast'),
  v4('192.168.0.0', 16, 'private', 'private network'),
  v4('198.18.0.0', 15, 'reserved', 'benchmarking'),
  v4('198.51.100.0', 24, 'documentation', 'documentation TEST-NET-2'),
  v4('203.0.113.0', 24, 'documentation', 'documentation TEST-NET-3'),
  v4('224.0.0.0', 4, 'multicast', 'multicast'),
  v4('240.0.0.0', 4, 'reserved', 'reserved for future use'),
];

// IPv6 ranges with no IPv4 inside; the forms that embed one are handled in classifyIPv6.
const IPV6_RANGES: readonly Range[] = [
  v6('::', 128, 'unspecified', 'unspecified address'),
  v6('::1', 128, 'loopback', 'loopback'),
  v6('fd00:ec2::254', 128, 'cloud-metadata', 'cloud metadata endpoint (AWS)'),
  v6('64:ff9b:1::', 48, 'reserved', 'local-use NAT64'),
  v6('100::', 64, 'reserved', 'discard-only'),
  v6('2001:db8::', 32, 'documentation', 'documentation'),
  v6('2001::', 32, 'reserved', 'Teredo tunnelling'),
  v6('2001::', 23, 'reserved', 'IETF protocol assignments'),
  v6('3fff::', 20, 'documentation', 'documentation'),
  v6('5f00::', 16, 'reserved', 'SRv6 segment identifiers'),
  v6('fc00::', 7, 'unique-local', 'unique local address'),
  v6('fe80::', 10, 'link-local', 'link-local'),
  v6('fec0::', 10, 'reserved', 'deprecated site-local'),
  v6('ff00::', 8, 'multicast', 'multicast'),
];

// Forms that carry an IPv4 address, which decides where the packets really go.
const IPV4_MAPPED = parseIPv6('::ffff:0:0') ?? [];
const NAT64 = parseIPv6('64:ff9b::') ?? [];
const SIX_TO_FOUR = parseIPv6('2002::') ?? [];
const GLOBAL_UNICAST = parseIPv6('2000::') ?? [];

/**
 * Classifies an IP address for an SSRF guard: `public` only for globally routable unicast
 * addresses. Loopback, private, link-local, carrier-grade NAT, unspecified, multicast, broadcast,
 * reserved and documentation ranges, IPv6 unique-local, cloud metadata endpoints, and IPv6 forms
 * that embed such an IPv4 address (mapped `::ffff:127.0.0.1` / `::ffff:7f00:1`, NAT64, 6to4) are
 * not public. Anything that is not an IP address is `invalid`.
 *
 * @example
 * ```ts
 * classifyAddress('::ffff:7f00:1'); // { public: false, category: 'loopback', reason: 'IPv4-mapped form of 127.0.0.1: loopback (127.0.0.0/8)', ... }
 * ```
 */
export function classifyAddress(address: string): AddressClassification {
  const ipv4 = parseIPv4(address);
  if (ipv4) return { address, ...classifyIPv4(ipv4) };
  const ipv6 = parseIPv6(address);
  if (ipv6) return { address, ...classifyIPv6(ipv6) };
  return { address, public: false, category: 'invalid', reason: 'not an IP address' };
}

/** True when `address` is a globally routable unicast IP address (see {@link classifyAddress}). */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address).public;
}

type Verdict = Omit<AddressClassification, 'address'>;

const PUBLIC: Verdict = { public: true, category: 'public', reason: 'public address' };

function classifyIPv4(bytes: readonly number[]): Verdict {
  const range = IPV4_RANGES.find((candidate) => inPrefix(bytes, candidate.prefix, candidate.length));
  return range ? { public: false, category: range.category, reason: range.label } : PUBLIC;
}

function classifyIPv6(bytes: readonly number[]): Verdict {
  if (inPrefix(bytes, IPV4_MAPPED, 96)) return embedded('IPv4-mapped', bytes.slice(12, 16), true);
  if (inPrefix(bytes, NAT64, 96)) return embedded('NAT64', bytes.slice(12, 16), true);
  if (inPrefix(bytes, SIX_TO_FOUR, 16)) return embedded('6to4', bytes.slice(2, 6), true);
  const range = IPV6_RANGES.find((candidate) => inPrefix(bytes, candidate.prefix, candidate.length));
  if (range) return { public: false, category: range.category, reason: range.label };
  // Whatever else sits in ::/8 (IPv4-compatible ::a.b.c.d, SIIT) is deprecated: never public.
  if (bytes[0] === 0) return embedded('deprecated IPv4-compatible', bytes.slice(12, 16), false);
  if (!inPrefix(bytes, GLOBAL_UNICAST, 3)) {
    return { public: false, category: 'reserved', reason: 'outside global unicast (2000::/3)' };
  }
  return PUBLIC;
}

/** The verdict of the IPv4 address inside an IPv6 form; `allowPublic` false refuses the form itself. */
function embedded(form: string, ipv4: readonly number[], allowPublic: boolean): Verdict {
  const inner = classifyIPv4(ipv4);
  if (inner.public && allowPublic) return PUBLIC;
  const text = formatIPv4(ipv4);
  if (inner.public) return { public: false, category: 'reserved', reason: `${form} form of ${text}` };
  return { public: false, category: inner.category, reason: `${form} form of ${text}: ${inner.reason}` };
}
