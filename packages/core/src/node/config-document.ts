import { type Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { ConfigIssue } from '../errors/errors.js';
import { ConfigError } from '../errors/errors.js';
import { interpolate } from './interpolate.js';

/** Where a value in a config file was written. */
export interface SourceLocation {
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

/** Where one path was written: its value (a collection: its key's line) and, in a mapping, its key. */
export interface PathLocation {
  value: SourceLocation;
  key?: SourceLocation;
}

/** One parsed config file (or a merge of several): the plain value and where each path came from. */
export interface ConfigDocument {
  /** The interpolated value, as plain JSON-like data; `null` for an empty file. */
  value: unknown;
  /** Location of every path, keyed by {@link pathKey}. */
  locations: Map<string, PathLocation>;
  /** Interpolation problems (unset variables, malformed placeholders), all of them. */
  issues: ConfigIssue[];
}

/** Options of {@link parseConfigDocument}. */
export interface ParseConfigDocumentOptions {
  /** The file name used in locations and errors. */
  file: string;
  /** Variables for `${VAR}` placeholders. */
  env: Readonly<Record<string, string | undefined>>;
}

type Path = readonly (string | number)[];

/** The key of `path` in {@link ConfigDocument.locations}. */
export function pathKey(path: readonly PropertyKey[]): string {
  // Each segment is prefixed (not joined), so the root ('') never equals a key named ''.
  return path.map((segment) => `\u0000${String(segment)}`).join('');
}

/** `agents.assistant.tools[0]`: the path as a user reads it. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/**
 * The location of `path` (its key when `part` is `key`, e.g. for an unknown key), else of its
 * nearest ancestor that has one.
 */
export function locate(
  document: ConfigDocument,
  path: readonly PropertyKey[],
  file: string,
  part: 'value' | 'key' = 'value',
): SourceLocation {
  for (let length = path.length; length >= 0; length--) {
    const location = document.locations.get(pathKey(path.slice(0, length)));
    if (location !== undefined)
      return (length === path.length && part === 'key' && location.key) || location.value;
  }
  return { file };
}

/**
 * Parses one YAML config text: records the line and column of every value, then replaces
 * `${VAR}` / `${VAR:-default}` placeholders in string values (`$${VAR}` is a literal `${VAR}`).
 * Interpolating after parsing means a value full of YAML-special characters cannot break the file.
 * Throws a {@link ConfigError} listing every YAML syntax error.
 */
export function parseConfigDocument(text: string, options: ParseConfigDocumentOptions): ConfigDocument {
  const { file } = options;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (document.errors.length > 0) {
    // The parser often reports one mistake several times; the first error on a line is the clearest.
    const lines = new Set<number>();
    const errors = document.errors.filter((error) => {
      const { line } = lineCounter.linePos(error.pos[0]);
      return !lines.has(line) && Boolean(lines.add(line));
    });
    const issues = errors.map((error) => ({
      ...at(error.pos[0]),
      path: '',
      message: error.message,
      fix: fixForYamlError(error.code),
    }));
    throw new ConfigError(formatConfigIssues(`Invalid YAML in ${file}`, issues), { issues });
  }
  const locations = recordLocations(document, at);
  let raw: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs").
    raw = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const issue = {
      file,
      path: '',
      message: (error as Error).message,
      fix: 'simplify the anchors, aliases and merge keys',
    };
    throw new ConfigError(formatConfigIssues(`Invalid YAML in ${file}`, [issue]), {
      issues: [issue],
      cause: error,
    });
  }
  const result: ConfigDocument = { value: null, locations, issues: [] };
  result.value = interpolateValue(raw, [], options.env, (path, message, fix) =>
    result.issues.push({ ...locate(result, path, file), path: formatPath(path), message, fix }),
  );
  return result;
}

function recordLocations(
  document: Document,
  at: (offset: number) => SourceLocation,
): Map<string, PathLocation> {
  const locations = new Map<string, PathLocation>();
  const startOf = (node: unknown, fallback: SourceLocation) => {
    const offset = isNode(node) ? node.range?.[0] : undefined;
    return offset === undefined ? fallback : at(offset);
  };
  const visit = (node: unknown, path: Path, location: PathLocation): void => {
    locations.set(pathKey(path), location);
    if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        visit(item, [...path, index], { value: startOf(item, location.value) });
      }
    }
    if (!isMap(node)) return; // Scalars have nothing below; aliases are located where they are used.
    const merged: [string, SourceLocation][] = [];
    for (const { key, value } of node.items) {
      const keyLocation = startOf(key, location.value);
      if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *defaults`: merged keys are reported at the `<<` line, where the user pulled them in.
        for (const name of mergeSourceKeys(document, value)) merged.push([name, keyLocation]);
        continue;
      }
      // A collection, or an empty value (`agents:`), is best pointed at by its key's line.
      const hasOwnStart = isScalar(value) && value.value !== null;
      const valueLocation = hasOwnStart ? startOf(value, keyLocation) : keyLocation;
      const name = String(isScalar(key) ? key.value : key);
      visit(value, [...path, name], { value: valueLocation, key: keyLocation });
    }
    // Explicit keys override merged ones, as in YAML itself.
    for (const [name, mergeLocation] of merged) {
      const childKey = pathKey([...path, name]);
      if (!locations.has(childKey)) locations.set(childKey, { value: mergeLocation, key: mergeLocation });
    }
  };
  if (document.contents !== null) visit(document.contents, [], { value: startOf(document.contents, at(0)) });
  return locations;
}

function mergeSourceKeys(document: Document, value: unknown): string[] {
  const source = isAlias(value) ? value.resolve(document) : value;
  if (isSeq(source)) return source.items.flatMap((item) => mergeSourceKeys(document, item));
  if (!isMap(source)) return [];
  return source.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
}

function fixForYamlError(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove or rename one of the duplicate keys';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
      return 'check the indentation: nested keys need more spaces than their parent, siblings the same';
    case 'MISSING_CHAR':
      return 'close the quote or bracket opened before this point';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'quote a value that contains ": ", or put each key on its own line';
    case 'BAD_SCALAR_START':
      return 'quote the value: a plain value cannot start with this character';
    case 'MULTIPLE_DOCS':
      return 'keep one document per file: remove the "---" or "..." separator';
    default:
      return 'check the indentation and quoting near this line; quote values that contain ": " or " #"';
  }
}

type Report = (path: Path, message: string, fix: string) => void;

function interpolateValue(
  value: unknown,
  path: Path,
  env: ParseConfigDocumentOptions['env'],
  report: Report,
): unknown {
  if (typeof value === 'string') {
    const result = interpolate(value, env);
    for (const problem of result.problems) report(path, problem.message, problem.fix);
    return result.value;
  }
  if (Array.isArray(value))
    return value.map((item, index) => interpolateValue(item, [...path, index], env, report));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [
      key,
      interpolateValue(item, [...path, key], env, report),
    ]);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * Deep-merges `overlay` over `base`: mappings merge by key, lists and scalars replace. Locations
 * follow the values, so an error in a value from the overlay points at the overlay file.
 */
export function mergeConfigDocuments(base: ConfigDocument, overlay: ConfigDocument): ConfigDocument {
  const locations = new Map(base.locations);
  const merge = (baseValue: unknown, overlayValue: unknown, path: Path): unknown => {
    if (isPlainObject(baseValue) && isPlainObject(overlayValue)) {
      // Built through a Map, so a `__proto__` key stays a plain key instead of setting a prototype.
      const merged = new Map(Object.entries(baseValue));
      for (const [key, value] of Object.entries(overlayValue)) {
        merged.set(
          key,
          merge(Object.hasOwn(baseValue, key) ? baseValue[key] : undefined, value, [...path, key]),
        );
      }
      const own = overlay.locations.get(pathKey(path));
      if (!locations.has(pathKey(path)) && own !== undefined) locations.set(pathKey(path), own);
      return Object.fromEntries(merged);
    }
    replaceLocations(locations, overlay.locations, pathKey(path));
    return overlayValue;
  };
  // An empty overlay file changes nothing.
  const value = overlay.value === null ? base.value : merge(base.value, overlay.value, []);
  return { value, locations, issues: [...base.issues, ...overlay.issues] };
}

function replaceLocations(
  target: Map<string, PathLocation>,
  source: Map<string, PathLocation>,
  prefix: string,
) {
  const within = (key: string) => key === prefix || key.startsWith(`${prefix}\u0000`);
  for (const key of [...target.keys()]) if (within(key)) target.delete(key);
  for (const [key, location] of source) if (within(key)) target.set(key, location);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header line, then one `file:line:column path: message. Fix: fix` line per issue. */
export function formatConfigIssues(header: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => {
    const where = [issue.file, issue.line, issue.column].filter((part) => part !== undefined).join(':');
    const message = issue.message.replace(/\.$/, '');
    return `  ${where} ${issue.path === '' ? '(root)' : issue.path}: ${message}. Fix: ${issue.fix}`;
  });
  const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  return `${header} (${count}):\n${lines.join('\n')}`;
}
