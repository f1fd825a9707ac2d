import type { InternalTokens } from '../auth/internal.js';
import type { EventBus, OutgoingMessage } from './envelope.js';
import type { InProcessBus } from './in-process-bus.js';

/** Where a process without Kafka takes the events of the others (POST, JSON `{messages}`). */
export const EVENT_INBOX_PATH = '/internal/v1/events';

/**
 * The bus of embedded mode when the services run as separate processes without Kafka: an event is
 * delivered to this process's in-process bus and POSTed to every peer's inbox, which delivers it
 * to theirs. It resolves only when every peer took it (their handlers ran), so the outbox relay
 * marks an event sent only then and sends it again after a failure; the consumers' processed
 * events make that once in effect.
 */
export function createPeerBus(options: {
  local: InProcessBus;
  /** Base URLs of the other processes. */
  peers: string[];
  internalTokens: InternalTokens;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): EventBus {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const send = async (peer: string, messages: OutgoingMessage[]): Promise<void> => {
    const res = await doFetch(new URL(EVENT_INBOX_PATH, peer), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...options.internalTokens.headersFor({ id: 'event-bus', email: 'event-bus@internal' }),
      },
      body: JSON.stringify({ messages }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`${peer} did not take the events (${res.status})`);
  };
  return {
    async publish(messages) {
      if (messages.length === 0) return;
      await options.local.publish(messages);
      const results = await Promise.allSettled(options.peers.map((peer) => send(peer, messages)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    check: () => options.local.check(),
    close: () => options.local.close(),
  };
}
