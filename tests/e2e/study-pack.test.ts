import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startPlatform, waitUntil, type Platform } from './platform-harness.js';

/**
 * Study packs through the gateway, on the platform as production runs it (every service with its
 * PostgreSQL, Kafka, Redis): a recording becomes a transcript, a document, notes and a quiz; an
 * upload becomes notes, a quiz and an audio summary; a step that cannot be done says why.
 */

// A public-domain LibriVox reading shipped by Debian's pocketsphinx-testdata: a real recording.
const LIBRIVOX_CLIP = '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav';

const LECTURE = [
  'Photosynthesis is the process by which green plants turn light energy into chemical energy.',
  'Chlorophyll is the green pigment that absorbs light in the leaves.',
  'Respiration is the process by which cells break down sugar to release energy.',
  'Transpiration is the loss of water through the small pores of the leaves.',
  'The stomata are the small pores that let gases in and out of the leaf.',
];

const NOTES = [
  'The water cycle',
  '',
  'Evaporation is the process by which water changes from a liquid into a gas. The sun heats oceans, lakes and rivers, ' +
    'and water vapour rises into the atmosphere.',
  '',
  'Condensation is the process by which water vapour cools and turns back into liquid droplets. Clouds are made of these ' +
    'droplets, gathered around particles of dust.',
  '',
  'Precipitation is water that falls from clouds as rain, snow, sleet or hail. It returns water to the surface of the Earth.',
  '',
  'Infiltration is the movement of water into the soil. Groundwater is the water stored in the soil and in rocks below the surface.',
].join('\n');

// A pack's steps run in the background, each waited for up to 180 s: more than the suite's 30 s a test
// on a busy machine (a recording's pack takes 23 s in a fresh-clone CI run).
const PACK_TEST_MS = 240_000;

interface Step {
  name: string;
  status: string;
  error: string | null;
}

function recordingForm(bytes: Buffer, filename: string, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('audio', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), filename);
  return form;
}

