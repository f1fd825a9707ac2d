import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createProbeRouter } from '../src/health/index.js';
import { createBaseApp, finishApp } from '../src/http/index.js';
import { silentLogger } from '../src/logger/index.js';
import { createKafkaPublisher } from '../src/events/index.js';
import { requireInfra } from '../src/testing/index.js';

function appWith(checks: Record<string, () => Promise<unknown>>) {
  const app = createBaseApp({ logger: silentLogger() });
  app.use(createProbeRouter({ service: 'demo', checks, timeoutMs: 300 }));
  return finishApp(app);
}

describe('health and readiness probes', () => {
  it('reports ready with each dependency up against a real Kafka', async () => {
    const kafka = createKafkaPublisher({ brokers: requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(','), clientId: 'probe' });
    const res = await request(appWith({ kafka: () => kafka.check() })).get('/ready');
    await kafka.close();
    expect(res.status).toBe(200);
    expect(res.body.checks.kafka.status).toBe('up');
  });

  it('answers 503 naming what is down, within the timeout, while health stays 200', async () => {
    const dead = createKafkaPublisher({ brokers: ['127.0.0.1:1'], clientId: 'probe', connectionTimeoutMs: 200 });
    const app = appWith({
      kafka: () => dead.check(),
      slow: () => new Promise((resolve) => setTimeout(resolve, 5_000)),
      database: async () => undefined,
    });
    const res = await request(app).get('/ready');
    await dead.close();
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('ServiceUnavailable');
    expect(res.body.details.down.sort()).toEqual(['kafka', 'slow']);
    expect(res.body.details.checks.database.status).toBe('up');
    expect((await request(app).get('/health')).body.status).toBe('healthy');
  });

  it('stays 200 but says degraded, naming it, when only an optional dependency is down', async () => {
    const app = createBaseApp({ logger: silentLogger() });
    app.use(
      createProbeRouter({
        service: 'demo',
        checks: { database: async () => undefined },
        optional: { embeddings: () => Promise.reject(new Error('connection refused')) },
        details: () => ({ vectors: 'in-service' }),
        timeoutMs: 300,
      }),
    );
    const res = await request(finishApp(app)).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', degraded: ['embeddings'], vectors: 'in-service' });
    expect(res.body.checks.embeddings).toMatchObject({ status: 'down', error: 'connection refused' });
    expect(res.body.checks.database.status).toBe('up');
  });
});
