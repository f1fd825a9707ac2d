import type { Registry } from 'prom-client';
import type { DeliveryOutcome } from '../events/consumer.js';
import { createKafka } from '../events/kafka.js';

/** How many events of `topic` the service's consumers finished with `outcome`, as its /metrics counts them. */
export async function eventsConsumed(registry: Registry, topic: string, outcome: DeliveryOutcome): Promise<number> {
  const metric = registry.getSingleMetric('events_consumed_total');
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => v.labels.topic === topic && v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}

/**
 * Waits until the consumer group `groupId` has committed, on every partition of `topic`, the offset
 * the partition had reached when this was called: every message sent to the topic before the call
 * was then handled (or found handled already) by that group.
 */
export async function waitForConsumerGroup(options: {
  brokers: string[];
  groupId: string;
  topic: string;
  timeoutMs?: number;
}): Promise<void> {
  const admin = createKafka({ brokers: options.brokers, clientId: `${options.groupId}-watcher` }).admin();
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(options.topic)).map((p) => [p.partition, Number(p.high)]));
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId: options.groupId, topics: [options.topic] });
      const behind = [...ends].filter(([partition, end]) => {
        const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        return end > 0 && Number(at) < end;
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`consumer group ${options.groupId} is behind on ${options.topic} partitions ${behind.map(([p]) => p).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
