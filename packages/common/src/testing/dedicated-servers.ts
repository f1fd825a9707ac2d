import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePortRange } from './free-ports.js';

/*
 * Servers of a test's own, started and stopped by the test to play an outage, so the shared ones
 * that other test files use at the same time stay up. Everything listens on 127.0.0.1 only.
 */

export interface DedicatedServer {
  /** Where clients reach it (redis://…, postgres://…, host:port). */
  url: string;
  port: number;
  /** Stops the server (as an operator or a crash would) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
}

async function waitForPort(port: number, what: string, child: () => ChildProcess | undefined, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    const proc = child();
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}) before it listened on ${port}`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} in time`);
    await sleep(200);
  }
}

async function stopChild(child: ChildProcess | undefined, graceMs = 20_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A process's output, kept short, for the error when it does not start. */
function keepOutput(child: ChildProcess, lines: string[]): void {
  const add = (chunk: Buffer): void => {
    lines.push(chunk.toString());
    if (lines.length > 50) lines.shift();
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
}

/** A server run as a child process of the test, its files in `dir`. */
function processServer(url: string, port: number, dir: string, start: () => Promise<void>, child: () => ChildProcess | undefined): DedicatedServer {
  return {
    url,
    port,
    start,
    stop: () => stopChild(child()),
    async close() {
      await stopChild(child());
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis of its own, with an append-only file, so what it held survives a stop and start. */
export async function startDedicatedRedis(): Promise<DedicatedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dedicated-redis-'));
  const port = await freePortRange(1);
  let child: ChildProcess | undefined;
  const output: string[] = [];
  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    keepOutput(child, output);
    await waitForPort(port, `redis-server (${output.join('').slice(-500)})`, () => child);
  };
  await start();
  return processServer(`redis://127.0.0.1:${port}`, port, dir, start, () => child);
}

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Runs a PostgreSQL tool as the postgres user when this process is root (PostgreSQL refuses root). */
function pgTool(tool: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, cmdArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args]] : [join(PG_BIN, tool), args];
  const run = spawnSync(cmd, cmdArgs, { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${run.stderr || run.stdout || run.error?.message}`);
}

/**
 * A PostgreSQL 15 cluster of its own (the Debian binaries scripts/infra/postgres.sh installs), trust
 * authentication on loopback, durability off: test data only. `url` is its postgres database.
 */
export async function startDedicatedPostgres(): Promise<DedicatedServer & { createDatabase(name: string): Promise<string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dedicated-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'run');
  mkdirSync(data);
  mkdirSync(socketDir);
  if (process.getuid?.() === 0) {
    const postgres = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (postgres.status !== 0) throw new Error('there is no postgres user: run scripts/infra/up.sh postgres first');
    for (const path of [dir, data, socketDir]) chownSync(path, Number(postgres.stdout), Number(group.stdout));
  }
  chmodSync(data, 0o700);
  pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePortRange(1);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${socketDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = async (): Promise<void> => {
    pgTool('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', options, 'start']);
    await waitForPort(port, 'postgres', () => undefined);
  };
  // Fast shutdown: sessions are ended at once, as when a database server goes away.
  const stop = async (): Promise<void> => pgTool('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', 'fast', 'stop']);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    start,
    stop,
    async createDatabase(name) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async close() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Kafka broker of its own (KRaft, broker and controller in one JVM), run from the jars
 * scripts/infra/kafka.sh fetched into .infra/kafka/libs, with the given topics created.
 */
export async function startDedicatedKafka(options: {
  repoRoot: string;
  topics: Array<{ topic: string; partitions: number }>;
}): Promise<DedicatedServer> {
  const libs = join(options.repoRoot, '.infra', 'kafka', 'libs', '*');
  const dir = mkdtempSync(join(tmpdir(), 'dedicated-kafka-'));
  const base = await freePortRange(2);
  const [port, controllerPort] = [base, base + 1];
  const properties = join(dir, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=true',
      `log.dirs=${join(dir, 'data')}`,
      '',
    ].join('\n'),
  );
  const log4j = join(dir, 'log4j.properties');
  writeFileSync(
    log4j,
    'log4j.rootLogger=WARN, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\n' +
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n',
  );
  const jvm = ['-Djava.awt.headless=true', `-Dlog4j.configuration=file:${log4j}`, '-cp', libs];
  let clusterId = '-';
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  const format = spawnSync(
    'java',
    ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', ...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (format.status !== 0) throw new Error(`kafka storage format failed: ${format.stderr || format.error?.message}`);

  let child: ChildProcess | undefined;
  const output: string[] = [];
  const start = async (): Promise<void> => {
    child = spawn('java', ['-Xmx384m', '-Xms128m', '-XX:+UseSerialGC', ...jvm, 'kafka.Kafka', properties], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    keepOutput(child, output);
    await waitForPort(port, 'kafka', () => child);
  };
  await start();
  const url = `127.0.0.1:${port}`;
  // The broker answers metadata only once it joined its own quorum; creating the topics waits for that.
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'dedicated-kafka', brokers: [url], logLevel: logLevel.NOTHING, retry: { retries: 20 } }).admin();
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: options.topics.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1 })),
    });
  } catch (err) {
    throw new Error(`kafka did not come up: ${(err as Error).message}\n${output.join('').slice(-2000)}`, { cause: err });
  } finally {
    await admin.disconnect();
  }
  return processServer(url, port, dir, start, () => child);
}

/**
 * A TCP proxy in front of `target` (host:port) that can stall: while stalled it accepts
 * connections and reads nothing, forwards nothing, answers nothing, as a hung endpoint does.
 * Connections that stalled are dropped when it resumes, so nothing sent meanwhile arrives late.
 */
export async function startStallingProxy(target: { host: string; port: number }): Promise<{
  url: string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}> {
  let stalled = false;
  const links = new Set<{ client: Socket; upstream?: Socket; held: boolean }>();
  const hold = (link: { client: Socket; upstream?: Socket; held: boolean }): void => {
    link.held = true;
    link.client.unpipe();
    link.upstream?.unpipe();
    link.client.pause();
    link.upstream?.pause();
  };
  const server: Server = createServer((client) => {
    const link: { client: Socket; upstream?: Socket; held: boolean } = { client, held: false };
    links.add(link);
    const drop = (): void => {
      client.destroy();
      link.upstream?.destroy();
      links.delete(link);
    };
    client.on('error', drop).on('close', drop);
    if (stalled) {
      hold(link);
      return;
    }
    const upstream = connect(target.port, target.host);
    link.upstream = upstream;
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stall() {
      stalled = true;
      for (const link of links) hold(link);
    },
    resume() {
      stalled = false;
      for (const link of [...links]) {
        if (!link.held) continue;
        link.client.destroy();
        link.upstream?.destroy();
        links.delete(link);
      }
    },
    async close() {
      for (const link of links) {
        link.client.destroy();
        link.upstream?.destroy();
      }
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Polls `probe` until it gives a value, for at most `ms`; a bounded wait, never a time asserted. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
