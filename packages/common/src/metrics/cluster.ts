import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

/*
 * Under node:cluster each process the primary forked keeps its own registry, and a scrape of
 * /metrics reaches whichever process the connection landed on. That process asks the primary
 * instead; the primary asks every process that is serving (has emitted 'listening') for its
 * registry as JSON, and merges them with prom-client's AggregatorRegistry.aggregate (counters and
 * histograms summed). A process that is starting, stopping or stuck is left out after a short wait
 * rather than failing the scrape.
 */
const CLUSTER_REQUEST = 'learner:metrics:cluster-request';
const CLUSTER_RESPONSE = 'learner:metrics:cluster-response';
const REGISTRY_REQUEST = 'learner:metrics:registry-request';
const REGISTRY_RESPONSE = 'learner:metrics:registry-response';

interface Message {
  type?: string;
  id?: string;
  metrics?: unknown;
  text?: string;
  error?: string;
}

type RegistryJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** In the primary: answer its processes' requests for the whole cluster's metrics. */
export function serveClusterMetrics(options: { childTimeoutMs?: number } = {}): void {
  const childTimeoutMs = options.childTimeoutMs ?? 2_000;
  const serving = new Set<Worker>();
  const pending = new Map<string, { child: Worker; done: (metrics?: RegistryJson) => void }>();

  cluster.on('listening', (child) => serving.add(child));
  cluster.on('exit', (child) => {
    serving.delete(child);
    for (const [id, ask] of pending) {
      if (ask.child !== child) continue;
      pending.delete(id);
      ask.done(undefined);
    }
  });

  const askRegistry = (child: Worker): Promise<RegistryJson | undefined> =>
    new Promise((resolve) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(undefined);
      }, childTimeoutMs);
      pending.set(id, {
        child,
        done: (metrics) => {
          clearTimeout(timer);
          resolve(metrics);
        },
      });
      child.send({ type: REGISTRY_REQUEST, id });
    });

  const gather = async (): Promise<string> => {
    const answers = await Promise.all([...serving].filter((c) => c.isConnected()).map(askRegistry));
    const merged = AggregatorRegistry.aggregate(answers.filter((a): a is RegistryJson => a !== undefined));
    return merged.metrics();
  };

  cluster.on('message', (child: Worker, message: Message) => {
    if (typeof message?.id !== 'string') return;
    if (message.type === REGISTRY_RESPONSE) {
      const ask = pending.get(message.id);
      pending.delete(message.id);
      ask?.done(Array.isArray(message.metrics) ? (message.metrics as RegistryJson) : undefined);
    } else if (message.type === CLUSTER_REQUEST) {
      const id = message.id;
      const reply = (answer: Message): void => {
        if (child.isConnected()) child.send({ type: CLUSTER_RESPONSE, id, ...answer });
      };
      gather().then(
        (text) => reply({ text }),
        (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
      );
    }
  });
}

/**
 * In a forked process: hand this registry to the primary when it gathers, and return a function that asks
 * the primary for the whole cluster's metrics text.
 */
export function clusterMetricsClient(registry: Registry, timeoutMs = 5_000): () => Promise<string> {
  const waiting = new Map<string, (answer: Message) => void>();
  process.on('message', (message: Message) => {
    if (typeof message?.id !== 'string') return;
    if (message.type === REGISTRY_REQUEST) {
      const id = message.id;
      registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ type: REGISTRY_RESPONSE, id, metrics }),
        () => process.send?.({ type: REGISTRY_RESPONSE, id }),
      );
    } else if (message.type === CLUSTER_RESPONSE) {
      waiting.get(message.id)?.(message);
    }
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary did not answer with the cluster metrics in time'));
      }, timeoutMs);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (typeof answer.text === 'string') resolve(answer.text);
        else reject(new Error(`cluster metrics unavailable: ${answer.error ?? 'no answer'}`));
      });
      process.send?.({ type: CLUSTER_REQUEST, id });
    });
}
