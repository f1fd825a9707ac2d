import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttp2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface StandInRequest<Body> {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Body;
}

export interface StandInReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Answers this much later, to let a caller's deadline pass. */
  delayMs?: number;
}

export type StandInAnswer<Body> = (request: StandInRequest<Body>) => StandInReply | Promise<StandInReply>;

export interface LlmStandIn<Body> {
  /** What the client is configured with: the API base (…/v1) or the Bedrock endpoint. */
  url: string;
  /** Every request received, in order, including those to a wrong route (answered 404). */
  requests: StandInRequest<Body>[];
  close(): Promise<void>;
}

/** The request body an OpenAI-compatible client sends to `/chat/completions`. */
export interface ChatCompletionsBody {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  response_format?: { type: string };
}

/** The request body of Bedrock's Converse call. */
export interface ConverseBody {
  system?: { text: string }[];
  messages: { role: string; content: { text?: string }[] }[];
  inferenceConfig?: { maxTokens?: number; temperature?: number };
}

interface Exchange {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}
interface Response {
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body: string): unknown;
}

/** Reads one JSON request, records it, and answers on the given route what `answer` says. */
function handler<Body>(route: RegExp, requests: StandInRequest<Body>[], answer: StandInAnswer<Body>) {
  return async (req: Exchange, res: Response): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Body;
    try {
      // A GET (e.g. a model listing) has no body; it is recorded and answered 404 like any other route.
      const text = Buffer.concat(chunks).toString('utf8');
      body = (text ? JSON.parse(text) : undefined) as Body;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"message":"the body is not JSON"}');
      return;
    }
    const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    requests.push(request);
    if (request.method !== 'POST' || !route.test(decodeURIComponent(request.path))) {
      res.writeHead(404);
      res.end('');
      return;
    }
    const reply = await answer(request);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    try {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    } catch {
      // The caller gave up during the delay and its stream is gone.
    }
  };
}

/**
 * A local stand-in for an OpenAI-compatible endpoint (no model can be reached from tests):
 * POST {url}/chat/completions is answered by `answer`; the client runs for real.
 */
export async function startChatCompletionsStandIn<Body = ChatCompletionsBody>(
  answer: StandInAnswer<Body>,
  /** The route answered under /v1: `chat/completions`, or `embeddings`. */
  route: 'chat/completions' | 'embeddings' = 'chat/completions',
): Promise<LlmStandIn<Body>> {
  const requests: StandInRequest<Body>[] = [];
  const path = new RegExp(`^/v1/${route}$`);
  const server = createServer((req, res) => void handler(path, requests, answer)(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A local stand-in for the Bedrock runtime's Converse call, over HTTP/2 as the AWS SDK speaks
 * it, so the SDK's signing, serialising and parsing run for real (the AWS emulator does not
 * implement Converse). An error answer names its type in `x-amzn-errortype`.
 */
export async function startBedrockStandIn<Body = ConverseBody>(
  answer: StandInAnswer<Body>,
  /** The runtime operation answered: `converse` (chat models) or `invoke` (e.g. embedding models). */
  operation: 'converse' | 'invoke' = 'converse',
): Promise<LlmStandIn<Body>> {
  const requests: StandInRequest<Body>[] = [];
  const sessions = new Set<ServerHttp2Session>();
  const route = new RegExp(`^/model/[^/]+/${operation}$`);
  const server = createHttp2Server((req, res) => void handler(route, requests, answer)(req, res));
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      // The SDK keeps its session open for reuse; the server only closes once none are left.
      for (const session of sessions) session.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
