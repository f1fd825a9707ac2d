// Creates the platform's Kafka topics that are missing, with their partition counts: brokers that
// do not create a topic on first use (Amazon MSK's default) need it before events flow. Run from
// packages/common in a service image (its node_modules hold kafkajs):
//   node --input-type=module -e <this>
import { Kafka, logLevel } from 'kafkajs';
import { TOPIC_PARTITIONS } from './dist/events/index.js';

const brokers = (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
if (brokers.length === 0) {
  process.stderr.write('KAFKA_BOOTSTRAP_SERVERS is not set\n');
  process.exit(1);
}
// -1: the broker's default.replication.factor.
const replicationFactor = Number(process.env.KAFKA_REPLICATION_FACTOR || -1);
const admin = new Kafka({ clientId: 'learner-topics', brokers, logLevel: logLevel.WARN }).admin();
await admin.connect();
try {
  const existing = new Set(await admin.listTopics());
  const missing = Object.entries(TOPIC_PARTITIONS).filter(([topic]) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor })),
    });
  }
  process.stdout.write(`${JSON.stringify({ created: missing.map(([topic]) => topic), present: Object.keys(TOPIC_PARTITIONS).length - missing.length })}\n`);
} finally {
  await admin.disconnect();
}
