import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/start.sh and scripts/test.sh begin with `. scripts/ensure-node.sh`: on a machine whose
// node is older than 24 it fetches the pinned Node 24 from the npm registry into .infra/node and
// puts it on PATH, with the pnpm package.json pins. Here the older node is a stand-in on PATH
// that says it is Node 20 (the machine's own node may well be 24), and the script runs from a
// copy of the repository's root so that what it fetches lands in a folder of the test's own.

const root = resolve(import.meta.dirname, '..', '..', '..');
const script = readFileSync(join(root, 'scripts', 'ensure-node.sh'), 'utf8');
const pinnedNode = /^ensure_node_version=(\S+)$/m.exec(script)![1]!;
const pinnedCorepack = /^ensure_corepack_version=(\S+)$/m.exec(script)![1]!;
const pinnedPnpm = /^pnpm@([^+]+)/.exec((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string }).packageManager)![1]!;

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A root with the script and package.json, and a `node` on PATH that answers as Node 20 does.
 * `reuse`: what the repository already fetched into .infra/node is linked in, so it is checked
 * and used rather than downloaded again (a machine without it downloads it from the registry).
 */
function olderMachine(options: { reuse: boolean }): { root: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ensure-node-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'root', 'scripts'), { recursive: true });
  copyFileSync(join(root, 'scripts', 'ensure-node.sh'), join(dir, 'root', 'scripts', 'ensure-node.sh'));
  copyFileSync(join(root, 'package.json'), join(dir, 'root', 'package.json'));
  if (options.reuse) {
    mkdirSync(join(dir, 'root', '.infra', 'node'), { recursive: true });
    for (const name of [pinnedNode, `corepack-${pinnedCorepack}`]) {
      const fetched = join(root, '.infra', 'node', name);
      if (existsSync(fetched)) symlinkSync(fetched, join(dir, 'root', '.infra', 'node', name));
    }
  }
  mkdirSync(join(dir, 'bin'));
  const oldNode = join(dir, 'bin', 'node');
  writeFileSync(oldNode, '#!/bin/sh\ncase "$*" in\n  *process.versions.node*) echo 20 ;;\n  *) echo v20.19.0 ;;\nesac\n');
  chmodSync(oldNode, 0o755);
  return { root: join(dir, 'root'), path: `${join(dir, 'bin')}:/usr/local/bin:/usr/bin:/bin` };
}

/** Sources the script as start.sh does, then runs `then`; resolves with what the shell printed. */
async function sourceScript(machine: { root: string; path: string }, then: string, env: Record<string, string> = {}) {
  const { stdout, stderr } = await promisify(execFile)('bash', ['-c', `cd "$1" && . scripts/ensure-node.sh; echo "sourced:$?"; ${then}`, 'sh', machine.root], {
    env: { HOME: process.env.HOME ?? tmpdir(), PATH: machine.path, ...env },
    timeout: 300_000,
  });
  return { stdout, stderr };
}

describe('scripts/ensure-node.sh on a machine whose node is older than 24', () => {
  it('puts the pinned Node 24 on PATH, and the pnpm package.json pins', { timeout: 300_000 }, async () => {
    const machine = olderMachine({ reuse: true });
    const { stdout } = await sourceScript(machine, 'node --version; pnpm --version; command -v node');
    const [sourced, node, pnpm, where] = stdout.trim().split('\n');
    expect(sourced).toBe('sourced:0');
    expect(node).toBe(`v${pinnedNode}`);
    expect(pnpm).toBe(pinnedPnpm);
    expect(where).toBe(join(machine.root, '.infra', 'node', pinnedNode, 'bin', 'node'));
  });

  it('refuses a download that does not match the recorded integrity, and leaves the machine as it was', async () => {
    const registry = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end('not the node binary');
    });
    servers.push(registry);
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    const machine = olderMachine({ reuse: false });
    const { stdout, stderr } = await sourceScript(machine, 'node --version', {
      npm_config_registry: `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`,
    });
    expect(stdout.trim().split('\n')).toEqual(['sourced:1', 'v20.19.0']);
    expect(stderr).toContain('integrity check failed');
    expect(existsSync(join(machine.root, '.infra', 'node', pinnedNode))).toBe(false);
  });
});
