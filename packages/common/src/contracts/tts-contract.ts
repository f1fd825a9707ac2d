import { z } from 'zod';
import { createInternalClient, type InternalCall, type InternalClientOptions } from '../internal-client/internal-client.js';
import { isoTimestamp } from '../openapi/response-schemas.js';
import { successBody } from './success-body.js';

/**
 * The tts service's `POST /api/v1/tts/synthesize` as both sides see it: the tts service parses the
 * request with these schemas and shapes its answer to them; the document service's study packs call
 * it through `createTtsServiceClient`, which checks the answer against them.
 */

/** The formats a client may ask for, named as Polly names them. */
export const AUDIO_FORMATS = ['mp3', 'ogg_vorbis', 'pcm'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** The most characters one synthesis speaks (of the text, or of what the SSML says). */
export const MAX_SPOKEN_CHARACTERS = 3000;
const MAX_SSML_LENGTH = 2 * MAX_SPOKEN_CHARACTERS;

export const synthesizeRequest = z
  .strictObject({
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_SPOKEN_CHARACTERS, `must be at most ${MAX_SPOKEN_CHARACTERS} characters`)
      .optional(),
    ssml: z.string().min(1).max(MAX_SSML_LENGTH, `must be at most ${MAX_SSML_LENGTH} characters`).optional(),
    voice_id: z.string().min(1).max(100).optional(),
    format: z.enum(AUDIO_FORMATS).default('mp3'),
    speed: z.number().min(0.5).max(2).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.text === undefined && body.ssml === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'text or ssml is required' });
    }
    if (body.text !== undefined && body.ssml !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['ssml'], message: 'give text or ssml, not both' });
    }
  });
export type SynthesizeRequest = z.input<typeof synthesizeRequest>;

/** A stored audio with a download link, as the tts routes answer it (synthesis, history, one audio). */
export const storedAudio = z.object({
  id: z.uuid(),
  audio_url: z.string().describe('A signed download link, valid until expires_at'),
  expires_at: isoTimestamp,
  voice_id: z.string(),
  engine: z.string(),
  format: z.enum(AUDIO_FORMATS),
  speed: z.number().nullable(),
  duration_seconds: z.number(),
  characters: z.int(),
  size_bytes: z.int(),
  text: z.string(),
  text_type: z.enum(['text', 'ssml']),
  created_at: isoTimestamp,
});
export type StoredAudioView = z.infer<typeof storedAudio>;

export interface TtsServiceClient {
  /** Reads the text (or SSML) aloud for the user and keeps the audio in their history. */
  synthesize(call: InternalCall, input: SynthesizeRequest): Promise<StoredAudioView>;
}

/** The tts service's synthesis route, for the document service's study packs. Errors: see `createInternalClient`. */
export function createTtsServiceClient(options: Omit<InternalClientOptions, 'service'>): TtsServiceClient {
  const client = createInternalClient({ ...options, service: 'tts' });
  return {
    async synthesize(call, input) {
      const answer = await client.request({ ...call, method: 'POST', path: '/api/v1/tts/synthesize', body: input, response: successBody(storedAudio) });
      return answer.data;
    },
  };
}
