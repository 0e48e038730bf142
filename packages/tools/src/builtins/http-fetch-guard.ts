import { ToolError } from '@agent/core';
import { classifyAddress } from './address-classifier.js';
import { type HostAllowlist, stripTrailingDot } from './host-allowlist.js';
import type { ResolvedAddress, ResolveHost } from './http-fetch-options.js';
import { parseIPv4, parseIPv6, stripZone } from './ip-address.js';

const TOOL = 'http_fetch';

// Names that reach the machine itself or a cloud metadata service whatever DNS says; refused
// before any lookup, so a hosts-file entry or a split-horizon resolver cannot matter.
const BLOCKED_NAMES = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** A URL the guard has accepted, with the only addresses it may be dialed at. */
export interface VettedTarget {
  url: URL;
  /** The host name without brackets or trailing dot: the TLS server name and `Host` header. */
  hostname: string;
  /** Every address the host resolved to; all of them are public. */
  addresses: ResolvedAddress[];
}

/** What {@link vetUrl} needs. */
export interface GuardContext {
  allowlist: HostAllowlist;
  resolve: ResolveHost;
  /** Resolution is raced with it: a hung resolver cannot outlive the request. */
  signal: AbortSignal;
  /** For messages: `redirect from <url>` when this hop is a redirect. */
  via?: string;
}

/**
 * Checks one hop: scheme, credentials, the allowlist, and that the host's addresses (a literal
 * IP, or ALL the addresses DNS returns) are public. Throws `TOOL_REFUSED` naming the host or
 * address and why. The returned addresses are the ones to connect to: connecting to anything
 * else (a second lookup) would reopen the door to DNS rebinding.
 */
export async function vetUrl(url: URL, context: GuardContext): Promise<VettedTarget> {
  const where = context.via ? ` (redirect from ${context.via})` : '';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(
      `scheme "${url.protocol}" of ${url.href}${where} is not allowed. Only http and https URLs can be fetched.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw refused(
      `URL ${url.protocol}//${url.host}${where} contains credentials. Remove them from the URL; send an Authorization header instead.`,
    );
  }
  // `hostname` keeps IPv6 brackets, as allowlist entries do; `bare` is what DNS and IP parsing take.
  const hostname = stripTrailingDot(url.hostname);
  const bare = stripZone(hostname);
  if (context.allowlist.entries.length === 0) {
    throw refused(
      `host "${hostname}"${where} is not allowed: the allowlist is empty, so http_fetch refuses every request. Ask the operator to configure tools.options.http_fetch.allow.`,
    );
  }
  if (!context.allowlist.matches(hostname)) {
    throw refused(
      `host "${hostname}"${where} is not on the allowlist (${context.allowlist.entries.join(', ')}). Use one of those hosts, or ask the operator to add it to tools.options.http_fetch.allow.`,
    );
  }
  if (BLOCKED_NAMES.has(hostname) || hostname.endsWith('.localhost')) {
    throw refused(
      `host "${hostname}"${where} names the local machine or a cloud metadata service, which http_fetch never calls.`,
    );
  }
  const literal = parseIPv4(bare) !== undefined || parseIPv6(bare) !== undefined;
  const addresses: ResolvedAddress[] = literal
    ? [{ address: bare, family: bare.includes(':') ? 6 : 4 }]
    : await resolveAll(bare, context);
  for (const { address } of addresses) {
    const verdict = classifyAddress(address);
    if (!verdict.public) {
      const resolved = literal ? `address ${address}` : `host "${hostname}" resolves to ${address}, which`;
      throw refused(
        `${resolved}${where} is not a public address: ${verdict.reason}. http_fetch only calls public internet hosts.`,
      );
    }
  }
  return { url, hostname: bare, addresses };
}

async function resolveAll(hostname: string, context: GuardContext): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await raceSignal(context.resolve(hostname), context.signal);
  } catch (error) {
    if (context.signal.aborted) throw error;
    const code = (error as { code?: unknown }).code;
    throw new ToolError(
      'TOOL_FAILED',
      TOOL,
      `Could not resolve host "${hostname}"${typeof code === 'string' ? ` (${code})` : ''}. Check the host name.`,
      { cause: error, retryable: code === 'EAI_AGAIN' },
    );
  }
  if (addresses.length === 0) {
    throw new ToolError('TOOL_FAILED', TOOL, `Host "${hostname}" has no addresses. Check the host name.`);
  }
  return addresses;
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function refused(message: string): ToolError {
  return new ToolError('TOOL_REFUSED', TOOL, `http_fetch refused: ${message}`);
}
