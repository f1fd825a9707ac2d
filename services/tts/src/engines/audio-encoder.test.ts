import { describe, expect, it } from 'vitest';
import { findExecutable, runCommand } from '@learner/common/process';
import { createAudioEncoder, type PcmAudio } from './audio-encoder.js';

function tone(seconds: number, sampleRate: number): PcmAudio {
  const samples = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i += 1) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  return { samples, sampleRate };
}

/** Decodes with ffmpeg and counts the samples, which works for streams without a length header. */
async function decodedSeconds(bytes: Buffer): Promise<number> {
  const ffmpeg = await findExecutable('ffmpeg');
  if (!ffmpeg) throw new Error('ffmpeg is needed to check the encoded audio: run scripts/infra/engines.sh');
  const { stdout } = await runCommand(ffmpeg, ['-v', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', 's16le', 'pipe:1'], {
    input: bytes,
  });
  return stdout.length / 2 / 8000;
}

describe('the WebAssembly encoder used when ffmpeg is missing', () => {
  const encoder = createAudioEncoder({});

  it('writes mp3 and Ogg Vorbis that a decoder reads back at the right length', async () => {
    const input = tone(2, 22_050);
    const mp3 = await encoder.encode(input, 'mp3');
    const ogg = await encoder.encode(input, 'ogg_vorbis');
    expect(ogg.subarray(0, 4).toString('latin1')).toBe('OggS');
    expect(await decodedSeconds(mp3)).toBeCloseTo(2, 0);
    expect(await decodedSeconds(ogg)).toBeCloseTo(2, 1);
  });

  it('resamples pcm to 16 kHz', async () => {
    const pcm = await encoder.encode(tone(1.5, 22_050), 'pcm');
    expect(pcm.length / 2 / 16_000).toBeCloseTo(1.5, 2);
  });
});
