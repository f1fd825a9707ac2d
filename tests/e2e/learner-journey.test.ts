import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '@learner/common/events';
import { infraEnv } from '@learner/common/testing';
import type { Consumer } from 'kafkajs';
import { apiClient, startPlatform, waitUntil, type Platform } from './platform-harness.js';

const LESSON = [
  'Photosynthesis',
  '',
  'Photosynthesis is the process by which green plants turn light energy into chemical energy. ' +
    'It takes place in the chloroplasts of leaf cells, which contain the green pigment chlorophyll. ' +
    'During photosynthesis, carbon dioxide and water are converted into glucose and oxygen.',
  '',
  'The light-dependent reactions happen in the thylakoid membranes and produce ATP and NADPH. ' +
    'The Calvin cycle happens in the stroma and uses ATP and NADPH to fix carbon dioxide into sugar. ' +
    'Rubisco is the enzyme that captures carbon dioxide in the Calvin cycle.',
  '',
  'Cellular respiration is the reverse process: cells break glucose down to release energy as ATP. ' +
    'Respiration takes place in the mitochondria of both plant and animal cells. ' +
    'Oxygen is consumed and carbon dioxide is released during aerobic respiration.',
  '',
  'Transpiration is the loss of water vapour through the stomata of the leaves. ' +
    'Stomata are small pores whose guard cells open and close to balance gas exchange and water loss. ' +
    'Xylem vessels carry water from the roots to the leaves, while phloem carries sugars around the plant.',
].join('\n');

let platform: Platform;
let api: ReturnType<typeof apiClient>;
let consumer: Consumer | undefined;
const events: { topic: string; event: { event_type: string; user_id: string; payload: Record<string, unknown> } }[] = [];

