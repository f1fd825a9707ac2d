import { execFile } from 'node:child_process';
import { ProcessingError } from '../processing/processing-error.js';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs an engine binary without a shell, bounded in time and output. Engines get one thread:
 * on two cores, tesseract's OpenMP threads make it slower, not faster.
 */
export function runCommand(file: string, args: string[], options: { timeoutMs: number; cwd?: string }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        killSignal: 'SIGKILL',
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        ...(options.cwd ? { cwd: options.cwd } : {}),
      },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ stdout, stderr });
          return;
        }
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new ProcessingError(`Text recognition is not available: ${file} is not installed`, { cause: err }));
        } else if (err.killed) {
          reject(new ProcessingError(`Text recognition took longer than ${Math.round(options.timeoutMs / 1000)} s`, { cause: err }));
        } else {
          reject(new ProcessingError(`Text recognition failed (${file}: ${stderr.trim().split('\n').pop() ?? 'error'})`, { cause: err }));
        }
      },
    );
  });
}
