import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDocumentService, type RunningDocumentService } from '@learner/document/testing';
import {
  createInProcessBus,
  createInProcessEventConsumer,
  createKafkaEventConsumer,
  createKafkaPublisher,
  createOutboxRelay,
  type EventBus,
  type EventConsumer,
  type OutboxRelay,
} from '@learner/common/events';
import { findExecutable, runCommand } from '@learner/common/process';
import { requireInfra, testSecret, waitForConsumerGroup } from '@learner/common/testing';
import { speak, startHarness, type Harness } from './harness.js';

/**
 * The study pack of a recording on the real servers: the stt service transcribes it with
 * pocketsphinx, records transcription.completed, and its own consumer (a Kafka consumer group, and
 * the in-process bus of embedded mode) turns the transcript into a document of the real document
 * service, whose processing makes the notes and whose own consumer queues the quiz. No quiz service
 * listens here, so the quiz step fails and says why; the status of the transcription shows it all.
 */
vi.setConfig({ testTimeout: 150_000, hookTimeout: 90_000 });

const brokers = requireInfra('KAFKA_BOOTSTRAP_SERVERS').split(',');
const sttGroup = `stt-service-test-${randomBytes(4).toString('hex')}`;
const secret = testSecret();

let documents: RunningDocumentService;
let h: Harness;
let embedded: Harness;
let consumer: EventConsumer;
let inProcess: EventConsumer;
let bus: EventBus;
let relay: OutboxRelay;
let embeddedRelay: OutboxRelay;
let lecture: Buffer;

beforeAll(async () => {
  documents = await startDocumentService({
    secret,
    kafkaBrokers: brokers,
    // Port 9 (discard) refuses connections: the quiz service is down.
    studyPacks: { quizUrl: 'http://127.0.0.1:9', ttsUrl: 'http://127.0.0.1:9', retryDelayMs: 50, maxAttempts: 1 },
  });
  const local = createInProcessBus();
  [h, embedded, lecture] = await Promise.all([
    // As main.ts wires it: the service's consumer group reads the outbox's events back from Kafka.
    startHarness({
      secret,
      documentServiceUrl: documents.url,
      events: (db) => createKafkaEventConsumer({ name: sttGroup, pool: db.pool, kafka: { brokers, clientId: sttGroup } }),
    }),
    // Embedded mode: the same handler on the process's own bus.
    startHarness({
      secret,
      documentServiceUrl: documents.url,
      events: (db) => createInProcessEventConsumer({ name: 'stt-service', pool: db.pool, bus: local }),
    }),
    speak('Photosynthesis is the process by which green plants turn light energy into chemical energy. The leaves hold chlorophyll.'),
  ]);
  consumer = h.events!;
  inProcess = embedded.events!;
  bus = createKafkaPublisher({ brokers, clientId: 'stt-service' });
  relay = createOutboxRelay({ pool: h.db.pool, bus, pollMs: 100 });
  embeddedRelay = createOutboxRelay({ pool: embedded.db.pool, bus: local, pollMs: 100 });
  await Promise.all([consumer.start(), inProcess.start()]);
  relay.start();
  embeddedRelay.start();
});

afterAll(async () => {
  await Promise.all([relay?.stop(), embeddedRelay?.stop()]);
  await Promise.all([consumer?.stop(), inProcess?.stop(), bus?.close()]);
  await Promise.all([h?.close(), embedded?.close()]);
  await documents?.stop();
});

interface PackView {
  status: string;
  title: string;
  steps: Array<{ name: string; status: string; error: string | null }>;
  document_id: number | null;
  quiz_id: number | null;
}

