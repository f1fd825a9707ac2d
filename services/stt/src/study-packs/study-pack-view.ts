import { studyPackStatusOf, type DocumentSummary, type StudyPackStatus, type StudyPackStep } from '@learner/common/contracts';
import { AppError } from '@learner/common/errors';
import type { TranscriptionRecord } from '../transcriptions/transcription-repository.js';

export interface TranscriptionStudyPack {
  status: StudyPackStatus;
  title: string;
  steps: StudyPackStep[];
  document_id: number | null;
  quiz_id: number | null;
}

const TRANSCRIBE_STEP: Record<TranscriptionRecord['status'], StudyPackStep['status']> = {
  queued: 'pending',
  in_progress: 'running',
  completed: 'done',
  failed: 'failed',
};

/** The document's side of the pack, or why it could not be read just now. */
export type DocumentSide = { summary: DocumentSummary } | { error: string };

export async function readDocumentSide(read: () => Promise<DocumentSummary>): Promise<DocumentSide> {
  try {
    return { summary: await read() };
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return { error: 'The document was deleted' };
    return { error: `The document service could not be asked (${err instanceof AppError ? err.message : 'unexpected failure'})` };
  }
}

/**
 * The steps of a transcription's study pack: transcribe and document are this service's; notes and
 * quiz are read from the document's own study pack in the document service.
 */
export function transcriptionStudyPack(job: TranscriptionRecord, side: DocumentSide | undefined): TranscriptionStudyPack | null {
  if (!job.studyPack) return null;
  const transcribe: StudyPackStep = { name: 'transcribe', status: TRANSCRIBE_STEP[job.status], error: job.status === 'failed' ? job.error : null };
  let document: StudyPackStep;
  if (job.documentId !== null) document = { name: 'document', status: 'done', error: null };
  else if (job.studyPack.error) document = { name: 'document', status: 'failed', error: job.studyPack.error };
  else if (job.status === 'failed') document = { name: 'document', status: 'skipped', error: null };
  else document = { name: 'document', status: job.status === 'completed' ? 'running' : 'pending', error: null };

  const later = (name: 'notes' | 'quiz'): StudyPackStep => {
    if (document.status === 'failed' || document.status === 'skipped') return { name, status: 'skipped', error: null };
    if (!side) return { name, status: 'pending', error: null };
    if ('error' in side) return { name, status: 'unknown', error: side.error };
    const step = side.summary.study_pack?.steps.find((s) => s.name === name);
    return step ?? { name, status: 'unknown', error: 'The document has no study pack' };
  };
  const steps = [transcribe, document, later('notes'), later('quiz')];
  return {
    status: studyPackStatusOf(steps),
    title: job.studyPack.title,
    steps,
    document_id: job.documentId,
    quiz_id: side && 'summary' in side ? (side.summary.study_pack?.quiz_id ?? null) : null,
  };
}