beforeAll(async () => {
  platform = await startPlatform();
  api = apiClient(platform.gatewayUrl);
  const brokers = infraEnv().KAFKA_BOOTSTRAP_SERVERS?.split(',') ?? [];
  consumer = createKafka({ brokers, clientId: 'e2e' }).consumer({ groupId: `e2e-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topics: ['document.uploaded', 'document.processed', 'chat.message.sent', 'quiz.generated', 'quiz.submitted'] });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      events.push({ topic, event: JSON.parse(message.value?.toString() ?? '{}') });
    },
  });
}, 240_000);

afterAll(async () => {
  await consumer?.disconnect();
  await platform?.stop();
}, 60_000);

async function register(name: string): Promise<{ token: string; userId: string; email: string; password: string }> {
  const email = `${name}-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  const res = await api('POST', '/api/v1/auth/register', { json: { email, password, name } });
  expect(res.status).toBe(201);
  return { token: res.body.data.token, userId: res.body.data.user.id, email, password };
}

describe('a learner going through the gateway', () => {
  let ada: Awaited<ReturnType<typeof register>>;
  let documentId: number;

  it('registers, logs in and is known by the token', async () => {
    ada = await register('ada');
    const login = await api('POST', '/api/v1/auth/login', { json: { email: ada.email, password: ada.password } });
    expect(login.status).toBe(200);
    expect(login.body.data.user.email).toBe(ada.email);
    expect(login.headers.get('x-ratelimit-limit')).toBe('100');
    const me = await api('GET', '/api/v1/auth/me', { token: login.body.data.token });
    expect(me.status).toBe(200);
    expect(me.body.data.user.id).toBe(ada.userId);
  });

  it('is refused without a token, with the error body', async () => {
    const res = await api('GET', '/api/v1/documents');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: expect.any(String), message: expect.any(String), request_id: expect.any(String) });
  });

  it('uploads course material that is processed into searchable text and notes', async () => {
    const form = new FormData();
    form.append('file', new Blob([LESSON], { type: 'text/plain' }), 'photosynthesis.txt');
    form.append('title', 'Plant biology');
    const upload = await api('POST', '/api/v1/documents/upload', { token: ada.token, form });
    expect(upload.status).toBe(201);
    documentId = upload.body.data.id;
    const done = await waitUntil('the document to be processed', async () => {
      const res = await api('GET', `/api/v1/documents/${documentId}`, { token: ada.token });
      return ['completed', 'failed'].includes(res.body.data?.status) ? res.body.data : undefined;
    });
    expect(done.status).toBe('completed');

    const search = await api('GET', `/api/v1/documents/search?q=${encodeURIComponent('Where does the Calvin cycle happen?')}`, {
      token: ada.token,
    });
    expect(search.status).toBe(200);
    expect(search.body.data[0].document_id).toBe(documentId);
    expect(JSON.stringify(search.body.data[0])).toMatch(/stroma/);

    const notes = await api('GET', `/api/v1/documents/${documentId}/notes`, { token: ada.token });
    expect(notes.status).toBe(200);
    expect(JSON.stringify(notes.body.data)).toMatch(/[Pp]hotosynthesis/);
  });

  it('downloads the exact bytes it uploaded through the signed link', async () => {
    const link = await api('GET', `/api/v1/documents/${documentId}/download`, { token: ada.token });
    expect(link.status).toBe(200);
    const url = new URL(link.body.data.url);
    const res = await fetch(`${platform.gatewayUrl}${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(LESSON);
  });

  let sessionId: number;
  let quizId: number;

  it('asks the tutor and gets an answer cited from its own document', async () => {
    const session = await api('POST', '/api/v1/chat/sessions', { token: ada.token, json: { title: 'Revision' } });
    expect(session.status).toBe(201);
    sessionId = session.body.data.id;
    const asked = await api('POST', `/api/v1/chat/sessions/${session.body.data.id}/messages`, {
      token: ada.token,
      json: { message: 'Which enzyme captures carbon dioxide in the Calvin cycle?' },
    });
    expect(asked.status).toBe(201);
    expect(asked.body.data.ai_response.content).toMatch(/Rubisco/);
    expect(asked.body.data.ai_response.citations[0]).toMatchObject({ document_id: documentId, page: 1 });
  });

  it('generates a quiz from the document, takes it and sees the grading', async () => {
    const quiz = await api('POST', '/api/v1/quizzes/generate', {
      token: ada.token,
      json: { document_id: documentId, num_questions: 4, difficulty: 'easy', question_types: ['multiple_choice', 'true_false'] },
    });
    expect(quiz.status).toBe(201);
    quizId = quiz.body.data.id;
    const questions = quiz.body.data.questions as { id: number; question_type: string; options?: { id: string }[] }[];
    expect(questions.length).toBeGreaterThan(0);
    expect(JSON.stringify(quiz.body.data)).not.toMatch(/correct_answer/);
    const answers = Object.fromEntries(
      questions.map((q) => [String(q.id), q.question_type === 'true_false' ? true : (q.options?.[0]?.id ?? 'a')]),
    );
    const submitted = await api('POST', `/api/v1/quizzes/${quiz.body.data.id}/submit`, { token: ada.token, json: { answers } });
    expect(submitted.status).toBe(201);
    expect(submitted.body.data.results).toHaveLength(questions.length);
    expect(submitted.body.data.total_points).toBeGreaterThan(0);
  });

  let speech: Buffer;

  it('has its text read aloud, as audio reachable through the gateway', async () => {
    const voices = await api('GET', '/api/v1/tts/voices?language=en-US', { token: ada.token });
    expect(voices.status).toBe(200);
    const voice = voices.body.data.voices.find((v: { engine: string }) => v.engine === 'flite') ?? voices.body.data.voices[0];
    const res = await api('POST', '/api/v1/tts/synthesize', {
      token: ada.token,
      json: { text: 'Photosynthesis happens in the leaves of green plants.', voice_id: voice.id, format: 'mp3' },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.duration_seconds).toBeGreaterThan(0.5);
    const url = new URL(res.body.data.audio_url);
    const audio = await fetch(`${platform.gatewayUrl}${url.pathname}${url.search}`);
    expect(audio.status).toBe(200);
    const bytes = Buffer.from(await audio.arrayBuffer());
    // An MP3 starts with an ID3 tag or a frame sync.
    expect(bytes.subarray(0, 3).toString() === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)).toBe(true);
    speech = bytes;
  });

  it('has a recording transcribed in the background and saved as a document', async () => {
    const form = new FormData();
    form.append('audio', new Blob([new Uint8Array(speech)], { type: 'application/octet-stream' }), 'lecture.mp3');
    const started = await api('POST', '/api/v1/stt/transcribe', { token: ada.token, form });
    expect(started.status).toBe(202);
    const taskId = started.body.data.task_id;
    const done = await waitUntil('the transcription', async () => {
      const res = await api('GET', `/api/v1/stt/status/${taskId}`, { token: ada.token });
      return ['completed', 'failed'].includes(res.body.data?.status) ? res.body.data : undefined;
    });
    expect(done.status).toBe('completed');
    expect(done.transcript.toLowerCase()).toMatch(/leaves|green|plants/);
    const saved = await api('POST', `/api/v1/stt/transcriptions/${taskId}/document`, {
      token: ada.token,
      json: { title: 'Lecture 1' },
    });
    expect(saved.status).toBe(201);
    const doc = await waitUntil('the transcript document', async () => {
      const res = await api('GET', `/api/v1/documents/${saved.body.data.id}`, { token: ada.token });
      return res.body.data?.status === 'completed' ? res.body.data : undefined;
    });
    expect(doc.title).toBe('Lecture 1');
  });

  it('keeps another learner out of its document, and its events reach Kafka', async () => {
    const bob = await register('bob');
    for (const path of [`/api/v1/documents/${documentId}`, `/api/v1/documents/${documentId}/text`]) {
      expect((await api('GET', path, { token: bob.token })).status).toBe(404);
    }
    const search = await api('GET', '/api/v1/documents/search?q=photosynthesis', { token: bob.token });
    expect(search.body.data).toEqual([]);

    await waitUntil('the events on Kafka', async () => {
      const mine = events.filter((e) => e.event.user_id === ada.userId).map((e) => e.topic);
      const wanted = ['document.uploaded', 'document.processed', 'chat.message.sent', 'quiz.generated', 'quiz.submitted'];
      return wanted.every((t) => mine.includes(t)) ? true : undefined;
    }, 30_000);
  });

  it('deletes the document, after which its quiz and the tutor’s citation of it say it was deleted', async () => {
    expect((await api('DELETE', `/api/v1/documents/${documentId}`, { token: ada.token })).status).toBe(200);
    const quiz = await waitUntil('the quiz to hear of the delete', async () => {
      const res = await api('GET', `/api/v1/quizzes/${quizId}`, { token: ada.token });
      return res.body.data?.document_deleted ? res : undefined;
    }, 30_000);
    expect(quiz.status).toBe(200);
    expect((await api('GET', `/api/v1/quizzes/${quizId}/results`, { token: ada.token })).body.data).toMatchObject({ attempts: 1, document_deleted: true });
    const again = await api('POST', '/api/v1/quizzes/generate', { token: ada.token, json: { document_id: documentId } });
    expect(again.status).toBe(410);
    const citation = await waitUntil('the chat to hear of the delete', async () => {
      const res = await api('GET', `/api/v1/chat/sessions/${sessionId}/messages`, { token: ada.token });
      const cited = (res.body.data as { citations: { document_id: number; document_deleted: boolean }[] }[]).flatMap((m) => m.citations);
      return cited.find((c) => c.document_id === documentId && c.document_deleted);
    }, 30_000);
    expect(citation).toMatchObject({ title: expect.any(String) });
  });

  it('logs out, after which the token is refused', async () => {
    const out = await api('POST', '/api/v1/auth/logout', { token: ada.token });
    expect(out.status).toBe(200);
    expect((await api('GET', '/api/v1/documents', { token: ada.token })).status).toBe(401);
  });
});
