import { randomUUID } from 'node:crypto';
import { assertUserNotErased, MAX_SPOKEN_CHARACTERS } from '@learner/common/contracts';
import type { Cache } from '@learner/common/cache';
import { withTransaction, type Pool } from '@learner/common/db';
import { NotFoundError, ServiceUnavailableError, ValidationError } from '@learner/common/errors';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { createFairGate } from '@learner/common/jobs';
import type { Logger } from '@learner/common/logger';
import type { ObjectStorage, SignedUrl } from '@learner/common/storage';
import { FORMAT_INFO, type AudioFormat, type SpeechEngine, type UnavailableVoice, type Voice } from '../engines/speech-engine.js';
import { validateSsml } from '../engines/ssml.js';
import { createAudioRepository, type AudioRecord } from './audio-repository.js';

const VOICE_CACHE_SECONDS = 3600;

export interface SynthesizeRequest {
  text?: string;
  ssml?: string;
  voiceId?: string;
  format: AudioFormat;
  speed?: number;
}

/** A voice as the voice list shows it: whether it can speak now, and who speaks for it if not. */
export interface ListedVoice extends Voice {
  available: boolean;
  standInId?: string | undefined;
  unavailableReason?: string;
}

export interface StoredAudio {
  record: AudioRecord;
  link: SignedUrl;
}

/** How many syntheses run at once and how many more may wait for a turn. */
export interface SynthesisLimits {
  concurrency: number;
  queue: number;
}

/** Seconds a caller turned away for a full queue is asked to wait (Retry-After). */
const BUSY_RETRY_SECONDS = 5;

