import type { Queryable } from '@learner/common/db';
import type { GeneratedNote, NoteItem, NoteKind } from './notes-generator.js';

export interface NoteRecord {
  id: number;
  documentId: number;
  kind: NoteKind;
  content: string;
  items: NoteItem[];
  generator: string;
  edited: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface NoteRow {
  id: number;
  document_id: number;
  kind: NoteKind;
  content: string;
  items: NoteItem[];
  generator: string;
  edited: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, document_id, kind, content, items, generator, edited, created_at, updated_at';
const KIND_ORDER = "array_position(ARRAY['summary', 'key_points', 'key_terms'], kind)";

function toRecord(row: NoteRow): NoteRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    kind: row.kind,
    content: row.content,
    items: row.items,
    generator: row.generator,
    edited: row.edited,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createNotesRepository(db: Queryable) {
  return {
    async replace(documentId: number, userId: string, notes: GeneratedNote[], tx: Queryable = db): Promise<void> {
      await tx.query('DELETE FROM notes WHERE document_id = $1', [documentId]);
      for (const note of notes) {
        await tx.query(
          `INSERT INTO notes (document_id, user_id, kind, content, items, generator) VALUES ($1, $2, $3, $4, $5, $6)`,
          [documentId, userId, note.kind, note.content, JSON.stringify(note.items), note.generator],
        );
      }
    },

    async forDocument(documentId: number): Promise<NoteRecord[]> {
      const { rows } = await db.query<NoteRow>(
        `SELECT ${COLUMNS} FROM notes WHERE document_id = $1 ORDER BY ${KIND_ORDER}, id`,
        [documentId],
      );
      return rows.map(toRecord);
    },

    async updateContent(documentId: number, noteId: number, content: string): Promise<NoteRecord | undefined> {
      const { rows } = await db.query<NoteRow>(
        `UPDATE notes SET content = $3, edited = true, updated_at = now()
         WHERE id = $2 AND document_id = $1 RETURNING ${COLUMNS}`,
        [documentId, noteId, content],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
  };
}

export type NotesRepository = ReturnType<typeof createNotesRepository>;
