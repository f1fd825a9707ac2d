import { describe, expect, it } from 'vitest';
import { CommandError, findExecutable, runCommand } from '../src/process/index.js';

describe('runCommand', () => {
  it('passes input to the program and returns its output, with arguments never read by a shell', async () => {
    const { stdout } = await runCommand('cat', [], { input: 'hello; rm -rf /' });
    expect(stdout.toString()).toBe('hello; rm -rf /');
    const echoed = await runCommand('echo', ['$(whoami)', '*']);
    expect(echoed.stdout.toString()).toBe('$(whoami) *\n');
  });

  it('kills a program that runs past its time limit', async () => {
    await expect(runCommand('sleep', ['5'], { timeoutMs: 100 })).rejects.toMatchObject({ name: 'CommandError', timedOut: true });
  });

  it('rejects with the exit code and the end of stderr when the program fails', async () => {
    const err = await runCommand('ls', ['/no/such/folder']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).exitCode).not.toBe(0);
    expect((err as CommandError).stderr).toMatch(/no\/such\/folder/);
  });

  it('rejects when the program does not exist or prints too much', async () => {
    await expect(runCommand('no-such-program-here', [])).rejects.toThrow(/could not start/);
    await expect(runCommand('head', ['-c', '100000', '/dev/zero'], { maxOutputBytes: 1000 })).rejects.toThrow(/more than 1000/);
  });
});

describe('findExecutable', () => {
  it('finds programs on PATH and not missing ones', async () => {
    expect(await findExecutable('sh')).toMatch(/\/sh$/);
    expect(await findExecutable('no-such-program-here')).toBeUndefined();
    expect(await findExecutable('/bin/sh')).toBe('/bin/sh');
  });
});

describe('runCommand with an abort signal', () => {
  it('kills the program when the signal fires', async () => {
    const controller = new AbortController();
    const running = runCommand('sleep', ['5'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toMatchObject({ aborted: true, timedOut: false });
  });
});
