/**
 * `@agent/cli`: the `agent` command. `run(argv, io)` is the whole CLI as a function; the binary
 * calls it through `main()`.
 * @module
 */
export { EXIT_CONFIG, EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE, type ExitCode } from './exit-codes.js';
export type { CliIo, CliOutput } from './io.js';
export { main } from './main.js';
export { run } from './run.js';
