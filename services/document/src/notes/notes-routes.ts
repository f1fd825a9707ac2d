import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '@learner/common/auth';
import { NotFoundError } from '@learner/common/errors';
import { parseInput, sendData } from '@learner/common/http';
import { documentIdOf } from '../documents/documents-routes.js';
import { plainText } from '../text/plain-text.js';
import type { NoteRecord } from './notes-repository.js';
import type { NotesService } from './notes-service.js';

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
export function createNotesRouter(deps: { notes: NotesService }): Router {
  const router = Router();

  router.get('/:id/notes', async (req, res) => {
    sendData(res, (await deps.notes.forDocument(currentUser(req).id, documentIdOf(req))).map(noteView));
  });

  router.put('/:id/notes/:noteId', async (req, res) => {
    const documentId = documentIdOf(req);
    const input = parseInput(noteEdit, req.body);
    // An id that cannot be a note's names no note.
    if (!/^\d{1,9}$/.test(req.params.noteId ?? '')) throw new NotFoundError('Note not found');
    sendData(res, noteView(await deps.notes.edit(currentUser(req).id, documentId, Number(req.params.noteId), input.content)));
  });

  return router;
}
