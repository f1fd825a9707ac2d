import { describe, expect, it } from 'vitest';
import { AppError } from '@learner/common/errors';
import type { DocumentSummary } from '@learner/common/contracts';
import type { TranscriptionRecord } from '../transcriptions/transcription-repository.js';
import { readDocumentSide, transcriptionStudyPack } from './study-pack-view.js';

const job = (over: Partial<TranscriptionRecord>): TranscriptionRecord => ({
  id: '00000000-0000-4000-8000-000000000001',
  userId: 'u',
  status: 'completed',
  filename: 'a.wav',
  mediaFormat: 'wav',
  sizeBytes: 1,
  storageKey: 'k',
  language: 'en-US',
  speakerLabels: false,
  engine: 'pocketsphinx',
  transcript: 'hello',
  confidence: null,
  segments: [],
  durationSeconds: 1,
  error: null,
  attempts: 1,
  documentId: null,
  studyPack: { title: 'Lecture', error: null },
  createdAt: new Date(),
  startedAt: null,
  completedAt: null,
  ...over,
});

const summary = (steps: DocumentSummary['study_pack']): DocumentSummary => ({
  id: 7,
  title: 'Lecture',
  filename: 'a.txt',
  file_type: 'txt',
  status: 'completed',
  pages: 1,
  text_length: 5,
  error: null,
  study_pack: steps,
});

const statuses = (pack: ReturnType<typeof transcriptionStudyPack>) => pack?.steps.map((s) => `${s.name}:${s.status}`);

describe('transcriptionStudyPack', () => {
  it('is null without a study pack', () => {
    expect(transcriptionStudyPack(job({ studyPack: null }), undefined)).toBeNull();
  });

  it('runs while the recording waits, and the document step once it is transcribed', () => {
    expect(statuses(transcriptionStudyPack(job({ status: 'queued' }), undefined))).toEqual([
      'transcribe:pending',
      'document:pending',
      'notes:pending',
      'quiz:pending',
    ]);
    const pack = transcriptionStudyPack(job({}), undefined);
    expect(statuses(pack)).toEqual(['transcribe:done', 'document:running', 'notes:pending', 'quiz:pending']);
    expect(pack?.status).toBe('running');
  });

  it('fails at the transcription with its error, the later steps skipped', () => {
    const pack = transcriptionStudyPack(job({ status: 'failed', error: 'No speech' }), undefined);
    expect(pack?.steps[0]).toEqual({ name: 'transcribe', status: 'failed', error: 'No speech' });
    expect(statuses(pack)?.slice(1)).toEqual(['document:skipped', 'notes:skipped', 'quiz:skipped']);
    expect(pack?.status).toBe('failed');
  });

  it('says why the document could not be made', () => {
    const pack = transcriptionStudyPack(job({ studyPack: { title: 'L', error: 'refused' } }), undefined);
    expect(pack?.steps[1]).toEqual({ name: 'document', status: 'failed', error: 'refused' });
    expect(pack?.status).toBe('failed');
  });

  it('takes the notes and quiz steps and the quiz id from the document, done when all are', () => {
    const side = {
      summary: summary({
        status: 'done',
        document_id: 7,
        quiz_id: 3,
        audio_id: null,
        steps: [
          { name: 'notes', status: 'done', error: null },
          { name: 'quiz', status: 'done', error: null },
        ],
      }),
    };
    const pack = transcriptionStudyPack(job({ documentId: 7 }), side);
    expect(pack).toMatchObject({ status: 'done', document_id: 7, quiz_id: 3 });
  });

  it('keeps running, saying why, while the document service cannot be asked', async () => {
    const side = await readDocumentSide(() => Promise.reject(new AppError(503, 'ServiceUnavailable', 'The document service is unavailable')));
    const pack = transcriptionStudyPack(job({ documentId: 7 }), side);
    expect(pack?.steps[2]).toMatchObject({ status: 'unknown', error: expect.stringMatching(/unavailable/) });
    expect(pack?.status).toBe('running');
    const gone = await readDocumentSide(() => Promise.reject(new AppError(404, 'NotFound', 'Document not found')));
    expect(transcriptionStudyPack(job({ documentId: 7 }), gone)?.steps[3]).toMatchObject({ error: 'The document was deleted' });
  });
});
