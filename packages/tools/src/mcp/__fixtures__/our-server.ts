import { serveMcpHttp } from '../mcp-http-server.js';
import { serveMcpStdio } from '../mcp-stdio-server.js';
import { fixtureTools } from './fixture-tools.js';

// A real MCP server process built with OUR server code:
//   node --import tsx our-server.ts stdio
//   node --import tsx our-server.ts http [port]   → prints "LISTENING <url>" on stdout

const [mode = 'stdio', port = '0'] = process.argv.slice(2);
// A stubborn server: keeps running after its stdin ends and ignores SIGTERM; only SIGKILL stops it.
const stubborn = process.env.MCP_FIXTURE_STUBBORN === '1';
if (stubborn) setInterval(() => {}, 60_000);
const stopOnSigterm = (close: () => Promise<void>) =>
  process.on('SIGTERM', () => {
    if (!stubborn) void close().then(() => process.exit(0));
  });
const options = { name: 'fixture', version: '1.0.0' };

if (mode === 'http') {
  const server = await serveMcpHttp(fixtureTools, { ...options, port: Number(port) });
  process.stdout.write(`LISTENING ${server.url}\n`);
  stopOnSigterm(() => server.close());
} else {
  const server = await serveMcpStdio(fixtureTools, options);
  stopOnSigterm(() => server.close());
}
