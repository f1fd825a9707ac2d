import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, runCommand } from '@learner/common/process';
import { requireInfra } from '@learner/common/testing';
import { startHarness, type Harness } from './harness.js';

// The neural voice through the real hibari server that scripts/infra/up.sh started.
const HIBARI_URL = requireInfra('HIBARI_URL');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { HIBARI_URL } });
});
afterAll(() => h.close());

const PARAGRAPH =
  'Photosynthesis is the process by which green plants turn light energy into chemical energy. ' +
  'It takes place in the chloroplasts, where the pigment chlorophyll absorbs red and blue light.';

async function tool(name: string): Promise<string> {
  const path = await findExecutable(name);
  if (!path) throw new Error(`${name} must be installed: run scripts/infra/engines.sh`);
  return path;
}

/** What the local recogniser hears in 16 kHz pcm: the words a listener would write down. */
async function recognise(pcm: Buffer): Promise<string[]> {
  const model = '/usr/share/pocketsphinx/model/en-us';
  const dir = await mkdtemp(join(tmpdir(), 'tts-recognise-'));
  try {
    await writeFile(join(dir, 'speech.raw'), pcm);
    const { stdout } = await runCommand(await tool('pocketsphinx_continuous'), [
      '-infile', join(dir, 'speech.raw'), '-samprate', '16000', '-hmm', `${model}/en-us`, '-lm', `${model}/en-us.lm.bin`,
      '-dict', `${model}/cmudict-en-us.dict`, '-logfn', '/dev/null',
    ]);
    return stdout.toString('utf8').toLowerCase().split(/\s+/).filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const words = (text: string): string[] => text.toLowerCase().replace(/[^a-z\s]/g, ' ').split(/\s+/).filter(Boolean);

/** Longest run of near-silent 16 kHz samples, in seconds. */
function longestSilence(pcm: Buffer): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) {
    run = Math.abs(pcm.readInt16LE(i)) < 200 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest / 16_000;
}

/** Loudness of 16 kHz samples in dB below full scale: the RMS of the 50 ms frames that are not silent. */
function loudnessDb(pcm: Buffer): number {
  const frame = 800;
  let sum = 0;
  let count = 0;
  for (let at = 0; at + frame * 2 <= pcm.length; at += frame * 2) {
    let energy = 0;
    for (let i = 0; i < frame; i += 1) energy += (pcm.readInt16LE(at + i * 2) / 32768) ** 2;
    if (energy / frame < 1e-5) continue;
    sum += energy;
    count += frame;
  }
  return 10 * Math.log10(sum / count);
}

async function synthesize(body: Record<string, unknown>) {
  return request(h.app).post('/api/v1/tts/synthesize').set(h.as(h.newUser())).send(body);
}

describe('the neural voice (hibari) as the default English voice', () => {
  it('is listed first, available, and named as the default', async () => {
    const res = await request(h.app).get('/api/v1/tts/voices?language=en-US').set(h.as(h.newUser()));
    expect(res.status).toBe(200);
    expect(res.body.data.default_voice_id).toBe('hibari-heart');
    expect(res.body.data.voices[0]).toEqual({
      id: 'hibari-heart',
      name: 'Heart (hibari, neural)',
      language: 'en-US',
      gender: 'female',
      engine: 'hibari',
      available: true,
    });
    expect(res.body.data.voices.map((v: { id: string }) => v.id)).toEqual(expect.arrayContaining(['flite-slt', 'espeak-en-US']));
  });

  it('reads a paragraph when no voice is named, in words the recogniser hears back', async () => {
    const res = await synthesize({ text: PARAGRAPH, format: 'pcm' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ voice_id: 'hibari-heart', engine: 'hibari', format: 'pcm' });
    expect(res.body.data.duration_seconds).toBeGreaterThan(8);
    expect(res.body.data.duration_seconds).toBeLessThan(20);
    const heard = new Set(await recognise((await h.download(res.body.data.audio_url)).body));
    const expected = words(PARAGRAPH);
    const found = expected.filter((w) => heard.has(w)).length / expected.length;
    expect(found).toBeGreaterThan(0.8);
    expect(heard).toContain('photosynthesis');
  });

  it('stores an mp3 that decodes to the length it reports', async () => {
    const res = await synthesize({ text: 'Chlorophyll absorbs red and blue light.', voice_id: 'hibari-heart', format: 'mp3' });
    expect(res.status).toBe(201);
    const file = await h.download(res.body.data.audio_url);
    expect(file.contentType).toBe('audio/mpeg');
    const { stdout } = await runCommand(await tool('ffmpeg'), ['-v', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', 's16le', 'pipe:1'], {
      input: file.body,
    });
    expect(stdout.length / 2 / 8000).toBeCloseTo(res.body.data.duration_seconds, 0);
  });

  it('plays about as loud as the flite voice that stands in for it, without clipping', async () => {
    const pcmOf = async (voice: string) => {
      const res = await synthesize({ text: PARAGRAPH, voice_id: voice, format: 'pcm' });
      expect(res.status).toBe(201);
      return (await h.download(res.body.data.audio_url)).body;
    };
    const neural = await pcmOf('hibari-heart');
    const flite = await pcmOf('flite-slt');
    // As the voice server speaks it, the reading is about 10 dB quieter than flite's.
    expect(loudnessDb(neural)).toBeGreaterThan(loudnessDb(flite) - 5);
    let peak = 0;
    for (let i = 0; i + 1 < neural.length; i += 2) peak = Math.max(peak, Math.abs(neural.readInt16LE(i)));
    expect(peak).toBeLessThan(32_000);
  });

  it('speaks faster and slower with speed', async () => {
    const durations: Record<number, number> = {};
    for (const speed of [0.5, 1, 2]) {
      const res = await synthesize({ text: PARAGRAPH, voice_id: 'hibari-heart', format: 'pcm', speed });
      expect(res.status).toBe(201);
      durations[speed] = res.body.data.duration_seconds;
    }
    expect(durations[2]!).toBeLessThan(durations[1]! * 0.7);
    expect(durations[0.5]!).toBeGreaterThan(durations[1]! * 1.4);
  });

  it('pauses where the SSML asks for a break, and counts only the spoken characters', async () => {
    const res = await synthesize({
      ssml: '<speak><p>Plants need light.</p><break time="2s"/><p>They also need <sub alias="carbon dioxide">CO2</sub>.</p></speak>',
      format: 'pcm',
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ voice_id: 'hibari-heart', text_type: 'ssml' });
    const pcm = (await h.download(res.body.data.audio_url)).body;
    expect(longestSilence(pcm)).toBeGreaterThan(1.9);
    const heard = await recognise(pcm);
    expect(heard).toEqual(expect.arrayContaining(['carbon', 'dioxide']));
  });

  it('reads an abbreviation as its word, without the pause of a sentence end after it', async () => {
    const duration = async (text: string) => {
      const res = await synthesize({ text, voice_id: 'hibari-heart', format: 'pcm' });
      expect(res.status).toBe(201);
      return res.body.data.duration_seconds as number;
    };
    // Read as written, "Fig." ended a sentence: the reading was 0.7 s longer, with a falling pitch on "figure".
    expect(await duration('As Fig. 3 shows, green plants turn light into energy.')).toBeCloseTo(
      await duration('As figure 3 shows, green plants turn light into energy.'),
      1,
    );
    expect(await duration('Turn to p. 4 of the book.')).toBeCloseTo(await duration('Turn to page 4 of the book.'), 1);
  });

  it('reads a text of 3,000 characters', async () => {
    const text = `${PARAGRAPH} `.repeat(20).slice(0, 3000);
    const res = await synthesize({ text, format: 'mp3' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ voice_id: 'hibari-heart', characters: 3000 });
    expect(res.body.data.duration_seconds).toBeGreaterThan(150);
  }, 60_000);
});

describe('the synthesis queue with the neural voice', () => {
  it('runs and queues up to its bounds and turns the rest away with 503', async () => {
    const busy = await startHarness({ env: { HIBARI_URL }, limits: { concurrency: 1, queue: 1 } });
    try {
      const user = busy.newUser();
      const text = `${PARAGRAPH} `.repeat(8);
      const answers = await Promise.all(
        [1, 2, 3].map(() => request(busy.app).post('/api/v1/tts/synthesize').set(busy.as(user)).send({ text, format: 'pcm' })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 503]);
      expect(answers.find((a) => a.status === 503)!.headers['retry-after']).toBe('5');
    } finally {
      await busy.close();
    }
  }, 60_000);
});

describe('/ready with the neural voice up', () => {
  it('is ready and names the neural voice check as up', async () => {
    const res = await request(h.app).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { neural_voice: { status: 'up' } } });
  });
});
