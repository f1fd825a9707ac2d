import { z } from 'zod';

/**
 * A study pack: what the platform makes by itself from a recording or an upload (a document, its
 * notes, a quiz, an audio summary of the notes), step after step, each step's state readable.
 */
export const STUDY_PACK_STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped', 'unknown'] as const;
export type StudyPackStepStatus = (typeof STUDY_PACK_STEP_STATUSES)[number];

export const studyPackStep = z.object({
  name: z.string().describe('transcribe, document, notes, quiz or audio'),
  status: z
    .enum(STUDY_PACK_STEP_STATUSES)
    .describe('skipped: an earlier step failed; unknown: the service doing it could not be asked just now'),
  error: z.string().nullable().describe('why the step failed (or could not be read), null otherwise'),
});
export type StudyPackStep = z.infer<typeof studyPackStep>;

export const studyPackStatus = z.enum(['running', 'done', 'failed']);
export type StudyPackStatus = z.infer<typeof studyPackStatus>;

/** The study pack of a document, as the document service answers it (public and internal routes). */
export const documentStudyPack = z.object({
  status: studyPackStatus,
  steps: z.array(studyPackStep),
  document_id: z.number().int(),
  quiz_id: z.number().int().nullable(),
  audio_id: z.string().nullable(),
});
export type DocumentStudyPack = z.infer<typeof documentStudyPack>;

/** `study_pack` of `POST /internal/v1/documents`: make a study pack of the new document. */
export const studyPackRequest = z.strictObject({
  /** Names what the document is made from; asking again with the same key answers the same document. */
  origin_key: z.string().trim().min(1).max(200),
  /** Whether an audio summary of the notes is a step of the pack. */
  audio: z.boolean().default(false),
});

/** Running while a step is still to come (or cannot be read); then failed when a step failed, done otherwise. */
export function studyPackStatusOf(steps: StudyPackStep[]): StudyPackStatus {
  if (steps.some((s) => s.status === 'pending' || s.status === 'running' || s.status === 'unknown')) return 'running';
  return steps.some((s) => s.status === 'failed') ? 'failed' : 'done';
}
