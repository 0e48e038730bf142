import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

// The SDK closes a stdio server by ending its stdin, then SIGTERM and SIGKILL 2 s apart; but its
// timers are unref'd and it forgets the process as soon as close() starts, so a server that
// ignores end-of-input can outlive a host that exits meanwhile. These are our own, awaited bounds.
const EXIT_GRACE_MS = 2000;
const POLL_MS = 25;

/** The SDK's stdio transport, remembering the pid it spawned so the process can be made to stop. */
export class TrackedStdioClientTransport extends StdioClientTransport {
  /** The spawned process id (kept after close, unlike `pid`); `null` before `start()`. */
  spawnedPid: number | null = null;

  override async start(): Promise<void> {
    await super.start();
    this.spawnedPid = this.pid;
  }

  /**
   * Resolves once the spawned process is gone: it gets {@link EXIT_GRACE_MS} to exit on its own
   * (after the SDK ended its stdin), then SIGTERM, then SIGKILL. Bounded to about 6 s.
   */
  async stopProcess(): Promise<void> {
    const pid = this.spawnedPid;
    if (pid === null) return;
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (await exitedWithin(pid, EXIT_GRACE_MS)) return;
      signalProcess(pid, signal);
    }
    await exitedWithin(pid, EXIT_GRACE_MS);
  }
}

async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (signalProcess(pid, 0)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/** Sends `signal` (0: only checks the process exists); false when there is no such process. */
function signalProcess(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
