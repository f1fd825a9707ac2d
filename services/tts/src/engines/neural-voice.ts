import { readWav, type PcmAudio } from './audio-encoder.js';
import type { Voice } from './speech-engine.js';

/**
 * The local neural voice: hibari (PyPI hibari-tts) kept warm by scripts/infra/hibari-server.py,
 * which loads the model once and answers WAV over HTTP on loopback.
 */
export interface NeuralVoice {
  readonly voice: Voice;
  readonly url: string;
  /** Resolves while the server answers; rejects naming why not. */
  check(): Promise<void>;
  speak(text: string, speed: number): Promise<PcmAudio>;
}

/** Thrown when the voice server cannot be reached or fails, so the caller can speak with another voice. */
export class NeuralVoiceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NeuralVoiceUnavailableError';
  }
}

/** The voice inside the hibari-tts package (af_heart distilled); the others would be downloaded at run time. */
export const HIBARI_VOICE: Voice = {
  id: 'hibari-heart',
  name: 'Heart (hibari, neural)',
  language: 'en-US',
  gender: 'female',
  engine: 'hibari',
};

const CHECK_TIMEOUT_MS = 1_000;

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause?.code;
  if (cause) return cause;
  return err instanceof Error ? err.message : String(err);
}

export function createHibariVoice(options: { baseUrl: string; timeoutMs?: number }): NeuralVoice {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;

  return {
    voice: HIBARI_VOICE,
    url: base,
    async check() {
      let res: Response;
      try {
        res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      } catch (err) {
        throw new NeuralVoiceUnavailableError(`the hibari voice server at ${base} does not answer (${describe(err)})`);
      }
      const body = (await res.json().catch(() => ({}))) as { status?: string };
      if (!res.ok || body.status !== 'ok') {
        throw new NeuralVoiceUnavailableError(`the hibari voice server at ${base} answered ${res.status}`);
      }
    },
    async speak(text, speed) {
      let res: Response;
      try {
        res = await fetch(`${base}/v1/speech`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text, speed }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new NeuralVoiceUnavailableError(`the hibari voice server at ${base} does not answer (${describe(err)})`, { cause: err });
      }
      if (!res.ok) {
        const detail = await res.text().catch(() => '');
        throw new NeuralVoiceUnavailableError(`the hibari voice server answered ${res.status} ${detail.slice(0, 200)}`);
      }
      return readWav(Buffer.from(await res.arrayBuffer()));
    },
  };
}
