import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '@learner/common/cache';
import { createAudioService } from '../src/audio/audio-service.js';
import { createAudioEncoder } from '../src/engines/audio-encoder.js';
import { createLocalSpeechEngine } from '../src/engines/local-speech-engine.js';
import type { SpeechEngine, Voice } from '../src/engines/speech-engine.js';
import { installedLocalEngine, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function voices(query = ''): Promise<{ status: number; voices: Voice[]; body: Record<string, unknown> }> {
  const res = await request(h.app).get(`/api/v1/tts/voices${query}`).set(h.as(h.newUser()));
  return { status: res.status, voices: res.body.data?.voices ?? [], body: res.body };
}

describe('GET /api/v1/tts/voices offline', () => {
  it("lists flite's natural English voices and espeak-ng's languages", async () => {
    const { status, voices: list, body } = await voices();
    expect(status).toBe(200);
    // No neural voice server is configured here: flite's slt reads English by default.
    expect(body.data).toMatchObject({ default_voice_id: 'flite-slt' });
    const ids = list.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['flite-slt', 'flite-rms', 'flite-awb', 'espeak-en-US', 'espeak-fr']));
    expect(ids).not.toContain('flite-kal');
    expect(new Set(ids).size).toBe(ids.length);
    expect(list.find((v) => v.id === 'flite-slt')).toEqual({
      id: 'flite-slt',
      name: 'SLT (flite)',
      language: 'en-US',
      gender: 'female',
      engine: 'flite',
      available: true,
    });
  });

  it('filters by language, matching a tag or its prefix', async () => {
    const english = await voices('?language=en');
    expect(english.voices.length).toBeGreaterThan(3);
    expect(english.voices.every((v) => v.language === 'en' || v.language.startsWith('en-'))).toBe(true);
    const us = await voices('?language=en-US');
    expect(us.voices.map((v) => v.id)).toEqual(expect.arrayContaining(['flite-slt', 'espeak-en-US']));
    expect(us.voices.every((v) => v.language === 'en-US' || v.language.startsWith('en-US-'))).toBe(true);
    const french = await voices('?language=fr');
    expect(french.voices.map((v) => v.id)).toContain('espeak-fr');
  });

  it('answers 400 for a language that is not a language tag', async () => {
    const res = await voices('?language=en_US!');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', details: { language: expect.any(String) } });
  });

  it('can speak with every voice it lists', async () => {
    const engine = await installedLocalEngine({ withFfmpeg: false });
    const all = await engine.listVoices();
    const failures: string[] = [];
    const queue = [...all];
    const worker = async (): Promise<void> => {
      for (let voice = queue.shift(); voice; voice = queue.shift()) {
        try {
          const out = await engine.synthesize({ voice, text: 'one two', textType: 'text', format: 'pcm' });
          if (out.audio.length === 0 || out.durationSeconds <= 0) failures.push(voice.id);
        } catch {
          failures.push(voice.id);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('voice discovery on a machine missing an engine', () => {
  it("lists the other engine's voices when one does not answer, and is not ready with none", async () => {
    const encoder = createAudioEncoder({});
    const espeakOnly = createLocalSpeechEngine({ flitePath: '/bin/false', espeakPath: 'espeak-ng', encoder });
    const voices = await espeakOnly.listVoices();
    expect(voices.length).toBeGreaterThan(50);
    expect(voices.every((v) => v.engine === 'espeak-ng')).toBe(true);
    await expect(espeakOnly.check()).resolves.toBeUndefined();
    await expect(createLocalSpeechEngine({ flitePath: '/bin/false', encoder }).check()).rejects.toThrow(/no local voice/);
  });
});

describe('the voice list cache', () => {
  it('asks the engine once an hour, not on every request', async () => {
    const real = await installedLocalEngine();
    let asked = 0;
    const counting: SpeechEngine = {
      ...real,
      async listVoices() {
        asked += 1;
        return real.listVoices();
      },
    };
    let now = Date.now();
    const speech = createAudioService({ pool: h.db.pool, storage: h.storage, engine: counting, cache: createMemoryCache(() => now) });
    await speech.listVoices();
    await speech.listVoices('en');
    expect(asked).toBe(1);
    now += 3601_000;
    await speech.listVoices();
    expect(asked).toBe(2);
  });
});
