import type { AudioFormat } from '@learner/common/contracts';

export type { AudioFormat };

/** 16-bit little-endian mono samples, the rate Polly uses for `pcm`. */
export const PCM_SAMPLE_RATE = 16_000;

export const FORMAT_INFO: Record<AudioFormat, { contentType: string; extension: string }> = {
  mp3: { contentType: 'audio/mpeg', extension: 'mp3' },
  ogg_vorbis: { contentType: 'audio/ogg', extension: 'ogg' },
  pcm: { contentType: `audio/L16; rate=${PCM_SAMPLE_RATE}; channels=1`, extension: 'pcm' },
};

export interface Voice {
  id: string;
  name: string;
  /** BCP 47 tag, e.g. en-US. */
  language: string;
  gender: 'female' | 'male' | 'neutral';
  /** Which engine speaks it: polly's standard or neural, hibari, flite, espeak-ng. */
  engine: string;
}

export interface SynthesisInput {
  voice: Voice;
  /** Plain text, or an SSML document already checked by validateSsml. */
  text: string;
  textType: 'text' | 'ssml';
  format: AudioFormat;
  /** Speaking rate relative to normal, 0.5 to 2. */
  speed?: number;
}

export interface SynthesisOutput {
  audio: Buffer;
  durationSeconds: number;
  /** Set when another voice spoke in place of the one asked for, because that one was unavailable. */
  standIn?: Voice;
}

/** A listed voice that cannot speak right now, and the voice that speaks in its place. */
export interface UnavailableVoice {
  voiceId: string;
  standInId: string | undefined;
  reason: string;
}

/** Turns text into audio: Amazon Polly, or the engines installed on this machine. */
export interface SpeechEngine {
  readonly name: 'polly' | 'local';
  /** The voice used when a request names none. */
  defaultVoiceId(voices: Voice[]): string | undefined;
  listVoices(): Promise<Voice[]>;
  synthesize(input: SynthesisInput): Promise<SynthesisOutput>;
  /** Listed voices that cannot speak right now (a voice server that is down). */
  unavailableVoices?(): Promise<UnavailableVoice[]>;
  check(): Promise<void>;
}
