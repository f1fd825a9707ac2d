import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@learner/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startPlatform, waitUntil, type Platform } from './platform-harness.js';

/**
 * A study pack from a real recording of a person reading expository prose: the opening of
 * "Printing" (Morris and Walker, 1893) as read for LJ Speech (public domain), 4 min, fetched by
 * scripts/infra/speech-testdata.sh. Through the gateway, on the platform as production runs it
 * (Kafka, Redis, a PostgreSQL database per service), with the local recogniser: the recording
 * becomes a transcript of what was read, a document, notes that quote what was said, and a quiz on
 * what was said though the reading defines no terms.
 */

const run = promisify(execFile);
const RECORDING = join(repoRoot(), '.infra', 'testdata', 'printing-lecture', 'recording.wav');

// Words of the reading (its reference text) that a learner would expect the transcript to hold.
const READ_WORDS = ['printing', 'chinese', 'wood', 'blocks', 'netherlands', 'invention', 'fifteenth', 'century', 'bible', 'letters', 'gothic', 'italy'];

// Content words of the reading: what it is about, as a learner who heard it would be asked.
const TOPICS = ['printing', 'letter', 'type', 'book', 'bible', 'century', 'centuries', 'block', 'middle ages', 'lower case', 'art', 'form', 'italy', 'rome', 'character', 'gothic', 'invention'];

// Words no question may turn on: function words, and numbers said as words.
const FILLER = new Set(
  `a an the and or but if of in on at to for from by with as is are was were be been it its this that these those
  they he she we i you not no so then there which who what when where very more most all some any such time way
  thing fact case kind part one two three four five six seven eight nine ten eleven twelve fifteen twenty forty fifty
  sixty hundred thousand first second third fifteenth`.split(/\s+/),
);

/**
 * A key or option that is not a content term: a word of the filler list or a short word in it,
 * unless it names one of the reading's topics ("lower case" ends in a filler word, and is one).
 */
const isFiller = (text: string): boolean =>
  !TOPICS.includes(text.toLowerCase()) && wordsOf(text).some((w) => FILLER.has(w) || w.length < 3);

/** The key or option as words of the transcript, in the number the transcript says it. */
const plural = (text: string): boolean => /[^s]s$/i.test(text);

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

  it('turns the recording into a transcript of what was read, a document, notes that quote it and a quiz on what was said', async () => {
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
    // two seconds at most once the wait is long (waitUntil's pauses), within the gateway's rate limit.
    const pack = await waitUntil(
      'the study pack of the recording',
      async () => {
        const res = await api('GET', `/api/v1/stt/status/${id}`, { token });
        expect(res.status).toBe(200);
        return res.body.data.study_pack.status === 'running' ? undefined : res.body.data.study_pack;
      },
      540_000,
    );
    // Every step, the quiz too: this prose defines no terms, so the quiz asks about what was said.
    expect(pack.steps.map((s: Step) => [s.name, s.status, s.error])).toEqual([
      ['transcribe', 'done', null],
      ['document', 'done', null],
      ['notes', 'done', null],
      ['quiz', 'done', null],
    ]);
    expect(pack).toMatchObject({ status: 'done', document_id: expect.any(Number), quiz_id: expect.any(Number) });

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

    // The quiz, as the learner opens and takes it: every question quotes what was said.
    const quiz = await api('GET', `/api/v1/quizzes/${pack.quiz_id}`, { token });
    expect(quiz.status).toBe(200);
    expect(quiz.body.data).toMatchObject({ document_id: pack.document_id, title: 'Quiz: The history of printing' });
    const questions = quiz.body.data.questions as Array<{ id: number; question_text: string; question_type: string; options: Array<{ id: string; text: string }> | null }>;
    expect(questions.length).toBeGreaterThanOrEqual(4);
    const answers = Object.fromEntries(questions.map((q) => [String(q.id), q.question_type === 'true_false' ? true : (q.options?.[0]?.id ?? 'printing')]));
    const taken = await api('POST', `/api/v1/quizzes/${pack.quiz_id}/submit`, { token, json: { answers } });
    expect(taken.status).toBe(201);
    const results = new Map(
      (taken.body.data.results as Array<{ question_id: number; correct_answer: string; source: { sentence: string } }>).map((r) => [r.question_id, r]),
    );
    const isWordSaid = (text: string): boolean => wordsOf(text).length > 0 && said.includes(` ${wordsOf(text).join(' ')} `);
    const keys: string[] = [];
    for (const q of questions) {
      const { correct_answer: key, source } = results.get(q.id)!;
      // The sentence it quotes was said.
      expect(said, q.question_text).toContain(` ${wordsOf(source.sentence).join(' ')} `);
      if (q.question_type === 'true_false') {
        const statement = q.question_text.replace(/^True or false:\s*/, '');
        // A false statement swaps one thing said for another thing said, never a "not" put in.
        expect(wordsOf(statement).filter((w) => w === 'not' || w === 'never')).toEqual(wordsOf(source.sentence).filter((w) => w === 'not' || w === 'never'));
        if (key === 'false') {
          const changed = wordsOf(statement).filter((w) => !wordsOf(source.sentence).includes(w) && w !== 'a' && w !== 'an');
          expect(changed.length, statement).toBeGreaterThan(0);
          expect(!isFiller(changed.join(' ')) && changed.every((w) => said.includes(` ${w} `)), statement).toBe(true);
        } else {
          expect(wordsOf(statement)).toEqual(wordsOf(source.sentence));
        }
        continue;
      }
      // A blank over a content word that was said; filled with the key, the stem is the sentence said.
      keys.push(key.toLowerCase());
      expect(isWordSaid(key), key).toBe(true);
      expect(isFiller(key), key).toBe(false);
      const quoted = /"(.*)"$/.exec(q.question_text)![1]!;
      expect(quoted).toContain('_____');
      // "a(n) _____" reads as the article the key takes.
      const filled = quoted.replace(/\b([Aa])\(n\)(?=\s+_____)/g, (_, a: string) => (/^[aeiou]/i.test(key) ? `${a}n` : a)).replaceAll('_____', key);
      expect(wordsOf(filled)).toEqual(wordsOf(source.sentence));
      if (q.question_type === 'multiple_choice') {
        // The other options are things said too, like the key: none filler, each in the key's number.
        const texts = q.options!.map((o) => o.text);
        expect(texts).toContain(key);
        expect(new Set(texts.map((t) => t.toLowerCase())).size).toBe(4);
        for (const option of texts) {
          expect(isWordSaid(option), option).toBe(true);
          expect(isFiller(option), option).toBe(false);
          expect(plural(option), `${option} beside ${key}`).toBe(plural(key));
        }
      }
    }
    // The blanks are over what the reading is about, not over words it says in passing.
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.filter((k) => TOPICS.some((t) => k === t || k === `${t}s` || k === t.replace(/y$/, 'ies'))).length).toBeGreaterThanOrEqual(Math.ceil(keys.length * 0.6));
  }, 660_000);
});
