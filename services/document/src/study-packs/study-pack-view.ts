import { studyPackStatusOf, type DocumentStudyPack, type StudyPackStep } from '@learner/common/contracts';
import type { DocumentRecord } from '../documents/document-repository.js';
import type { StudyPackRecord } from './study-pack-repository.js';

const NOTES_STEP: Record<DocumentRecord['status'], StudyPackStep['status']> = {
  uploaded: 'pending',
  processing: 'running',
  completed: 'done',
  failed: 'failed',
};

/**
 * The pack's steps as a learner reads them: the notes step is the document's processing (which makes
 * the notes); the later steps are skipped when processing failed.
 */
export function studyPackView(doc: DocumentRecord, pack: StudyPackRecord): DocumentStudyPack {
  const processingFailed = doc.status === 'failed';
  const later = (status: StudyPackRecord['quizStatus'], error: string | null): StudyPackStep =>
    processingFailed && status !== 'done' ? { name: '', status: 'skipped', error: null } : { name: '', status, error };
  const steps: StudyPackStep[] = [
    { name: 'notes', status: NOTES_STEP[doc.status], error: processingFailed ? doc.error : null },
    { ...later(pack.quizStatus, pack.quizError), name: 'quiz' },
    ...(pack.withAudio ? [{ ...later(pack.audioStatus, pack.audioError), name: 'audio' }] : []),
  ];
  return { status: studyPackStatusOf(steps), steps, document_id: doc.id, quiz_id: pack.quizId, audio_id: pack.audioId };
}
