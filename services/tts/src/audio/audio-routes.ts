import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { synthesizeRequest, type StoredAudioView } from '@learner/common/contracts';
import { pageOffset, paginationSchema, parseInput, sendData, sendList } from '@learner/common/http';
import type { AudioService, StoredAudio } from './audio-service.js';

export const voicesQuery = z.object({
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as en or en-US')
    .optional(),
});

function present({ record, link }: StoredAudio): StoredAudioView {
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
    const body = parseInput(synthesizeRequest, req.body);
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
