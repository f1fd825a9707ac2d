import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { librivoxClip, speak, startHarness, type Harness } from './harness.js';

// Real recordings: public-domain LibriVox clips read by a person (pocketsphinx-testdata), each
// with what is said in it; scored by the local recogniser against a model of the expected text.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ startWorker: false });
});
afterAll(() => h.close());

interface WordView {
  expected: string | null;
  heard: string | null;
  status: string;
  start: number | null;
  end: number | null;
}

function practise(bytes: Buffer, fields: Record<string, string>, filename = 'reading.wav') {
  let req = request(h.app).post('/api/v1/stt/practice').set(h.as(h.newUser()));
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.attach('audio', bytes, { filename, contentType: 'application/octet-stream' });
}

describe('POST /api/v1/stt/practice with the local recogniser', () => {
  it('scores a real reading of the right text high, every word timed in order', async () => {
    const clip = await librivoxClip('sense_and_sensibility_01_austen_64kb-0870');
    const res = await practise(clip.bytes, { text: clip.reference });
    expect(res.status).toBe(200);
    const result = res.body.data;
    console.log(`right text: score ${result.score}, ${JSON.stringify(result.counts)}`);
    expect(result).toMatchObject({ engine: 'pocketsphinx', language: 'en-US', media_format: 'wav', source: { type: 'text' } });
    expect(result.score).toBeGreaterThan(0.85);
    expect(result.duration_seconds).toBeGreaterThan(6);
    const words = result.words as WordView[];
    expect(words.filter((w) => w.expected !== null)).toHaveLength(clip.reference.split(' ').length);
    let previous = 0;
    for (const word of words.filter((w) => w.status === 'right')) {
      expect(word.heard).toBe(word.expected);
      expect(word.start!).toBeGreaterThanOrEqual(previous);
      expect(word.end!).toBeGreaterThan(word.start!);
      previous = word.end!;
    }
    expect(result.words_per_minute).toBeGreaterThan(100);
    expect(result.words_per_minute).toBeLessThan(250);
  });

  it('scores the same reading against another text low', async () => {
    const clip = await librivoxClip('sense_and_sensibility_01_austen_64kb-0870');
    const other = await librivoxClip('sense_and_sensibility_01_austen_64kb-0920');
    const right = (await practise(clip.bytes, { text: clip.reference })).body.data.score as number;
    const res = await practise(clip.bytes, { text: other.reference });
    expect(res.status).toBe(200);
    console.log(`wrong text: score ${res.body.data.score}, ${JSON.stringify(res.body.data.counts)}`);
    expect(res.body.data.score).toBeLessThan(0.4);
    expect(res.body.data.score).toBeLessThan(right / 2);
  });

  it('scores each of the five clips high against its own text and low against the others', async () => {
    const names = ['0870', '0880', '0890', '0920', '0930'].map((n) => `sense_and_sensibility_01_austen_64kb-${n}`);
    const clips = await Promise.all(names.map((n) => librivoxClip(n)));
    for (const [i, clip] of clips.entries()) {
      const own = (await practise(clip.bytes, { text: clip.reference })).body.data.score as number;
      const wrong = (await practise(clip.bytes, { text: clips[(i + 1) % clips.length]!.reference })).body.data.score as number;
      expect(own).toBeGreaterThan(0.8);
      expect(wrong).toBeLessThan(0.5);
    }
  }, 60_000);

  it('marks a word of the text that was not read as missed and one read as another word as misread', async () => {
    const clip = await librivoxClip('sense_and_sensibility_01_austen_64kb-0880');
    // What is read: "he was not an ill disposed young man".
    const res = await practise(clip.bytes, { text: 'He was not an ill-disposed, very old man.' });
    expect(res.status).toBe(200);
    const words = res.body.data.words as WordView[];
    expect(words.find((w) => w.expected === 'very')).toMatchObject({ status: 'missed', heard: null, start: null });
    const old = words.find((w) => w.expected === 'old')!;
    expect(old.status).toBe('misread');
    expect(old.start).toBeGreaterThan(1);
    // Punctuation and case stay as written.
    expect(words.find((w) => w.expected === 'He')).toMatchObject({ status: 'right', heard: 'he' });
    expect(words.filter((w) => w.status === 'right').map((w) => w.expected)).toEqual(['He', 'was', 'not', 'an', 'ill', 'disposed', 'man']);
  });

  it('accepts other audio containers, as uploads for transcription do', async () => {
    const text = 'The cell is the basic unit of life.';
    const res = await practise(await speak(text), { text });
    expect(res.status).toBe(200);
    expect(res.body.data.score).toBeGreaterThan(0.8);
  });

  it('keeps the recording only while it is scored', async () => {
    const stored: string[] = [];
    const local = await startHarness({ startWorker: false });
    const watched = await startHarness({
      startWorker: false,
      storage: { ...local.storage, put: async (key, body, options) => {
        stored.push(key);
        await local.storage.put(key, body, options);
      } },
    });
    try {
      const text = 'Plants need light.';
      const res = await request(watched.app).post('/api/v1/stt/practice').set(watched.as(watched.newUser()))
        .field('text', text).attach('audio', await speak(text), 'light.wav');
      expect(res.status).toBe(200);
      expect(stored).toEqual([expect.stringMatching(/^practice\/[0-9a-f-]{36}\.wav$/)]);
      expect(await local.storage.exists(stored[0]!)).toBe(false);
    } finally {
      await Promise.all([watched.close(), local.close()]);
    }
  });
});

