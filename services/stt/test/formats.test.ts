import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert, speak, startHarness, type Harness } from './harness.js';

let h: Harness;
let queueOnly: Harness;
let wav: Buffer;
beforeAll(async () => {
  [h, queueOnly] = await Promise.all([startHarness(), startHarness({ startWorker: false })]);
  wav = await speak('Every living thing is made of cells.');
});
afterAll(() => Promise.all([h.close(), queueOnly.close()]));

describe('accepted audio formats', () => {
  it('tells mp3, flac, ogg, m4a and webm from their bytes, not their names', async () => {
    const user = queueOnly.newUser();
    for (const format of ['mp3', 'flac', 'ogg', 'm4a', 'webm']) {
      const res = await queueOnly.upload(user, await convert(wav, format), 'recording.wav');
      expect(res.status).toBe(202);
      expect(res.body.data.media_format).toBe(format);
    }
  });

  // m4a needs a seekable input and webm carries Opus: the two that differ most from plain WAV.
  it.each(['m4a', 'webm'])('decodes and transcribes %s', async (format) => {
    const user = h.newUser();
    const res = await h.upload(user, await convert(wav, format), `recording.${format}`);
    const done = await h.waitForEnd(user, res.body.data.task_id, 120_000);
    expect(done.status).toBe('completed');
    expect(done.transcript).toMatch(/living thing/);
  });
});
