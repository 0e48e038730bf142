import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
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

/** One parsed config file (or a merge of several): the plain value and where each path came from. */
export interface ConfigDocument {
  /** The interpolated value, as plain JSON-like data; `null` for an empty file. */
  value: unknown;
  /** Location of every path, keyed by {@link pathKey}. Collections point at their key. */
  locations: Map<string, SourceLocation>;
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
  return path.map(String).join('\u0000');
}

/** `agents.assistant.tools[0]`: the path as a user reads it. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** The location of `path`, or of its nearest ancestor that has one (a missing key points at its parent). */
export function locate(document: ConfigDocument, path: readonly PropertyKey[], file: string): SourceLocation {
  for (let length = path.length; length >= 0; length--) {
    const location = document.locations.get(pathKey(path.slice(0, length)));
    if (location !== undefined) return location;
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
    const issues = document.errors.map((error) => ({
      ...at(error.pos[0]),
      path: '',
      message: error.message,
      fix: fixForYamlError(error.code),
    }));
    throw new ConfigError(formatConfigIssues(`Invalid YAML in ${file}`, issues), { issues });
  }
  const locations = new Map<string, SourceLocation>();
  const contents = document.contents;
  if (contents !== null) recordLocations(document, contents, [], at(contents.range[0]), locations, at);
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
  node: unknown,
  path: Path,
  location: SourceLocation,
  locations: Map<string, SourceLocation>,
  at: (offset: number) => SourceLocation,
): void {
  locations.set(pathKey(path), location);
  if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const itemLocation =
        isScalar(item) || isMap(item) || isSeq(item) || isAlias(item) ? item.range : undefined;
      recordLocations(
        document,
        item,
        [...path, index],
        itemLocation ? at(itemLocation[0]) : location,
        locations,
        at,
      );
    });
    return;
  }
  if (!isMap(node)) return; // Scalars have nothing below; aliases are located where they are used.
  const merges: SourceLocation[] = [];
  const mergedKeys: string[] = [];
  for (const pair of node.items) {
    const key = pair.key;
    const keyLocation = isScalar(key) && key.range ? at(key.range[0]) : location;
    if (isScalar(key) && typeof key.value === 'symbol') {
      // `<<: *defaults`: the merged keys are reported at the `<<` line, where the user wrote them in.
      merges.push(keyLocation);
      mergedKeys.push(...mergeSourceKeys(document, pair.value));
      continue;
    }
    const value = pair.value;
    // An empty value (`agents:`) has no position of its own; its key's line is where to look.
    const ownStart = isScalar(value) && value.value !== null ? value.range?.[0] : undefined;
    const valueLocation = ownStart === undefined ? keyLocation : at(ownStart);
    recordLocations(
      document,
      value,
      [...path, String(isScalar(key) ? key.value : key)],
      valueLocation,
      locations,
      at,
    );
  }
  for (const key of mergedKeys) {
    const childKey = pathKey([...path, key]);
    const mergeLocation = merges[0];
    if (!locations.has(childKey) && mergeLocation !== undefined) locations.set(childKey, mergeLocation);
  }
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
    case 'MISSING_CHAR':
      return 'check the indentation: nested keys need more spaces than their parent, siblings the same';
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
      const merged: Record<string, unknown> = { ...baseValue };
      for (const [key, value] of Object.entries(overlayValue))
        merged[key] = merge(baseValue[key], value, [...path, key]);
      const own = overlay.locations.get(pathKey(path));
      if (!locations.has(pathKey(path)) && own !== undefined) locations.set(pathKey(path), own);
      return merged;
    }
    replaceLocations(locations, overlay.locations, pathKey(path));
    return overlayValue;
  };
  // An empty overlay file changes nothing.
  const value = overlay.value === null ? base.value : merge(base.value, overlay.value, []);
  return { value, locations, issues: [...base.issues, ...overlay.issues] };
}

function replaceLocations(
  target: Map<string, SourceLocation>,
  source: Map<string, SourceLocation>,
  prefix: string,
) {
  const within = (key: string) => prefix === '' || key === prefix || key.startsWith(`${prefix}\u0000`);
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
