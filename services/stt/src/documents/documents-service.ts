import { ConflictError } from '@learner/common/errors';
import type { RequestUser } from '@learner/common/http';
import type { TranscriptionService } from '../transcriptions/transcription-service.js';
import type { DocumentClient } from './document-client.js';
import { transcriptFilename, transcriptToText } from './transcript-document.js';

/** Transcripts kept as documents of the document service. */
export function createDocumentsService(deps: { transcriptions: TranscriptionService; documents: DocumentClient }) {
  return {
    /** A completed, non-empty transcript of the user becomes a text document of theirs (409 otherwise). */
    async saveTranscript(user: RequestUser, requestId: string, transcriptionId: string, options: { title?: string | undefined }) {
      const job = await deps.transcriptions.get(user, transcriptionId);
      if (job.status !== 'completed') {
        throw new ConflictError('The transcription is not completed yet', { status: job.status });
      }
      const text = transcriptToText(job.transcript ?? '', job.segments);
      if (!text) throw new ConflictError('The transcript is empty: no speech was recognized in the recording');
      const doc = await deps.documents.createTextDocument(user, requestId, {
        title: options.title ?? `Transcript: ${job.filename}`.slice(0, 500),
        filename: transcriptFilename(job.filename),
        text,
        source: 'stt',
      });
      await deps.transcriptions.setDocument(job.id, doc.id);
      return doc;
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
