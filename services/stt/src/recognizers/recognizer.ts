import type { TimedWord } from './segments.js';

/** The kinds of audio accepted, named as Amazon Transcribe names its media formats. */
export const AUDIO_KINDS = ['wav', 'mp3', 'flac', 'ogg', 'm4a', 'webm'] as const;
export type AudioKind = (typeof AUDIO_KINDS)[number];

export interface Segment {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
  confidence: number | null;
}

export interface Transcript {
  text: string;
  confidence: number | null;
  segments: Segment[];
  durationSeconds: number | null;
  /** Each recognised word with its times, in order. */
  words?: TimedWord[];
  /** Words of the expected text the engine cannot hear (it has no pronunciation for them). */
  uncheckedWords?: string[];
}

export interface RecognitionJob {
  id: string;
  storageKey: string;
  mediaFormat: AudioKind;
  language: string;
  speakerLabels: boolean;
  /**
   * The text the speaker was asked to read (read-aloud practice). The local engine decodes
   * against a language model of this text; Transcribe transcribes as usual.
   */
  expectedText?: string;
}

/**
 * Why a job cannot succeed however often it is tried (audio that does not decode, a language the
 * engine lacks). Other errors are retried.
 */
export class UnrecognizableAudioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecognizableAudioError';
  }
}

/** Turns stored audio into text: Amazon Transcribe, or pocketsphinx on this machine. */
export interface Recognizer {
  readonly name: 'transcribe' | 'pocketsphinx';
  readonly defaultLanguage: string;
  supportsLanguage(tag: string): boolean;
  recognize(job: RecognitionJob, signal: AbortSignal): Promise<Transcript>;
  /**
   * Removes what the engine left of a job outside our database (Transcribe's transcript file),
   * once its transcript is stored or the transcription deleted. Nothing to do for missing ones.
   */
  discard(jobId: string): Promise<void>;
  check(): Promise<void>;
}
