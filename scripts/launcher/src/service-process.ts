import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env } from '@learner/common/config';

export interface ServiceProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) whenever the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnService(options: {
  name: string;
  script: string;
  cwd: string;
  env: Env;
  url: string;
  writeLine: (line: string) => void;
}): ServiceProcess {
  const child = spawn(process.execPath, [options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', options.writeLine);
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => {
      options.writeLine(`could not start: ${err.message}`);
      resolve('spawn failed');
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    name: options.name,
    url: options.url,
    pid: child.pid ?? -1,
    child,
    exited,
    stop(graceMs = 15_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/**
 * Polls `/health` until it answers 200. Fails as soon as the process exits, at the deadline, or
 * when the launcher is told to stop.
 */
export async function waitUntilHealthy(service: ServiceProcess, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let exitedWith: number | string | undefined;
  void service.exited.then((code) => {
    exitedWith = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (exitedWith !== undefined) throw new Error(`${service.name} exited (${exitedWith}) before it was healthy`);
    try {
      const res = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${service.name} did not answer ${service.url}/health within ${Math.round(timeoutMs / 1000)} s`);
}
