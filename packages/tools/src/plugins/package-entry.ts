import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The fields of a package.json that decide what `import '<package>'` loads. */
export interface PackageManifest {
  name?: string;
  main?: string;
  exports?: unknown;
}

// What Node's ESM loader matches for `import` on Node 20.19+ (`module-sync` included since then).
const IMPORT_CONDITIONS: ReadonlySet<string> = new Set(['node', 'import', 'module-sync', 'default']);

/**
 * The file `import '<package><subpath>'` loads, resolved the way Node's ESM loader does for the
 * `import` condition. Written here because Node 20's `require.resolve` applies the `require`
 * condition, which ESM-only packages do not export, and `import.meta.resolve` takes no parent.
 * `subpath` is `.` or `./feature`. Returns `undefined` when the package exports nothing there.
 */
export function packageEntryFile(
  packageDir: string,
  manifest: PackageManifest,
  subpath: string,
): string | undefined {
  if (manifest.exports !== undefined && manifest.exports !== null) {
    const target = exportTarget(manifest.exports, subpath);
    return typeof target === 'string' ? resolve(packageDir, target) : undefined;
  }
  return legacyEntry(packageDir, manifest, subpath);
}

function exportTarget(exports: unknown, subpath: string): string | null | undefined {
  const map: Record<string, unknown> = isSubpathMap(exports) ? exports : { '.': exports };
  if (Object.hasOwn(map, subpath)) return conditionalTarget(map[subpath], undefined);
  // Subpath patterns (`./features/*`): the longest matching prefix wins, as in Node.
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    const fits =
      subpath.startsWith(prefix) &&
      subpath.endsWith(suffix) &&
      subpath.length >= prefix.length + suffix.length;
    if (fits && (best === undefined || prefix.length > best.key.indexOf('*'))) {
      best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best === undefined ? undefined : conditionalTarget(map[best.key], best.match);
}

function isSubpathMap(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).some((key) => key.startsWith('.'))
  );
}

/** `undefined`: no condition matched (keep looking); `null`: explicitly not exported (stop). */
function conditionalTarget(target: unknown, match: string | undefined): string | null | undefined {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return undefined;
    return match === undefined ? target : target.replaceAll('*', match);
  }
  if (target === null) return null;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const resolved = conditionalTarget(candidate, match);
      if (typeof resolved === 'string') return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object') {
    for (const [condition, value] of Object.entries(target as Record<string, unknown>)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const resolved = conditionalTarget(value, match);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

// Packages without `exports`: `main` (or index.js), with the extension and folder guesses Node's
// CommonJS-compatible lookup makes for them.
function legacyEntry(packageDir: string, manifest: PackageManifest, subpath: string): string | undefined {
  const base =
    subpath === '.' ? resolve(packageDir, manifest.main ?? 'index.js') : resolve(packageDir, subpath);
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, join(base, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}
