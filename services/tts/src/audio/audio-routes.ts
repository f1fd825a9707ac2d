import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { pageOffset, paginationSchema, parseInput, sendData, sendList } from '@learner/common/http';
import { AUDIO_FORMATS } from '../engines/speech-engine.js';
import { MAX_CHARACTERS, type AudioService, type StoredAudio } from './audio-service.js';

const MAX_SSML_LENGTH = 2 * MAX_CHARACTERS;

export const synthesizeSchema = z
  .strictObject({
    text: z.string().trim().min(1, 'must not be empty').max(MAX_CHARACTERS, `must be at most ${MAX_CHARACTERS} characters`).optional(),
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

export const voicesQuery = z.object({
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as en or en-US')
    .optional(),
});

function present({ record, link }: StoredAudio) {
  return {
    id: record.id,
    audio_url: link.url,
    expires_at: link.expires_at,
    voice_id: record.voiceId,
    engine: record.engine,
    format: record.format,
    speed: record.speed,
    duration_seconds: Math.round(record.durationSeconds * 100) / 100,
    characters: record.characters,
    size_bytes: record.sizeBytes,
    text: record.text,
    text_type: record.textType,
    created_at: record.createdAt.toISOString(),
  };
}

export function createAudioRouter(speech: AudioService): Router {
  const router = Router();

  router.get('/voices', async (req, res) => {
    const query = parseInput(voicesQuery, req.query, 'query');
    const { voices, defaultVoiceId } = await speech.voiceCatalog(query.language);
    sendData(res, {
      voices: voices.map(({ standInId, unavailableReason, ...voice }) => ({
        ...voice,
        ...(voice.available ? {} : { stand_in_voice_id: standInId ?? null, unavailable_reason: unavailableReason ?? null }),
      })),
      default_voice_id: defaultVoiceId ?? null,
    });
  });

  router.post('/synthesize', async (req, res) => {
    const body = parseInput(synthesizeSchema, req.body);
    const stored = await speech.synthesize(currentUser(req), req.requestId, {
      format: body.format,
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.ssml !== undefined ? { ssml: body.ssml } : {}),
      ...(body.voice_id !== undefined ? { voiceId: body.voice_id } : {}),
      ...(body.speed !== undefined ? { speed: body.speed } : {}),
    });
    sendData(res, present(stored), 201);
  });

  router.get('/audio', async (req, res) => {
    const page = parseInput(paginationSchema, req.query, 'query');
    const { items, total } = await speech.list(currentUser(req), { limit: page.limit, offset: pageOffset(page) });
    sendList(res, items.map(present), page, total);
  });

  router.get('/audio/:id', async (req, res) => {
    sendData(res, present(await speech.get(currentUser(req), req.params.id)));
  });

  router.delete('/audio/:id', async (req, res) => {
    await speech.remove(currentUser(req), req.params.id);
    sendData(res, { id: req.params.id, deleted: true });
  });

  return router;
}
