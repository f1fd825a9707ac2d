import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHibariVoice } from '../src/engines/neural-voice.js';
import { startHarness, type Harness } from './harness.js';

// A voice server of this test's own, started as scripts/infra/hibari.sh starts it, so that it
// can be stopped while the service runs.
const repo = join(import.meta.dirname, '../../..');
const python = join(repo, '.infra/venv-hibari/bin/python');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let port: number;
let server: ChildProcess | undefined;
let h: Harness;
const voice = () => createHibariVoice({ baseUrl: `http://127.0.0.1:${port}` });

async function startVoiceServer(): Promise<void> {
  if (!existsSync(python)) throw new Error(`${python} is missing: run scripts/infra/up.sh hibari`);
  server = spawn(python, [join(repo, 'scripts/infra/hibari-server.py'), '--port', String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await voice().check().then(() => true, () => false)) return;
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('the hibari voice server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopVoiceServer(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  port = await freePort();
  await startVoiceServer();
  h = await startHarness({ env: { HIBARI_URL: `http://127.0.0.1:${port}` } });
}, 90_000);
afterAll(async () => {
  await stopVoiceServer();
  await h.close();
});

const TEXT = 'Mitochondria release the energy stored in glucose.';

describe('when the neural voice server stops while the service runs', () => {
  it('reads English with flite in its place, says so in the voice list and on /ready, and uses it again once it is back', async () => {
    const user = h.newUser();
    const before = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send({ text: TEXT });
    expect(before.status).toBe(201);
    expect(before.body.data).toMatchObject({ voice_id: 'hibari-heart', engine: 'hibari' });

    await stopVoiceServer();

    // A request naming no voice, and one naming the neural voice, are both read by flite's slt.
    for (const body of [{ text: TEXT }, { text: TEXT, voice_id: 'hibari-heart' }]) {
      const res = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send(body);
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ voice_id: 'flite-slt', engine: 'flite' });
      expect(res.body.data.duration_seconds).toBeGreaterThan(1.5);
    }

    const voices = await request(h.app).get('/api/v1/tts/voices?language=en').set(h.as(user));
    expect(voices.body.data.default_voice_id).toBe('flite-slt');
    expect(voices.body.data.voices.find((v: { id: string }) => v.id === 'hibari-heart')).toMatchObject({
      available: false,
      stand_in_voice_id: 'flite-slt',
      unavailable_reason: expect.stringMatching(/not answering/),
    });
    expect(voices.body.data.voices.find((v: { id: string }) => v.id === 'flite-slt')).toMatchObject({ available: true });

    const ready = await request(h.app).get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'degraded', degraded: ['neural_voice'], checks: { neural_voice: { status: 'down' } } });

    const history = await request(h.app).get('/api/v1/tts/audio').set(h.as(user));
    expect(history.body.data.map((a: { voice_id: string }) => a.voice_id).sort()).toEqual(['flite-slt', 'flite-slt', 'hibari-heart']);

    await startVoiceServer();
    const after = await request(h.app).post('/api/v1/tts/synthesize').set(h.as(user)).send({ text: TEXT });
    expect(after.body.data).toMatchObject({ voice_id: 'hibari-heart', engine: 'hibari' });
    expect((await request(h.app).get('/ready')).body.status).toBe('ready');
  }, 120_000);
});
