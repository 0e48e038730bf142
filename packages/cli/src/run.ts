import { ConfigError } from '@agent/core';
import { Command, CommanderError } from 'commander';
import { validateConfig } from './commands/config-validate.js';
import { doctor } from './commands/doctor.js';
import { replayEvents } from './commands/events-replay.js';
import { tailEvents } from './commands/events-tail.js';
import { init } from './commands/init.js';
import { listAgents, listTools } from './commands/list.js';
import { mcpServe } from './commands/mcp-serve.js';
import { runAgent } from './commands/run-agent.js';
import { serve } from './commands/serve.js';
import { callToolCommand } from './commands/tools-call.js';
import { reportConfigError } from './config.js';
import { type CommandContext, UsageError } from './context.js';
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from './exit-codes.js';
import { TEMPLATE_NAMES } from './init/templates.js';
import { type CliIo, colorsFor } from './io.js';

const VERSION = '0.1.0';

/**
 * The `agent` command as a function: parses `argv` (without `node` and the script), writes only to
 * `io`, and resolves with the exit code (see `exit-codes.ts`). Never touches `process` itself.
 *
 * @example
 * ```ts
 * const code = await run(['agents', 'list', '--json'], { stdout, stderr, env: {}, cwd: '/project' });
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const context: CommandContext = {
    io,
    out: colorsFor(io.stdout, io.env),
    err: colorsFor(io.stderr, io.env),
  };
  let exitCode: number = EXIT_SUCCESS;
  const action =
    <A extends unknown[]>(handler: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      exitCode = await handler(...args);
    };
  const program = buildProgram(context, action);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

type Action = <A extends unknown[]>(
  handler: (...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

function buildProgram(context: CommandContext, action: Action): Command {
  const { io, err } = context;
  const program = new Command('agent');
  // Settings are copied to subcommands when they are created, so they come first.
  program
    .description('Run, serve and inspect Agent SDK agents from agent.config.yaml.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(err.red(text)),
    })
    .addHelpText(
      'after',
      examples([
        'agent init demo',
        'agent run assistant "What time is it?"',
        'agent agents list',
        'agent config validate --env production',
        'agent serve --port 8080',
      ]),
    );

  const configOption = [
    '-c, --config <path>',
    'config file (default: $AGENT_CONFIG, else ./agent.config.yaml)',
  ] as const;

  program
    .command('init')
    .description('create a project: package.json, agent.config.yaml, a tool, .env.example and a test')
    .argument('[dir]', 'where to create it (created if missing)', '.')
    .option('-t, --template <name>', `the template: ${TEMPLATE_NAMES.join(' | ')}`, 'basic')
    .option('-f, --force', 'overwrite files that already exist')
    .option('--no-install', 'write the files only; do not install the dependencies')
    .option('--link <checkout>', 'take @agent/* from a local Agent SDK checkout (link: dependencies)')
    .option('--no-link', 'take @agent/* from the registry even when this CLI runs from a checkout')
    .addHelpText(
      'after',
      examples([
        'agent init demo',
        'agent init my-planner --template planner-executor',
        'agent init agent-tools-weather --template tool-plugin --no-install',
      ]),
    )
    .action(action((dir: string, options) => init(dir, options, context)));

  program
    .command('run')
    .description('run an agent once and stream what it does')
    .argument('<agent>', 'the agent name from agent.config.yaml')
    .argument('[task]', 'what to ask the agent')
    .option(...configOption)
    .option('--json', 'print one JSON event per line')
    .option('-i, --input <source>', 'read the task from a file, or "-" for stdin')
    .option('-f, --file <task.yaml>', 'read the task from a YAML file: input, conversationId, metadata')
    .addHelpText(
      'after',
      examples([
        'agent run assistant "How many words are in \'to be or not to be\'?"',
        'echo "What time is it?" | agent run assistant --input - --json',
        'agent run assistant --file task.yaml',
      ]),
    )
    .action(
      action((agent: string, task: string | undefined, options) => runAgent(agent, task, options, context)),
    );

  program
    .command('serve')
    .description('start the HTTP server (API and dashboard) from the config')
    .option(...configOption)
    .option('-p, --port <port>', 'port to listen on (overrides server.port; 0 picks a free one)')
    .option('-H, --host <host>', 'address to listen on (overrides server.host)')
    .addHelpText('after', examples(['agent serve', 'agent serve --port 8080 --config ./prod.yaml']))
    .action(action((options) => serve(options, context)));

  const agents = program.command('agents').description('inspect the configured agents');
  agents.addHelpText('after', examples(['agent agents list']));
  agents
    .command('list')
    .description('list the configured agents')
    .option(...configOption)
    .option('--json', 'print one JSON object per agent per line')
    .addHelpText('after', examples(['agent agents list', 'agent agents list --json']))
    .action(action((options) => listAgents(options, context)));

  const tools = program.command('tools').description('inspect the available tools');
  tools.addHelpText(
    'after',
    examples(['agent tools list', 'agent tools call calculator \'{"expression": "1 + 1"}\'']),
  );
  tools
    .command('list')
    .description('list the tools agents can use')
    .option(...configOption)
    .option('--json', 'print one JSON object per tool per line, with its input JSON Schema')
    .addHelpText('after', examples(['agent tools list', 'agent tools list --json']))
    .action(action((options) => listTools(options, context)));
  tools
    .command('call')
    .description('run one tool with a JSON input, validated as for a model, and print its output')
    .argument('<tool>', 'the tool: a name, or name@version')
    .argument('[input]', 'the input as JSON (default: {})')
    .option(...configOption)
    .option('--timeout <ms>', 'timeout for a tool without its own (default: 60000)')
    .addHelpText(
      'after',
      examples([
        'agent tools call calculator \'{"expression": "2 * (3 + 4)"}\'',
        'agent tools call weather@^2 \'{"city": "Oslo"}\'',
      ]),
    )
    .action(
      action((tool: string, input: string | undefined, options) =>
        callToolCommand(tool, input, options, context),
      ),
    );

  const mcp = program.command('mcp').description('publish the tools over the Model Context Protocol');
  mcp.addHelpText('after', examples(['agent mcp serve', 'agent mcp serve --http --port 3001']));
  mcp
    .command('serve')
    .description('serve the tools as an MCP server: stdio (for desktop clients) or --http')
    .option(...configOption)
    .option('--http', 'serve streamable HTTP instead of stdio')
    .option('-p, --port <port>', 'port for --http (0 picks a free one)')
    .option('-H, --host <host>', 'address for --http (default 127.0.0.1)')
    .option('-a, --agent <name>', "publish only this agent's tools")
    .addHelpText(
      'after',
      examples([
        'agent mcp serve --config /path/to/agent.config.yaml',
        'agent mcp serve --http --port 3001 --agent assistant',
      ]),
    )
    .action(action((options) => mcpServe(options, context)));

  const config = program.command('config').description('check the config file');
  config.addHelpText('after', examples(['agent config validate']));
  config
    .command('validate')
    .description('validate the config and report every problem with file, line, path and fix')
    .option(...configOption)
    .option('-e, --env <name>', 'also apply the overlay agent.config.<name>.yaml (default: $AGENT_ENV)')
    .addHelpText(
      'after',
      examples([
        'agent config validate',
        'agent config validate --env production --config ./agent.config.yaml',
      ]),
    )
    .action(action((options) => validateConfig(options, context)));

  const events = program.command('events').description('read the events of recorded runs');
  events.addHelpText('after', examples(['agent events tail', 'agent events replay <runId>']));
  events
    .command('tail')
    .description('print events as they are recorded: every run, or one run to its end')
    .option(...configOption)
    .option('-r, --run <runId>', 'follow this run until it ends (exit 0 if it completed, else 1)')
    .option('--json', 'print one JSON event per line')
    .option('--url <url>', 'follow this server live instead of the local store')
    .option('--api-key <key>', 'API key for --url (default: $AGENT_API_KEY)')
    .option('--interval <ms>', 'how often the local store is read', '500')
    .addHelpText(
      'after',
      examples([
        'agent events tail',
        'agent events tail --run 3f2c9a --json',
        'agent events tail --url http://localhost:3000 --api-key $KEY',
      ]),
    )
    .action(action((options) => tailEvents(options, context)));
  events
    .command('replay')
    .description("print a recorded run's events, from the local event store or a server")
    .argument('<runId>', 'the id of the run')
    .option(...configOption)
    .option('--json', 'print one JSON event per line')
    .option('--url <url>', 'read from this server instead of the local store')
    .option('--api-key <key>', 'API key for --url (default: $AGENT_API_KEY)')
    .addHelpText(
      'after',
      examples([
        'agent events replay 3f2c9a',
        'agent events replay 3f2c9a --json --url http://localhost:3000 --api-key $KEY',
      ]),
    )
    .action(action((runId: string, options) => replayEvents(runId, options, context)));

  program
    .command('doctor')
    .description('check Node, the config, API keys, the event store and Redis')
    .option(...configOption)
    .addHelpText('after', examples(['agent doctor', 'agent doctor --config ./prod.yaml']))
    .action(action((options) => doctor(options, context)));

  return program;
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

function reportError(error: unknown, context: CommandContext): number {
  const { io, err } = context;
  if (error instanceof CommanderError) {
    // commander has already written the message (and the suggestion) to stderr.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_SUCCESS;
    if (error.code !== 'commander.help') io.stderr.write(`Run "agent --help" for usage.\n`);
    return EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`${err.red('error:')} ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    reportConfigError(error, io, err);
    return EXIT_CONFIG;
  }
  io.stderr.write(`${err.red('error:')} ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILURE;
}
