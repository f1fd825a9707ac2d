import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { ConflictError, NotFoundError } from '@learner/common/errors';
import { parseInput, sendData } from '@learner/common/http';
import type { DocumentService } from '../documents/document-service.js';
import { documentIdOf } from '../documents/documents-routes.js';
import { plainText } from '../text/plain-text.js';
import type { NoteRecord, NotesRepository } from './notes-repository.js';

export const noteEdit = z.strictObject({
  content: plainText().pipe(z.string().trim().min(1).max(100_000)),
});

export function noteView(note: NoteRecord) {
  return {
    id: note.id,
    document_id: note.documentId,
    kind: note.kind,
    content: note.content,
    items: note.items,
    generator: note.generator,
    edited: note.edited,
    created_at: note.createdAt.toISOString(),
    updated_at: note.updatedAt.toISOString(),
  };
}

/** `/:id/notes`: the generated notes of one of the caller's documents, and edits to them. */
export function createNotesRouter(deps: { documents: DocumentService; notes: NotesRepository }): Router {
  const router = Router();

  router.get('/:id/notes', async (req, res) => {
    const doc = await deps.documents.get(currentUser(req).id, documentIdOf(req));
    if (doc.status !== 'completed') {
      throw new ConflictError(`Notes are made once processing completes; the document is ${doc.status}`, {
        status: doc.status,
      });
    }
    sendData(res, (await deps.notes.forDocument(doc.id)).map(noteView));
  });

  router.put('/:id/notes/:noteId', async (req, res) => {
    const doc = await deps.documents.get(currentUser(req).id, documentIdOf(req));
    const input = parseInput(noteEdit, req.body);
    const noteId = Number(req.params.noteId);
    const note = /^\d{1,9}$/.test(req.params.noteId ?? '')
      ? await deps.notes.updateContent(doc.id, noteId, input.content)
      : undefined;
    if (!note) throw new NotFoundError('Note not found');
    sendData(res, noteView(note));
  });

  return router;
}
