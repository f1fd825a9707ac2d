import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '0.0.0.0', () => server.close(() => done(true)));
  });
}

/**
 * The lowest port the kernel hands out to a listener on port 0 or an outgoing connection. A port
 * chosen below it cannot be taken by any of those between the check and the listen: every test
 * server, client socket and embedded database of the parallel test files lives in that range.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 12_000) return low;
  } catch {
    // Not Linux: the range most systems use (IANA's 49152–65535 starts above it too).
  }
  return 32_768;
}

/**
 * The first of `count` consecutive free ports, for starting a whole platform (gateway + services at
 * PORT_BASE + i) in a test without meeting one already running on 5000–5005. They lie below the
 * ephemeral range, so no socket bound to port 0 elsewhere takes one before the platform listens.
 */
export async function freePortRange(count: number): Promise<number> {
  const low = 10_000;
  const high = ephemeralLow() - count;
  for (;;) {
    const base = low + Math.floor(Math.random() * (high - low));
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}
