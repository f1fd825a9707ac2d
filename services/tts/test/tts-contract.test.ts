import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInternalTokens } from '@learner/common/auth';
import { createTtsServiceClient, MAX_SPOKEN_CHARACTERS, type TtsServiceClient } from '@learner/common/contracts';
import { closeServer } from '@learner/common/http';
import { refusalOf } from '@learner/common/testing';
import { startHarness, type Harness } from './harness.js';

/**
 * The client the document service's study packs use checks every answer against the tts contract's
 * schemas (@learner/common/contracts), so each call below that resolves is a real answer of this
 * service, over HTTP, with the installed local engines, that validates against them.
 */
let h: Harness;
let server: Server;
let tts: TtsServiceClient;

beforeAll(async () => {
  h = await startHarness();
  server = await new Promise<Server>((resolve) => {
    const s = h.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  // Signed as the document service signs its calls.
  const internalTokens = createInternalTokens({ secret: h.internalSecret, issuer: 'document' });
  tts = createTtsServiceClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 30_000, internalTokens });
});
afterAll(async () => {
  if (server) await closeServer(server);
  await h?.close();
});

const NOTES = 'Glaciers carve valleys as they move. A glacier moves because its own weight makes the ice flow downhill.';

describe('the tts service answers synthesis in the shape the study pack client checks', () => {
  it("notes read aloud as a study pack asks: an mp3 kept in the user's history that its link downloads", async () => {
    const user = h.newUser();
    const audio = await tts.synthesize({ user }, { text: NOTES, format: 'mp3' });
    expect(audio).toMatchObject({ format: 'mp3', text: NOTES, text_type: 'text', characters: NOTES.length });
    expect(audio.duration_seconds).toBeGreaterThan(1);

    const read = await request(h.app).get(`/api/v1/tts/audio/${audio.id}`).set(h.as(user));
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id: audio.id, size_bytes: audio.size_bytes });
    const file = await h.download(audio.audio_url);
    expect(file).toMatchObject({ status: 200, contentType: 'audio/mpeg' });
    expect(file.body.length).toBe(audio.size_bytes);
  });

  it('SSML in another voice and format answers in the same shape', async () => {
    const user = h.newUser();
    const audio = await tts.synthesize({ user }, { ssml: `<speak>${NOTES}</speak>`, voice_id: 'flite-rms', format: 'ogg_vorbis', speed: 1.5 });
    expect(audio).toMatchObject({ voice_id: 'flite-rms', format: 'ogg_vorbis', text_type: 'ssml', speed: 1.5 });
  });

  it("passes the service's refusals on as they were given", async () => {
    const user = h.newUser();
    expect(await refusalOf(tts.synthesize({ user }, { text: 'a'.repeat(MAX_SPOKEN_CHARACTERS + 1) }))).toMatchObject({
      status: 400,
      type: 'ValidationError',
      details: { text: expect.any(String) },
    });
    expect(await refusalOf(tts.synthesize({ user }, { text: NOTES, ssml: `<speak>${NOTES}</speak>` }))).toMatchObject({
      status: 400,
      type: 'ValidationError',
      details: { ssml: expect.any(String) },
    });
  });
});
