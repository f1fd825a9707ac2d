import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka } from '../src/events/index.js';
import { requireInfra } from '../src/testing/index.js';

const brokers = requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(',');

describe('the Kafka client on Node 24', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(warning);
  };
  process.on('warning', onWarning);
  afterAll(() => {
    process.off('warning', onWarning);
  });

  // kafkajs schedules its pending-request check at "throttled until" minus now, which is negative when
  // nothing is throttled; Node 24 warns about every such timer (TimeoutNegativeWarning) into every
  // service's log. The patch in patches/ clamps it at zero.
  it('sends and disconnects without a negative-timeout warning', async () => {
    const kafka = createKafka({ brokers, clientId: 'timer-test' });
    const admin = kafka.admin();
    const producer = kafka.producer();
    const topic = `timers-${randomBytes(4).toString('hex')}`;
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
    // Warnings are emitted on the next tick.
    await new Promise((r) => setTimeout(r, 50));
    expect(warnings.map((w) => w.name)).not.toContain('TimeoutNegativeWarning');
  });

  // The same queue re-armed a 1 ms timer for ever once connected, so every idle service woke about a
  // thousand times a second; the patch arms it only while requests wait or a throttle runs.
  it('lets a connected, idle client sleep', async () => {
    const kafka = createKafka({ brokers, clientId: 'idle-test' });
    const producer = kafka.producer();
    const topic = `idle-${randomBytes(4).toString('hex')}`;
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }] });
    const realSetTimeout = globalThis.setTimeout;
    let armed = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      armed++;
      return realSetTimeout(...args);
    }) as typeof setTimeout;
    try {
      await new Promise((r) => realSetTimeout(r, 500));
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    await producer.disconnect();
    // Half a second idle: a handful of timers at most (it was about 500).
    expect(armed).toBeLessThan(25);
  });
});
