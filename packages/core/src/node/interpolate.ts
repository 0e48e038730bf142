// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are config text, not templates.
// Placeholders are replaced in parsed values, never in YAML text, so a secret holding `: ` or `#`
// cannot change the document's structure.

// `$${...}` (escape) or `${...}`; a missing `}` is captured so it can be reported.
const PLACEHOLDER = /\$(\$?)\{([^}]*)(\}?)/g;
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Result of {@link interpolate}. Problems never include a variable's value. */
export interface Interpolation {
  value: string;
  problems: { message: string; fix: string }[];
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` in `text` (the default applies when VAR is unset or empty,
 * as in a shell); `$${VAR}` yields a literal `${VAR}`. Unresolved placeholders are kept verbatim.
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): Interpolation {
  const problems: Interpolation['problems'] = [];
  const value = text.replace(PLACEHOLDER, (match, escaped: string, inner: string, close: string) => {
    if (escaped === '$') return match.slice(1);
    const reference = REFERENCE.exec(inner);
    const name = reference?.[1];
    if (close !== '}' || name === undefined) {
      problems.push({
        message: `"${match}" is not a valid placeholder`,
        fix: 'write ${NAME} or ${NAME:-default}; write $${...} for a literal "${"',
      });
      return match;
    }
    const fallback = reference?.[2];
    // hasOwn, so `${constructor}` never resolves to something inherited from Object.prototype.
    const current = Object.hasOwn(env, name) ? env[name] : undefined;
    if (current !== undefined && (current !== '' || fallback === undefined)) return current;
    if (fallback !== undefined) return fallback;
    problems.push({
      message: `environment variable ${name} is not set`,
      fix: `set it in the environment or in .env, or write \${${name}:-default}`,
    });
    return match;
  });
  return { value, problems };
}
