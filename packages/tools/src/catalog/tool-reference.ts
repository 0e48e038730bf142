import { ConfigError } from '@agent/core';
import semver from 'semver';

/** A parsed tool reference: `weather` (latest) or `weather@^1` (highest version in the range). */
export interface ToolReference {
  name: string;
  /** The semver range after `@`; `undefined` for the latest version. */
  range: string | undefined;
}

/**
 * Parses `name` or `name@range` (`weather@^1`, `weather@1.2.0`, `weather@~2.1`; `@latest` means
 * no range). Throws `ConfigError` for an empty name or a range semver cannot read.
 */
export function parseToolReference(reference: string): ToolReference {
  const at = reference.indexOf('@');
  const name = at < 0 ? reference : reference.slice(0, at);
  const rawRange = at < 0 ? undefined : reference.slice(at + 1).trim();
  if (name.length === 0) {
    throw new ConfigError(
      `Tool reference "${reference}" has no tool name: write it as weather or weather@^1.`,
    );
  }
  if (rawRange === undefined || rawRange === 'latest') return { name, range: undefined };
  if (rawRange.length === 0 || semver.validRange(rawRange) === null) {
    throw new ConfigError(
      `Tool reference "${reference}" has an invalid version range "${rawRange}": use a semver range such as ${name}@^1, ${name}@1.2.0 or ${name}@~2.1.`,
    );
  }
  return { name, range: rawRange };
}

/** Version given to unversioned tools for resolution: every real version out-ranks it. */
export const UNVERSIONED = '0.0.0';

/**
 * The version `name` alone resolves to: the highest release, or the highest prerelease when
 * there are only prereleases (npm's `latest` rule, so `2.0.0-beta.1` does not win over `1.4.0`).
 */
export function latestVersion(versions: readonly string[]): string | undefined {
  const releases = versions.filter((version) => semver.prerelease(version) === null);
  return semver.rsort([...(releases.length > 0 ? releases : versions)])[0];
}