async function packWhenSettled(harness: Harness, user: ReturnType<Harness['newUser']>, id: string): Promise<PackView> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await request(harness.app).get(`/api/v1/stt/status/${id}`).set(harness.as(user));
    expect(res.status).toBe(200);
    const pack = res.body.data.study_pack as PackView;
    if (pack.status !== 'running') return pack;
    if (Date.now() > deadline) throw new Error(`study pack of ${id} still running: ${JSON.stringify(pack)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('POST /api/v1/stt/transcribe with study_pack=true', () => {
  it('transcribes, makes a document of the transcript and its notes, and says the quiz failed because the quiz service is down', async () => {
    const user = h.newUser();
    const res = await h.upload(user, lecture, 'lecture 1.wav', { study_pack: 'true', title: 'Biology, lecture 1' });
    expect(res.status).toBe(202);
    expect(res.body.data.study_pack).toMatchObject({
      status: 'running',
      title: 'Biology, lecture 1',
      document_id: null,
      quiz_id: null,
      steps: [
        { name: 'transcribe', status: 'pending' },
        { name: 'document', status: 'pending' },
        { name: 'notes', status: 'pending' },
        { name: 'quiz', status: 'pending' },
      ],
    });

    const pack = await packWhenSettled(h, user, res.body.data.id as string);
    expect(pack.steps.map((s) => [s.name, s.status])).toEqual([
      ['transcribe', 'done'],
      ['document', 'done'],
      ['notes', 'done'],
      ['quiz', 'failed'],
    ]);
    expect(pack.steps[3]!.error).toMatch(/quiz service/);
    expect(pack.status).toBe('failed');
    expect(pack.quiz_id).toBeNull();

    const doc = await request(documents.app).get(`/api/v1/documents/${pack.document_id}`).set(h.tokens.headersFor(user));
    expect(doc.status).toBe(200);
    expect(doc.body.data).toMatchObject({ title: 'Biology, lecture 1', source: 'stt', filename: 'lecture 1 (transcript).txt', status: 'completed' });
    const text = await request(documents.app).get(`/api/v1/documents/${pack.document_id}/text`).set(h.tokens.headersFor(user));
    expect(text.body.data.pages[0].text.toLowerCase()).toMatch(/energy/);
  });

  it('makes one document however often transcription.completed is delivered', async () => {
    const user = h.newUser();
    const res = await h.upload(user, lecture, 'lecture 2.wav', { study_pack: 'true', title: 'Biology, lecture 2' });
    const id = res.body.data.id as string;
    const pack = await packWhenSettled(h, user, id);
    expect(pack.steps[1]).toMatchObject({ name: 'document', status: 'done' });

    const { rows } = await h.db.pool.query<{ event_id: string }>(
      "SELECT event_id FROM outbox WHERE topic = 'transcription.completed' AND payload->'payload'->>'job_id' = $1",
      [id],
    );
    expect(rows).toHaveLength(1);
    const sendAgain = async () => {
      await h.db.pool.query('UPDATE outbox SET published_at = NULL WHERE event_id = $1', [rows[0]!.event_id]);
      await relay.flush();
      await waitForConsumerGroup({ brokers, groupId: sttGroup, topic: 'transcription.completed', timeoutMs: 60_000 });
    };
    // Sent again, as a relay does that sent it and stopped before marking it sent: found handled.
    await sendAgain();
    // Handled again from the start, as after a consumer that asked for the document and died
    // before its transaction committed: the document service answers the document it made.
    await h.db.pool.query('UPDATE transcriptions SET document_id = NULL WHERE id = $1', [id]);
    await h.db.pool.query('DELETE FROM processed_events WHERE event_id = $1', [rows[0]!.event_id]);
    await sendAgain();

    const again = await packWhenSettled(h, user, id);
    expect(again.document_id).toBe(pack.document_id);
    const list = await request(documents.app).get('/api/v1/documents').set(h.tokens.headersFor(user));
    expect(list.body.data.map((d: { id: number }) => d.id)).toEqual([pack.document_id]);
  });

  it('works in embedded mode, where the event goes through the in-process bus', async () => {
    const user = embedded.newUser();
    const res = await embedded.upload(user, lecture, 'lecture 3.wav', { study_pack: '1', title: 'Biology, lecture 3' });
    expect(res.status).toBe(202);
    const pack = await packWhenSettled(embedded, user, res.body.data.id as string);
    expect(pack.steps.slice(0, 3).map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(pack.document_id).toEqual(expect.any(Number));
  });

  it('says the document step failed, and why, when no speech was recognized', async () => {
    const user = h.newUser();
    const res = await h.upload(user, await silentWav(2), 'silence.wav', { study_pack: 'true', title: 'Nothing said' });
    expect(res.status).toBe(202);
    const pack = await packWhenSettled(h, user, res.body.data.id as string);
    expect(pack.status).toBe('failed');
    const failed = pack.steps.find((s) => s.status === 'failed');
    expect(failed?.name).toMatch(/^(transcribe|document)$/);
    expect(failed?.error).toMatch(/speech|transcri/i);
    expect(pack.steps.slice(pack.steps.indexOf(failed!) + 1).every((s) => s.status === 'skipped')).toBe(true);
    expect(pack.document_id).toBeNull();
  });

  it('answers 400 in the error format when study_pack is not a boolean or the title is missing, and queues nothing', async () => {
    const user = h.newUser();
    const notBoolean = await h.upload(user, lecture, 'a.wav', { study_pack: 'maybe', title: 'A' });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body).toMatchObject({ error: 'ValidationError', details: { study_pack: expect.any(String) } });
    const noTitle = await h.upload(user, lecture, 'a.wav', { study_pack: 'true' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body).toMatchObject({ error: 'ValidationError', details: { title: expect.stringMatching(/required with study_pack/) } });
    const blankTitle = await h.upload(user, lecture, 'a.wav', { study_pack: 'true', title: '   ' });
    expect(blankTitle.status).toBe(400);
    const list = await request(h.app).get('/api/v1/stt/transcriptions').set(h.as(user));
    expect(list.body.data).toEqual([]);
  });

  it('shows no study pack on a transcription asked for without one', async () => {
    const user = h.newUser();
    const res = await h.upload(user, lecture, 'plain.wav');
    expect(res.status).toBe(202);
    expect(res.body.data.study_pack).toBeNull();
  });
});

/** `seconds` of 16 kHz mono silence as a WAV file, made by ffmpeg. */
async function silentWav(seconds: number): Promise<Buffer> {
  const ffmpeg = await findExecutable('ffmpeg');
  if (!ffmpeg) throw new Error('ffmpeg must be installed: run scripts/infra/engines.sh');
  const args = ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(seconds), '-f', 'wav', 'pipe:1'];
  return (await runCommand(ffmpeg, args)).stdout;
}
