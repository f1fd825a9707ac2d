// Benchmark: an authenticated, rate-limited, proxied GET through the gateway, against the same GET
// straight to the service and through nginx as a reverse proxy. Prints a table; asserts nothing.
// The load comes from wrk (Debian's package, installed when missing), a process of its own written
// in C: a load generator inside this Node process holds nginx near 32k req/s where wrk reaches
// 40–49k, which inflates the gateway's ratios.
// Needs `pnpm build` and the local servers (scripts/infra/up.sh). BENCH_DURATION=seconds per run.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, requireInfra } from '@learner/common/testing';

const here = import.meta.dirname;
const gatewayMain = fileURLToPath(new URL('../../services/gateway/dist/main.js', import.meta.url));
const duration = Number(process.env.BENCH_DURATION ?? 10);
// Each row is measured this many times and the median run printed: figures on a shared 2-core
// machine swing by a third from one run to the next.
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const children = [];
const secrets = { JWT_SECRET: randomBytes(24).toString('hex'), INTERNAL_TOKEN_SECRET: randomBytes(24).toString('hex') };
let nginxDir;
let db;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU seconds used so far by a process and its descendants (nginx's workers, the gateway's processes). On a
 * shared machine this says more about a proxy's cost than its throughput does.
 */
function cpuSeconds(rootPid) {
  const stats = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ');
      stats.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  let ticks = 0;
  const pending = [rootPid];
  while (pending.length) {
    const pid = pending.pop();
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === pid) pending.push(child);
  }
  return ticks / clockTicks;
}

function start(command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

async function waitFor(url, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await sleep(100);
  }
}