describe('POST /api/v1/stt/practice with bad input', () => {
  it('answers 400 without a recording', async () => {
    const res = await request(h.app).post('/api/v1/stt/practice').set(h.as(h.newUser())).field('text', 'Hello there.');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', details: { audio: 'required' } });
  });

  it('answers 400 for an empty text, a text of only punctuation, no text, or text and a passage together', async () => {
    const audio = await speak('Hello.');
    for (const [fields, field] of [
      [{ text: '   ' }, 'text'],
      [{}, 'text'],
      [{ text: 'Hello.', document_id: '1', passage_id: '2' }, 'text'],
      [{ document_id: '1' }, 'passage_id'],
      [{ document_id: 'one', passage_id: '2' }, 'document_id'],
    ] as const) {
      const res = await practise(audio, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.details).toHaveProperty(field);
    }
    const punctuation = await practise(audio, { text: '... !!' });
    expect(punctuation.status).toBe(400);
    expect(punctuation.body.message).toMatch(/no words/);
  });

  it('answers 400 for a text over 3,000 characters', async () => {
    const res = await practise(await speak('Hello.'), { text: 'word '.repeat(700) });
    expect(res.status).toBe(400);
    expect(res.body.details.text).toMatch(/3000/);
  });

  it('answers 415 for a file that is not audio, and 400 for an empty one', async () => {
    const pdf = await practise(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), { text: 'Hello.' }, 'notes.wav');
    expect(pdf.status).toBe(415);
    expect(pdf.body.error).toBe('UnsupportedMediaType');
    const empty = await practise(Buffer.alloc(0), { text: 'Hello.' });
    expect(empty.status).toBe(400);
  });

  it('answers 400 for audio that says it is wav but does not decode', async () => {
    const header = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1');
    const res = await practise(Buffer.concat([header, Buffer.alloc(64, 0xff)]), { text: 'Hello.' });
    expect([400, 415]).toContain(res.status);
  });

  it('answers 400 for a language the local recogniser does not have', async () => {
    const res = await practise(await speak('Bonjour.'), { text: 'Bonjour.', language: 'fr-FR' });
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('language');
  });
});

describe('more recordings at once than practice scores and queues', () => {
  it('scores the ones it can take and tells the rest at once to come back later', async () => {
    const busy = await startHarness({ startWorker: false, practiceLimits: { concurrency: 1, queue: 1 } });
    try {
      const clip = await librivoxClip('sense_and_sensibility_01_austen_64kb-0870');
      const user = busy.newUser();
      const answers = await Promise.all(
        [1, 2, 3].map(() =>
          request(busy.app).post('/api/v1/stt/practice').set(busy.as(user)).field('text', clip.reference).attach('audio', clip.bytes, 'r.wav'),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 503]);
      const refused = answers.find((a) => a.status === 503)!;
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.body).toMatchObject({ error: 'ServiceUnavailable', details: { retry_after: 5 } });
    } finally {
      await busy.close();
    }
  });
});

describe("one user's burst of recordings to score", () => {
  it("is held to the running places and half the queue, and another user's recording is taken and scored before the rest of it", async () => {
    // One at a time and four waiting: the heavy user may hold three, the other two stay open.
    const fair = await startHarness({ startWorker: false, practiceLimits: { concurrency: 1, queue: 4 } });
    try {
      const text = 'Plants turn light into sugar in their leaves.';
      const recording = await speak(text);
      const heavy = fair.newUser();
      const light = fair.newUser();
      const scored: string[] = [];
      const practiseAs = (user: typeof heavy, name: string) =>
        request(fair.app)
          .post('/api/v1/stt/practice')
          .set(fair.as(user))
          .field('text', text)
          .attach('audio', recording, 'r.wav')
          .then((res) => {
            if (res.status === 200) scored.push(name);
            return res;
          });
      const burst = Array.from({ length: 6 }, (_, i) => practiseAs(heavy, `heavy-${i}`));
      // The refusals come back at once; by then the whole burst has been taken or refused.
      let answered = 0;
      await new Promise<void>((resolve) => {
        for (const r of burst) void r.finally(() => (++answered === 3 ? resolve() : undefined));
      });
      const lightAnswer = await practiseAs(light, 'light');
      const heavyAnswers = await Promise.all(burst);
      expect(heavyAnswers.map((a) => a.status).sort()).toEqual([200, 200, 200, 503, 503, 503]);
      expect(lightAnswer.status).toBe(200);
      // Not behind the whole burst: scored before the heavy user's last one (second when it came while the first ran).
      expect(scored.indexOf('light')).toBeLessThan(scored.length - 1);
    } finally {
      await fair.close();
    }
  });
});

