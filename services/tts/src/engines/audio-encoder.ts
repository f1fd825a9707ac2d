import { runCommand } from '@learner/common/process';
import { createMp3Encoder, createOggEncoder } from 'wasm-media-encoders';
import wavefile from 'wavefile';
import { PCM_SAMPLE_RATE, type AudioFormat } from './speech-engine.js';

// A UMD bundle: Node sees no named exports in it.
const { WaveFile } = wavefile;

/** Mono 16-bit samples as an engine produced them. */
export interface PcmAudio {
  samples: Int16Array;
  sampleRate: number;
}

export function pcmDurationSeconds(pcm: PcmAudio): number {
  return pcm.samples.length / pcm.sampleRate;
}

/** Reads a PCM WAV file (as flite and espeak-ng write them), mixing several channels down to one. */
export function readWav(bytes: Buffer): PcmAudio {
  const wav = new WaveFile(bytes);
  const { sampleRate } = wav.fmt as { sampleRate: number };
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  const channels = wav.getSamples(false, Int16Array) as unknown as Int16Array | Int16Array[];
  if (!Array.isArray(channels)) return { samples: channels, sampleRate };
  const mixed = new Int16Array(channels[0]?.length ?? 0);
  for (let i = 0; i < mixed.length; i += 1) {
    let sum = 0;
    for (const channel of channels) sum += channel[i] ?? 0;
    mixed[i] = Math.round(sum / channels.length);
  }
  return { samples: mixed, sampleRate };
}

/**
 * Raises quiet audio so its loudest sample peaks at `peakDb` dBFS, by at most `maxGainDb` (so a
 * near-silent take is not blown up into noise). Never makes audio quieter and never clips.
 */
export function normalizePeak(pcm: PcmAudio, options: { peakDb?: number; maxGainDb?: number } = {}): PcmAudio {
  let peak = 0;
  for (const sample of pcm.samples) peak = Math.max(peak, Math.abs(sample));
  if (peak === 0) return pcm;
  const target = 32767 * 10 ** ((options.peakDb ?? -1) / 20);
  const gain = Math.min(target / peak, 10 ** ((options.maxGainDb ?? 12) / 20));
  if (gain <= 1) return pcm;
  const samples = new Int16Array(pcm.samples.length);
  for (let i = 0; i < samples.length; i += 1) samples[i] = Math.round(pcm.samples[i]! * gain);
  return { samples, sampleRate: pcm.sampleRate };
}

function toFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i += 1) out[i] = samples[i]! / 32768;
  return out;
}

function resample(pcm: PcmAudio, sampleRate: number): Int16Array {
  if (pcm.sampleRate === sampleRate) return pcm.samples;
  const wav = new WaveFile();
  wav.fromScratch(1, pcm.sampleRate, '16', pcm.samples);
  wav.toSampleRate(sampleRate);
  return wav.getSamples(false, Int16Array) as unknown as Int16Array;
}

function int16Bytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i += 1) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

const FFMPEG_OUTPUT: Record<AudioFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '48k', '-f', 'mp3'],
  ogg_vorbis: ['-c:a', 'libvorbis', '-q:a', '3', '-f', 'ogg'],
  pcm: ['-ar', String(PCM_SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 's16le'],
};

async function encodeWithWasm(pcm: PcmAudio, format: 'mp3' | 'ogg_vorbis'): Promise<Buffer> {
  const input = [toFloat(pcm.samples)];
  const base = { channels: 1 as const, sampleRate: pcm.sampleRate, vbrQuality: 5 };
  // Each chunk the encoder hands back lives in its own memory, so it is copied right away.
  if (format === 'mp3') {
    const encoder = await createMp3Encoder();
    encoder.configure(base);
    return Buffer.concat([Buffer.from(encoder.encode(input)), Buffer.from(encoder.finalize())]);
  }
  const encoder = await createOggEncoder();
  encoder.configure({ ...base, vbrQuality: 3 });
  return Buffer.concat([Buffer.from(encoder.encode(input)), Buffer.from(encoder.finalize())]);
}

export interface AudioEncoder {
  /** ffmpeg when installed, else the WebAssembly builds of LAME and libvorbis. */
  readonly backend: 'ffmpeg' | 'wasm';
  encode(pcm: PcmAudio, format: AudioFormat): Promise<Buffer>;
}

export function createAudioEncoder(options: { ffmpegPath?: string; timeoutMs?: number }): AudioEncoder {
  const { ffmpegPath } = options;
  if (ffmpegPath) {
    return {
      backend: 'ffmpeg',
      async encode(pcm, format) {
        const args = ['-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', String(pcm.sampleRate), '-ac', '1'];
        args.push('-i', 'pipe:0', ...FFMPEG_OUTPUT[format], 'pipe:1');
        const { stdout } = await runCommand(ffmpegPath, args, {
          input: int16Bytes(pcm.samples),
          timeoutMs: options.timeoutMs ?? 60_000,
        });
        return stdout;
      },
    };
  }
  return {
    backend: 'wasm',
    async encode(pcm, format) {
      if (format === 'pcm') return int16Bytes(resample(pcm, PCM_SAMPLE_RATE));
      return encodeWithWasm(pcm, format);
    },
  };
}
