/**
 * The exit codes of the `agent` command, so scripts can tell what went wrong.
 *
 * | code | meaning |
 * | ---- | ------- |
 * | 0 | success (a run completed, a config is valid, help was shown) |
 * | 1 | the run failed or was cancelled, or an unexpected error |
 * | 2 | usage error: unknown command or flag, missing argument, unknown agent |
 * | 3 | config error: config file missing, unreadable or invalid |
 */
export const EXIT_SUCCESS = 0;
/** The run failed or was cancelled, or something unexpected went wrong. */
export const EXIT_FAILURE = 1;
/** The command line was wrong: unknown command or flag, missing argument, unknown agent. */
export const EXIT_USAGE = 2;
/** The config file is missing, unreadable or invalid. */
export const EXIT_CONFIG = 3;

export type ExitCode = typeof EXIT_SUCCESS | typeof EXIT_FAILURE | typeof EXIT_USAGE | typeof EXIT_CONFIG;
