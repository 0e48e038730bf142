import { ConfigError } from '@agent/core';

/** A parsed host allowlist: exact hosts and `*.example.com` wildcards. */
export interface HostAllowlist {
  /** The entries, normalised (lower case, punycode, no trailing dot). */
  readonly entries: readonly string[];
  /** True when `hostname` (as `URL.hostname` gives it) is allowed. */
  matches(hostname: string): boolean;
}

/**
 * Parses allowlist entries. `api.github.com` allows exactly that host; `*.example.com` allows
 * every subdomain of example.com at any depth, but not example.com itself (list it too if
 * wanted). Entries are host names or IP literals only: no scheme, port, path or bare `*`.
 *
 * @param label Where the list came from, for error messages, e.g. `tools.options.http_fetch.allow`.
 */
export function parseHostAllowlist(entries: readonly string[], label: string): HostAllowlist {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim().toLowerCase();
    const wildcard = entry.startsWith('*.');
    const host = normaliseHost(wildcard ? entry.slice(2) : entry);
    if (host === undefined || host.includes('*')) {
      throw new ConfigError(
        `${label}[${index}] "${raw}" is not a host name: use a bare host such as "api.github.com" or a wildcard such as "*.example.com" (no scheme, port, path, or bare "*").`,
      );
    }
    if (wildcard) suffixes.push(`.${host}`);
    else exact.add(host);
  }
  return {
    entries: [...exact, ...suffixes.map((suffix) => `*${suffix}`)],
    matches(hostname) {
      const host = stripTrailingDot(hostname.toLowerCase());
      return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
  };
}

/** The host as `URL.hostname` spells it, or `undefined` when `text` is more (or less) than a host. */
function normaliseHost(text: string): string | undefined {
  if (text === '' || /[/?#@\s\\]/.test(text)) return undefined;
  // `host:80` would parse to a URL with an empty port (80 is the default): refuse any colon
  // outside an IPv6 literal.
  if (text.includes(':') && !(text.startsWith('[') && text.endsWith(']'))) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${text}`);
  } catch {
    return undefined;
  }
  // A port, or anything the parser moved out of the host, means the entry was not just a host.
  if (url.port !== '' || url.pathname !== '/' || url.username !== '') return undefined;
  return stripTrailingDot(url.hostname);
}

/** `example.com.` and `example.com` are the same DNS name. */
export function stripTrailingDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}