/** A program from Debian's packages: found on PATH (or in /usr/sbin), else installed with apt-get as root. */
function debianBinary(name, debianPackage) {
  const find = () =>
    spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  const found = find();
  if (found) return found;
  if (process.getuid?.() !== 0) return undefined;
  console.log(`installing ${debianPackage} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['install', '-y', '-qq', debianPackage], { stdio: 'ignore', env }).status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    spawnSync('apt-get', ['install', '-y', '-qq', debianPackage], { stdio: 'ignore', env });
  }
  return find() || undefined;
}

const nginxBinary = () => debianBinary('nginx', 'nginx-light');
const wrk = debianBinary('wrk', 'wrk');
if (!wrk) throw new Error('wrk is needed for the load (apt-get install wrk, as root)');

/** wrk's durations ("853.00us", "1.23ms", "2.00s") in milliseconds. */
function milliseconds(text) {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!match) throw new Error(`not a wrk duration: ${text}`);
  return Number(match[1]) * { us: 1e-3, ms: 1, s: 1e3, m: 60e3 }[match[2]];
}

/** One wrk run: two threads (one a core) holding `connections` keep-alive connections for `seconds`. */
function runWrk(url, connections, seconds, headers) {
  const args = ['-t', '2', '-c', String(connections), '-d', `${seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const run = spawnSync(wrk, [...args, url], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr || run.stdout}`);
  const out = run.stdout;
  const number = (pattern) => Number(pattern.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    total: number(/(\d+) requests in/),
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: milliseconds(/^\s+50%\s+(\S+)$/m.exec(out)?.[1] ?? '0ms'),
    p99: milliseconds(/^\s+99%\s+(\S+)$/m.exec(out)?.[1] ?? '0ms'),
    bad: number(/Non-2xx or 3xx responses: (\d+)/) + (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0),
  };
}

async function startNginx(upstreamPort) {
  const binary = nginxBinary();
  if (!binary) return undefined;
  const port = await freePort();
  nginxDir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const conf = join(nginxDir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes auto;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${nginxDir}/body;
  proxy_temp_path ${nginxDir}/proxy;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  scgi_temp_path ${nginxDir}/scgi;
  # nginx closes a keep-alive connection after 1,000 requests by default, which costs the load
  # generator a reconnect; the other targets keep their connections for the whole run.
  keepalive_requests 1000000;
  upstream service { server 127.0.0.1:${upstreamPort}; keepalive 128; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const child = start(binary, ['-c', conf, '-p', nginxDir]);
  await waitFor(`http://127.0.0.1:${port}/health`);
  return { port, pid: child.pid };
}

// The node flags the gateway's image runs it with (the gateway stage of the root Dockerfile); its processes (PROCESSES=2) inherit them.
const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=32'];

async function startGateway({ script, port, upstreamPort, processes }) {
  const child = start(process.execPath, [...GATEWAY_NODE_FLAGS, script], {
    PORT: String(port),
    PROCESSES: String(processes),
    LOG_LEVEL: 'warn',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '4',
    ...secrets,
    REDIS_URL: requireInfra('REDIS_URL'),
    REDIS_KEY_PREFIX: `bench:${randomUUID()}:`,
    // The Lua limiter runs on every request; a one-second window keeps each user's set small, and
    // the huge limit keeps every request allowed, so the figures measure the work, not 429s.
    RATE_LIMIT_REQUESTS: '1000000000',
    RATE_LIMIT_WINDOW: '1',
    QUIZ_SERVICE_URL: `http://127.0.0.1:${upstreamPort}`,
  });
  await waitFor(`http://127.0.0.1:${port}/health`);
  return child;
}

/** Stops a target once its rows are measured, so it takes no CPU from the next one. */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
}

async function register(gatewayUrl) {
  const res = await fetch(`${gatewayUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `bench-${randomUUID()}@example.com`, password: 'benchmark password' }),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  return (await res.json()).data.token;
}

/** One command to the Redis server the gateway uses, answered as text (RESP bulk string). */
function askRedis(command) {
  const url = new URL(requireInfra('REDIS_URL'));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      answer += chunk;
      // An error answer (a Redis that wants a password, say): nothing to read.
      if (answer.startsWith('-') && answer.includes('\r\n')) {
        socket.end();
        resolve('');
        return;
      }
      const length = Number(/^\$(\d+)\r\n/.exec(answer)?.[1] ?? -1);
      if (length >= 0 && Buffer.byteLength(answer) >= length + String(length).length + 5) {
        socket.end();
        resolve(answer);
      }
    });
    socket.on('error', reject);
    socket.write(`${command}\r\n`);
  });
}

/** Commands Redis has run so far (INFO commandstats), all kinds together. */
async function redisCommands() {
  const stats = await askRedis('INFO commandstats');
  return [...stats.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

// Redis's CPU is read from /proc when it runs on this machine; elsewhere that column stays empty.
const redisPid = Number(/^process_id:(\d+)/m.exec(await askRedis('INFO server'))?.[1] ?? 0);

async function measureOnce(url, connections, headers, pid) {
  const cpuBefore = cpuSeconds(pid);
  const redisCpuBefore = redisPid ? cpuSeconds(redisPid) : 0;
  const commandsBefore = await redisCommands();
  const result = runWrk(url, connections, duration, headers);
  const cpu = cpuSeconds(pid) - cpuBefore;
  const redisCpu = redisPid ? cpuSeconds(redisPid) - redisCpuBefore : 0;
  // The second INFO's figures count the first INFO.
  const commands = (await redisCommands()) - commandsBefore - 1;
  const perRequest = (value) => (result.total ? value / result.total : 0);
  return {
    ...result,
    cpuPerRequest: perRequest(cpu * 1e6),
    redisCpuPerRequest: redisPid ? perRequest(redisCpu * 1e6) : undefined,
    redisCommandsPerRequest: perRequest(commands),
  };
}

async function measure(name, url, connections, headers, pid) {
  // A warm-up so the JIT and the keep-alive pools are settled before the measured runs; with less,
  // the gateway's first figures are a third worse than its steady state.
  runWrk(url, connections, 3, headers);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measureOnce(url, connections, headers, pid));
  const byP99 = results.map((r) => r.p99).sort((a, b) => a - b);
  const median = [...results].sort((a, b) => a.p99 - b.p99)[Math.floor(results.length / 2)];
  return { ...median, name, connections, p99Range: `${byP99[0]}–${byP99.at(-1)}`, bad: results.reduce((n, r) => n + r.bad, 0) };
}

function printTable(rows) {
  const direct = rows.find((r) => r.name === 'direct to the service' && r.connections === 64);
  const nginx = rows.find((r) => r.name.startsWith('nginx') && r.connections === 64);
  const header = ['target', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'p99 range', 'non-2xx/err', 'CPU µs/req', 'Redis µs/req', 'Redis cmd/req', 'vs direct', 'vs nginx'];
  const lines = rows.map((r) => [
    r.name,
    String(r.connections),
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.p99Range,
    String(r.bad),
    r.cpuPerRequest.toFixed(0),
    r.redisCpuPerRequest === undefined ? '' : r.redisCpuPerRequest.toFixed(1),
    r.redisCommandsPerRequest.toFixed(2),
    direct && r.connections === 64 ? `${((r.rps / direct.rps) * 100).toFixed(1)}%` : '',
    nginx && r.connections === 64 ? `${((r.rps / nginx.rps) * 100).toFixed(1)}%` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(
    `\nGET /api/v1/quizzes/quiz-bench, ${runs} runs of ${duration} s per row (the run with the median p99 shown), ${availableParallelism()} CPUs, load from wrk (2 threads), Node ${process.versions.node}`,
  );
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(row(line));
  console.log('CPU µs/req: CPU time of the server answering (the service itself for "direct", the proxy otherwise) per request.');
  console.log('Redis µs/req, cmd/req: CPU time of the Redis server and the commands it ran (a script\'s own commands included), per request; the gateway checks the requests of one event-loop turn in one script call. Redis shares the same cores; other programs\' commands to it count too.');
  console.log('"express + http-proxy-middleware alone": the gateway\'s stack with none of its own work (bench/gateway/floor.mjs).');
  console.log('No per-request access log on any target (gateway LOG_LEVEL=warn, nginx access_log off); the gateway\'s request line at the default level (info) adds ~7 µs/req.');
  console.log(`Load average during the runs: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log('\nTargets (wrk, 64 connections): gateway >= 23% of nginx req/s in one process, >= 30% with two processes; p99 <= 10 ms at 16 connections.');
}

async function main() {
  db = await createTestDatabase({ database: 'gateway', fromDir: here });
  const upstreamPort = await freePort();
  const upstream = start(process.execPath, [join(here, 'upstream.mjs')], { PORT: String(upstreamPort) });
  await waitFor(`http://127.0.0.1:${upstreamPort}/health`);
  const path = '/api/v1/quizzes/quiz-bench';
  const rows = [];

  rows.push(await measure('direct to the service', `http://127.0.0.1:${upstreamPort}${path}`, 64, {}, upstream.pid));
  const nginx = await startNginx(upstreamPort);
  if (nginx) rows.push(await measure('nginx (worker_processes auto)', `http://127.0.0.1:${nginx.port}${path}`, 64, {}, nginx.pid));
  else console.log('nginx is not installed and cannot be installed here; skipping that comparison');

  const floorPort = await freePort();
  const floor = start(process.execPath, [join(here, 'floor.mjs')], {
    PORT: String(floorPort),
    UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}`,
  });
  await waitFor(`http://127.0.0.1:${floorPort}/health`);
  rows.push(await measure('express + http-proxy-middleware alone', `http://127.0.0.1:${floorPort}${path}`, 16, {}, floor.pid));
  await stop(floor);

  const single = await freePort();
  const singleGateway = await startGateway({ script: gatewayMain, port: single, upstreamPort, processes: 1 });
  const singlePid = singleGateway.pid;
  const token = await register(`http://127.0.0.1:${single}`);
  const auth = { Authorization: `Bearer ${token}` };
  rows.push(await measure('gateway, 1 process', `http://127.0.0.1:${single}${path}`, 64, auth, singlePid));
  rows.push(await measure('gateway, 1 process', `http://127.0.0.1:${single}${path}`, 16, auth, singlePid));
  // Stopped once measured, so the cluster row has the cores to itself. (An idle gateway used to take
  // 0.43-0.49 s of CPU in 10 s: kafkajs re-armed a 1 ms timer while idle, until
  // patches/kafkajs@2.2.4.patch.) The token stays valid: both gateways share the database and secrets.
  await stop(singleGateway);

  const clustered = await freePort();
  const clusterPid = (await startGateway({ script: gatewayMain, port: clustered, upstreamPort, processes: 2 })).pid;
  rows.push(await measure('gateway, 2 processes (cluster)', `http://127.0.0.1:${clustered}${path}`, 64, auth, clusterPid));
  printTable(rows);
}

async function cleanUp() {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return Promise.race([exited, sleep(5_000)]);
      }),
  );
  if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
  await db?.drop();
}

try {
  await main();
} finally {
  await cleanUp();
}
