import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

export interface RunCommandOptions {
  /** Bytes written to the program's standard input, which is then closed. */
  input?: Buffer | string;
  /** The program is killed after this long; default 60 s. */
  timeoutMs?: number;
  /** Standard output beyond this many bytes kills the program; default 64 MiB. */
  maxOutputBytes?: number;
  cwd?: string;
  /** Aborting kills the program; the promise then rejects with `aborted` set. */
  signal?: AbortSignal;
}

export interface CommandResult {
  stdout: Buffer;
  stderr: string;
}

/** A program that could not start, ran too long, or exited non-zero; `stderr` is its last words. */
export class CommandError extends Error {
  readonly command: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly stderr: string;
  constructor(
    command: string,
    message: string,
    details: { exitCode?: number | null; timedOut?: boolean; aborted?: boolean; stderr?: string },
  ) {
    super(`${command}: ${message}`);
    this.name = 'CommandError';
    this.command = command;
    this.exitCode = details.exitCode ?? null;
    this.timedOut = details.timedOut ?? false;
    this.aborted = details.aborted ?? false;
    this.stderr = details.stderr ?? '';
  }
}

const STDERR_KEPT = 8_192;

/**
 * Runs a program with an argument array (never through a shell), bounded in time and output, so
 * untrusted text can only ever be data and a stuck engine cannot hold a request or a worker.
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxOutput = options.maxOutputBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CommandError(file, 'aborted before it started', { aborted: true }));
      return;
    }
    const child = spawn(file, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let timedOut = false;
    let overflow = false;
    let aborted = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGKILL');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutput) {
        overflow = true;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new CommandError(file, `could not start (${err.message})`, { stderr }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (aborted) reject(new CommandError(file, 'aborted', { aborted: true, stderr }));
      else if (timedOut) reject(new CommandError(file, `timed out after ${timeoutMs} ms`, { timedOut: true, stderr }));
      else if (overflow) reject(new CommandError(file, `printed more than ${maxOutput} bytes`, { stderr }));
      else if (code !== 0) {
        reject(new CommandError(file, `exited with ${code ?? signal ?? 'unknown status'}`, { exitCode: code, stderr }));
      } else resolve({ stdout: Buffer.concat(chunks), stderr });
    });
    // A program that exits without reading its input makes the write fail with EPIPE; the exit
    // status tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** The full path of an executable found on PATH (or the given path if executable), else undefined. */
export async function findExecutable(name: string, pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  const candidates = isAbsolute(name) || name.includes('/') ? [name] : pathEnv.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return undefined;
}
