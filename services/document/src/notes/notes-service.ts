import type { Queryable } from '@learner/common/db';
import { ConflictError, NotFoundError } from '@learner/common/errors';
import type { DocumentService } from '../documents/document-service.js';
import { createNotesRepository, type NoteRecord } from './notes-repository.js';

/** The notes processing made of a user's documents, as the user reads and edits them. */
export function createNotesService(deps: { pool: Queryable; documents: DocumentService }) {
  const repo = createNotesRepository(deps.pool);

  return {
    /** The notes of one of the user's documents; 404 for another's, 409 until its processing completes. */
    async forDocument(userId: string, documentId: number): Promise<NoteRecord[]> {
      const doc = await deps.documents.get(userId, documentId);
      if (doc.status !== 'completed') {
        throw new ConflictError(`Notes are made once processing completes; the document is ${doc.status}`, {
          status: doc.status,
        });
      }
      return repo.forDocument(doc.id);
    },

    /** Replaces the text of a note of one of the user's documents and marks it edited; 404 when either is not theirs. */
    async edit(userId: string, documentId: number, noteId: number, content: string): Promise<NoteRecord> {
      const doc = await deps.documents.get(userId, documentId);
      const note = await repo.updateContent(doc.id, noteId, content);
      if (!note) throw new NotFoundError('Note not found');
      return note;
    },
  };
}

export type NotesService = ReturnType<typeof createNotesService>;
