import { once } from 'node:events';
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** The status line and headers, as sent. */
  head: string;
  body: string;
}

/**
 * Writes `request` to the server at `url` byte for byte (for requests no HTTP client would send:
 * a malformed head, a body shorter than its Content-Length) and reads until the server closes.
 * The socket is not ended from this side, as a stalled client would not end it either.
 */
export async function rawHttpExchange(url: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(request);
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  return { status: Number(text.slice(9, 12)), head: text.slice(0, split), body: text.slice(split + 4) };
}