// With Kafka, as production runs; and without it, where each service's own in-process bus carries
// its events (the study pack's steps between services are HTTP calls, so it works there too).
describe.each([
  ['with Kafka', {}],
  ['without Kafka', { KAFKA_BOOTSTRAP_SERVERS: '' }],
])('a study pack through the gateway, %s', (_mode, env: Record<string, string>) => {
  let platform: Platform;
  let api: ReturnType<typeof apiClient>;
  let token: string;

  beforeAll(async () => {
    // One learner polls every step of four packs a few times a second; the per-user limit (100 a
    // minute) would answer 429 to the polling on a machine slow enough to keep the packs running.
    platform = await startPlatform({ env: { RATE_LIMIT_REQUESTS: '100000', ...env } });
    api = apiClient(platform.gatewayUrl);
    const email = `pack-${randomBytes(4).toString('hex')}@example.com`;
    const res = await api('POST', '/api/v1/auth/register', { json: { email, password: 'correct horse battery', name: 'Pat' } });
    expect(res.status).toBe(201);
    token = res.body.data.token;
    // The services use Kafka exactly when it is configured (their /ready checks it then).
    const ready = (await (await fetch(`${platform.services.document}/ready`)).json()) as { checks: Record<string, unknown> };
    expect('kafka' in ready.checks).toBe(env.KAFKA_BOOTSTRAP_SERVERS !== '');
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  /** Polls the transcription until its study pack has stopped running. */
  async function settledTranscriptionPack(id: string) {
    return waitUntil(
      'the study pack of the recording',
      async () => {
        const res = await api('GET', `/api/v1/stt/status/${id}`, { token });
        expect(res.status).toBe(200);
        return res.body.data.study_pack.status === 'running' ? undefined : res.body.data.study_pack;
      },
      180_000,
    );
  }

  it('turns a lecture recording into a document, notes and a quiz the learner can open', async () => {
    // The lecture, read aloud by the platform's own default voice, is the recording; a lecturer's
    // pause after each sentence lets the recogniser hear where one ends (it gives no punctuation).
    const ssml = `<speak>${LECTURE.join('<break time="800ms"/>')}</speak>`;
    const spoken = await api('POST', '/api/v1/tts/synthesize', { token, json: { ssml, format: 'mp3' } });
    expect(spoken.status).toBe(201);
    const link = new URL(spoken.body.data.audio_url);
    const audio = Buffer.from(await (await fetch(`${platform.gatewayUrl}${link.pathname}${link.search}`)).arrayBuffer());

    const started = await api('POST', '/api/v1/stt/transcribe', {
      token,
      form: recordingForm(audio, 'biology lecture.mp3', { study_pack: 'true', title: 'Biology: plants and energy' }),
    });
    expect(started.status).toBe(202);
    expect(started.body.data.study_pack.steps.map((s: Step) => s.name)).toEqual(['transcribe', 'document', 'notes', 'quiz']);

    const pack = await settledTranscriptionPack(started.body.data.id);
    expect(pack.steps.map((s: Step) => [s.name, s.status])).toEqual([
      ['transcribe', 'done'],
      ['document', 'done'],
      ['notes', 'done'],
      ['quiz', 'done'],
    ]);
    expect(pack).toMatchObject({ status: 'done', document_id: expect.any(Number), quiz_id: expect.any(Number) });

    const quiz = await api('GET', `/api/v1/quizzes/${pack.quiz_id}`, { token });
    expect(quiz.status).toBe(200);
    expect(quiz.body.data).toMatchObject({ document_id: pack.document_id, title: 'Quiz: Biology: plants and energy' });
    expect(quiz.body.data.questions.length).toBeGreaterThan(0);
    const doc = await api('GET', `/api/v1/documents/${pack.document_id}`, { token });
    expect(doc.body.data).toMatchObject({ title: 'Biology: plants and energy', source: 'stt', status: 'completed' });
    const notes = await api('GET', `/api/v1/documents/${pack.document_id}/notes`, { token });
    expect(notes.status).toBe(200);
  }, PACK_TEST_MS);

  it('says which step failed and why when a real recording holds nothing to quiz on', async () => {
    const started = await api('POST', '/api/v1/stt/transcribe', {
      token,
      form: recordingForm(await readFile(LIBRIVOX_CLIP), 'sense and sensibility.wav', { study_pack: 'true', title: 'A novel, read' }),
    });
    expect(started.status).toBe(202);
    const pack = await settledTranscriptionPack(started.body.data.id);
    expect(pack.steps.map((s: Step) => [s.name, s.status])).toEqual([
      ['transcribe', 'done'],
      ['document', 'done'],
      ['notes', 'done'],
      ['quiz', 'failed'],
    ]);
    expect(pack.status).toBe('failed');
    expect(pack.steps[3].error).toMatch(/enough distinct statements/);
    expect(pack.document_id).toEqual(expect.any(Number));
    expect(pack.quiz_id).toBeNull();
  }, PACK_TEST_MS);

  it('turns an uploaded document into notes, a quiz and an audio summary of the notes', async () => {
    const form = new FormData();
    form.append('title', 'The water cycle');
    form.append('study_pack', 'true');
    form.append('file', new Blob([NOTES], { type: 'text/plain' }), 'water-cycle.txt');
    const uploaded = await api('POST', '/api/v1/documents', { token, form });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.data.study_pack.steps.map((s: Step) => s.name)).toEqual(['notes', 'quiz', 'audio']);

    const pack = await waitUntil(
      'the study pack of the upload',
      async () => {
        const res = await api('GET', `/api/v1/documents/${uploaded.body.data.id}`, { token });
        return res.body.data.study_pack.status === 'running' ? undefined : res.body.data.study_pack;
      },
      180_000,
    );
    expect(pack.steps.map((s: Step) => [s.name, s.status])).toEqual([
      ['notes', 'done'],
      ['quiz', 'done'],
      ['audio', 'done'],
    ]);
    expect(pack.status).toBe('done');

    const quiz = await api('GET', `/api/v1/quizzes/${pack.quiz_id}`, { token });
    expect(quiz.status).toBe(200);
    expect(quiz.body.data.document_id).toBe(uploaded.body.data.id);
    const audio = await api('GET', `/api/v1/tts/audio/${pack.audio_id}`, { token });
    expect(audio.status).toBe(200);
    expect(audio.body.data.duration_seconds).toBeGreaterThan(1);
    expect(audio.body.data.text.toLowerCase()).toMatch(/water/);
  }, PACK_TEST_MS);

  it('answers 400 in the error format to a study_pack that is not a boolean, or without the title a recording needs', async () => {
    const clip = await readFile(LIBRIVOX_CLIP);
    const notBoolean = await api('POST', '/api/v1/stt/transcribe', { token, form: recordingForm(clip, 'a.wav', { study_pack: 'yes', title: 'A' }) });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body).toMatchObject({ error: 'ValidationError', message: expect.any(String), details: { study_pack: expect.any(String) } });
    const noTitle = await api('POST', '/api/v1/stt/transcribe', { token, form: recordingForm(clip, 'a.wav', { study_pack: 'true' }) });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.details).toHaveProperty('title');
    const form = new FormData();
    form.append('study_pack', 'sometimes');
    form.append('file', new Blob([NOTES], { type: 'text/plain' }), 'notes.txt');
    const badUpload = await api('POST', '/api/v1/documents', { token, form });
    expect(badUpload.status).toBe(400);
    expect(badUpload.body.details).toHaveProperty('study_pack');
  });
});
