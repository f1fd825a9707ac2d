import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repoRoot } from '@learner/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startPlatform, waitUntil, type Platform } from './platform-harness.js';

/**
 * A study pack from a real recording of a person reading expository prose: the opening of
 * "Printing" (Morris and Walker, 1893) as read for LJ Speech (public domain), 4 min, fetched by
 * scripts/infra/speech-testdata.sh. Through the gateway, on the platform as production runs it
 * (Kafka, Redis, a PostgreSQL database per service), with the local recogniser: the recording
 * becomes a transcript of what was read, a document, and notes that quote what was said.
 */

const run = promisify(execFile);
const RECORDING = join(repoRoot(), '.infra', 'testdata', 'printing-lecture', 'recording.wav');

// Words of the reading (its reference text) that a learner would expect the transcript to hold.
const READ_WORDS = ['printing', 'chinese', 'wood', 'blocks', 'netherlands', 'invention', 'fifteenth', 'century', 'bible', 'letters', 'gothic', 'italy'];

interface Step {
  name: string;
  status: string;
  error: string | null;
}

/** The lower-case words of a text, without punctuation. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

describe('a study pack from a real recording of expository speech, through the gateway', () => {
  let platform: Platform;
  let api: ReturnType<typeof apiClient>;
  let token: string;

  beforeAll(async () => {
    platform = await startPlatform();
    api = apiClient(platform.gatewayUrl);
    const email = `reader-${randomBytes(4).toString('hex')}@example.com`;
    const res = await api('POST', '/api/v1/auth/register', { json: { email, password: 'correct horse battery', name: 'Robin' } });
    expect(res.status).toBe(201);
    token = res.body.data.token;
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('turns the recording into a transcript of what was read, a document and notes that quote it', async () => {
    // Sent as FLAC, as a learner would send a long recording: lossless, and within the upload limit.
    const dir = await mkdtemp(join(tmpdir(), 'printing-'));
    const flac = join(dir, 'printing lecture.flac');
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', RECORDING, '-c:a', 'flac', flac]);
    const audio = await readFile(flac);
    await rm(dir, { recursive: true, force: true });
    const form = new FormData();
    form.append('study_pack', 'true');
    form.append('title', 'The history of printing');
    form.append('audio', new Blob([new Uint8Array(audio)], { type: 'audio/flac' }), 'printing lecture.flac');
    const started = await api('POST', '/api/v1/stt/transcribe', { token, form });
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;
    expect(started.body.data.study_pack.steps.map((s: Step) => s.name)).toEqual(['transcribe', 'document', 'notes', 'quiz']);

    // Recognising 3.7 minutes of speech takes minutes on a busy machine; the learner looks every
    // few seconds (within the gateway's rate limit).
    const pack = await waitUntil(
      'the study pack of the recording',
      async () => {
        await sleep(3_000);
        const res = await api('GET', `/api/v1/stt/status/${id}`, { token });
        expect(res.status).toBe(200);
        return res.body.data.study_pack.status === 'running' ? undefined : res.body.data.study_pack;
      },
      540_000,
    );
    // The steps up to the notes. The quiz step is left out: this prose defines no terms, and whether
    // it yields questions is the question writer's to decide (tests/e2e/study-pack.test.ts covers
    // the quiz step of a recording).
    expect(pack.steps.slice(0, 3).map((s: Step) => [s.name, s.status, s.error])).toEqual([
      ['transcribe', 'done', null],
      ['document', 'done', null],
      ['notes', 'done', null],
    ]);
    expect(pack.document_id).toEqual(expect.any(Number));

    // The transcript is of the reading: most of its telling words were recognised.
    const transcription = await api('GET', `/api/v1/stt/transcriptions/${id}`, { token });
    expect(transcription.status).toBe(200);
    expect(transcription.body.data.status).toBe('completed');
    const transcript = transcription.body.data.transcript as string;
    const heard = new Set(wordsOf(transcript));
    expect(heard.size).toBeGreaterThan(150);
    expect(READ_WORDS.filter((w) => heard.has(w)).length).toBeGreaterThanOrEqual(READ_WORDS.length - 3);
    // The pauses between the read phrases become the transcript's sentences.
    const segments = transcription.body.data.segments as Array<{ text: string }>;
    expect(segments.length).toBeGreaterThan(20);

    // The document is the transcript, and its notes quote what was said.
    const doc = await api('GET', `/api/v1/documents/${pack.document_id}`, { token });
    expect(doc.status).toBe(200);
    expect(doc.body.data).toMatchObject({ title: 'The history of printing', source: 'stt', status: 'completed' });
    const notes = await api('GET', `/api/v1/documents/${pack.document_id}/notes`, { token });
    expect(notes.status).toBe(200);
    const kinds = notes.body.data as Array<{ kind: string; items: Array<{ text: string }> }>;
    expect(kinds.map((n) => n.kind)).toEqual(expect.arrayContaining(['summary', 'key_points']));
    const said = ` ${wordsOf(transcript).join(' ')} `;
    const items = kinds.flatMap((n) => n.items);
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const item of items) expect(said, item.text).toContain(` ${wordsOf(item.text).join(' ')} `);
    expect(items.some((item) => /print/i.test(item.text))).toBe(true);
  }, 660_000);
});
