import { createRequire } from 'node:module';
import { PluginError } from '@agent/core';
import semver from 'semver';

let cachedVersion: string | undefined;

/** The version of the `@agent/core` that this `@agent/tools` resolves, read from its package.json. */
export function installedSdkVersion(): string {
  if (cachedVersion === undefined) {
    // createRequire reads JSON without import attributes, which Node 20 and bundlers disagree on.
    const require = createRequire(import.meta.url);
    cachedVersion = (require('@agent/core/package.json') as { version: string }).version;
  }
  return cachedVersion;
}

/** What is checked: the plugin's declared range against the SDK version it would run on. */
export interface SdkRequirement {
  /** The plugin's manifest name, for the upgrade hint. */
  name: string;
  version: string;
  /** The plugin's `sdk` range. */
  sdk: string;
}

/**
 * Throws `PLUGIN_INCOMPATIBLE` when `sdkVersion` is outside the plugin's `sdk` range, telling
 * which side to move: prereleases count (a `1.0.0-rc.1` core satisfies `^1.0.0-0`).
 */
export function assertSdkCompatible(plugin: SdkRequirement, source: string, sdkVersion: string): void {
  if (semver.satisfies(sdkVersion, plugin.sdk, { includePrerelease: true })) return;
  const needs = `Plugin "${source}" (${plugin.name}@${plugin.version}) needs @agent/core ${plugin.sdk}, installed ${sdkVersion}`;
  const fix = semver.gtr(sdkVersion, plugin.sdk, { includePrerelease: true })
    ? `use a plugin version built for @agent/core ${sdkVersion} (pnpm add ${plugin.name}@latest), or install @agent/core in ${plugin.sdk}`
    : `upgrade @agent/core (pnpm add @agent/core@"${plugin.sdk}"), or use a plugin version that supports @agent/core ${sdkVersion}`;
  throw new PluginError('PLUGIN_INCOMPATIBLE', source, `${needs}: ${fix}.`, {
    details: { required: plugin.sdk, installed: sdkVersion, fix },
  });
}
