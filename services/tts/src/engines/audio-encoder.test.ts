import { describe, expect, it } from 'vitest';
import { findExecutable, runCommand } from '@learner/common/process';
import { createAudioEncoder, normalizePeak, type PcmAudio } from './audio-encoder.js';

function tone(seconds: number, sampleRate: number, amplitude = 8000): PcmAudio {
  const samples = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i += 1) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
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

describe('normalizePeak', () => {
  const peakOf = (pcm: PcmAudio) => Math.max(...Array.from(pcm.samples, Math.abs));

  it('raises quiet audio until its loudest sample is at -1 dBFS', () => {
    const out = normalizePeak(tone(0.5, 16_000, 8000));
    expect(peakOf(out)).toBeGreaterThan(29_000);
    expect(peakOf(out)).toBeLessThanOrEqual(Math.round(32767 * 10 ** (-1 / 20)));
    expect(out.samples.length).toBe(8000);
  });

  it('leaves loud audio as it is and raises near-silence by at most the gain limit', () => {
    const loud = tone(0.5, 16_000, 31_000);
    expect(normalizePeak(loud)).toBe(loud);
    expect(peakOf(normalizePeak(tone(0.5, 16_000, 100), { maxGainDb: 12 }))).toBeLessThanOrEqual(Math.round(100 * 10 ** (12 / 20)));
    const silence = { samples: new Int16Array(100), sampleRate: 16_000 };
    expect(normalizePeak(silence).samples.every((s) => s === 0)).toBe(true);
  });
});