export function createAudioService(deps: {
  pool: Pool;
  storage: ObjectStorage;
  engine: SpeechEngine;
  cache: Cache;
  logger?: Logger;
  limits?: SynthesisLimits;
}) {
  const { pool, storage, engine, cache } = deps;
  const limits = deps.limits ?? { concurrency: 2, queue: 8 };
  /*
   * Synthesis is CPU work (local engines) or a rate-limited call (Polly). Run without a bound,
   * twelve long requests at once each took longer than the gateway waits and all of them failed;
   * a few at a time with the rest waiting their turn finishes them, and past the queue a caller
   * is told at once to come back (503 with Retry-After) instead of timing out. Users take turns
   * at the free places, and one user may fill no more than half the queue: another user's request
   * is neither refused nor kept waiting behind one user's burst.
   */
  const synthesisSlots = createFairGate({ concurrency: limits.concurrency, queue: limits.queue });
  const audio = createAudioRepository(pool);
  const cacheKey = `voices:${engine.name}`;

  const allVoices = async (): Promise<Voice[]> => {
    const cached = await cache.get<Voice[]>(cacheKey);
    if (cached) return cached;
    const voices = await engine.listVoices();
    if (voices.length > 0) await cache.set(cacheKey, voices, VOICE_CACHE_SECONDS);
    return voices;
  };

  const linkFor = (record: AudioRecord): Promise<SignedUrl> =>
    storage.signedUrl(record.storageKey, { downloadName: `speech-${record.id}.${FORMAT_INFO[record.format].extension}` });

  const spokenText = (request: SynthesizeRequest): { text: string; textType: 'text' | 'ssml'; characters: number } => {
    if (request.ssml !== undefined) {
      const { text } = validateSsml(request.ssml);
      if (text.length === 0) throw new ValidationError('The SSML contains no text to speak', { ssml: 'no text' });
      if (text.length > MAX_SPOKEN_CHARACTERS) {
        throw new ValidationError(`The SSML speaks more than ${MAX_SPOKEN_CHARACTERS} characters`, { ssml: 'too long' });
      }
      return { text: request.ssml, textType: 'ssml', characters: text.length };
    }
    const text = request.text ?? '';
    return { text, textType: 'text', characters: text.length };
  };

  return {
    /** `language` matches a tag or its prefix: `en` lists en-US and en-GB. */
    async listVoices(language?: string): Promise<Voice[]> {
      const voices = await allVoices();
      if (!language) return voices;
      const wanted = language.toLowerCase();
      return voices.filter((v) => {
        const tag = v.language.toLowerCase();
        return tag === wanted || tag.startsWith(`${wanted}-`);
      });
    },

    /**
     * The voices with whether each can speak right now, and the voice used when a request names
     * none (the stand-in of the default voice while that one is unavailable).
     */
    async voiceCatalog(language?: string): Promise<{ voices: ListedVoice[]; defaultVoiceId: string | undefined }> {
      const [voices, listed] = await Promise.all([allVoices(), this.listVoices(language)]);
      const unavailable = new Map<string, UnavailableVoice>(((await engine.unavailableVoices?.()) ?? []).map((u) => [u.voiceId, u]));
      const preferred = engine.defaultVoiceId(voices);
      return {
        voices: listed.map((voice) => {
          const down = unavailable.get(voice.id);
          return down ? { ...voice, available: false, standInId: down.standInId, unavailableReason: down.reason } : { ...voice, available: true };
        }),
        defaultVoiceId: (preferred && unavailable.get(preferred)?.standInId) ?? preferred,
      };
    },

    async synthesize(user: RequestUser, requestId: string, request: SynthesizeRequest): Promise<StoredAudio> {
      const voices = await allVoices();
      const voiceId = request.voiceId ?? engine.defaultVoiceId(voices);
      const voice = voices.find((v) => v.id === voiceId);
      if (!voice) {
        throw new ValidationError('There is no voice with this id; GET /api/v1/tts/voices lists them', {
          voice_id: 'unknown voice',
        });
      }
      const { text, textType, characters } = spokenText(request);
      if (!synthesisSlots.admits(user.id)) {
        throw new ServiceUnavailableError('Speech synthesis is busy right now; try again in a few seconds', {}, BUSY_RETRY_SECONDS);
      }
      const result = await synthesisSlots.run(user.id, () =>
        engine.synthesize({
          voice,
          text,
          textType,
          format: request.format,
          ...(request.speed !== undefined ? { speed: request.speed } : {}),
        }),
      );

      // The engine says when another voice had to speak for the one asked for.
      const spokenBy = result.standIn ?? voice;
      const id = randomUUID();
      const storageKey = `audio/${id}.${FORMAT_INFO[request.format].extension}`;
      await storage.put(storageKey, result.audio, { contentType: FORMAT_INFO[request.format].contentType });
      try {
        const record = await withTransaction(pool, async (tx) => {
          // An erasure of the account that arrived while the audio was made: keep nothing.
          await assertUserNotErased(tx, user.id);
          const saved = await audio.insert(
            {
              id,
              userId: user.id,
              text,
              textType,
              voiceId: spokenBy.id,
              engine: spokenBy.engine,
              format: request.format,
              speed: request.speed ?? null,
              characters,
              durationSeconds: result.durationSeconds,
              sizeBytes: result.audio.length,
              storageKey,
            },
            tx,
          );
          await enqueueEvent(
            tx,
            TOPICS.audioGenerationRequested,
            createEvent({
              type: TOPICS.audioGenerationRequested,
              userId: user.id,
              service: 'tts',
              payload: {
                request_id: requestId,
                audio_id: id,
                text,
                text_type: textType,
                voice_id: spokenBy.id,
                engine: spokenBy.engine,
                format: request.format,
                characters,
                duration_seconds: result.durationSeconds,
                s3_url: storage.uri(storageKey),
              },
            }),
          );
          return saved;
        });
        return { record, link: await linkFor(record) };
      } catch (err) {
        // Without its row the stored audio would never be listed or deleted.
        await storage.delete(storageKey).catch(() => undefined);
        throw err;
      }
    },

    async list(user: RequestUser, page: { limit: number; offset: number }): Promise<{ items: StoredAudio[]; total: number }> {
      const { items, total } = await audio.listForUser(user.id, page);
      return { items: await Promise.all(items.map(async (record) => ({ record, link: await linkFor(record) }))), total };
    },

    async get(user: RequestUser, id: string): Promise<StoredAudio> {
      const record = await audio.findForUser(user.id, id);
      if (!record) throw new NotFoundError('No such audio');
      return { record, link: await linkFor(record) };
    },

    async remove(user: RequestUser, id: string): Promise<void> {
      const record = await audio.deleteForUser(user.id, id);
      if (!record) throw new NotFoundError('No such audio');
      await storage.delete(record.storageKey).catch((err: unknown) => {
        deps.logger?.warn({ err, key: record.storageKey }, 'could not delete stored audio');
      });
    },

    async check(): Promise<void> {
      await engine.check();
    },
  };
}

export type AudioService = ReturnType<typeof createAudioService>;
