import { randomUUID } from 'node:crypto';
import { assertUserNotErased, type DocumentDeletedPayload } from '@learner/common/contracts';
import { withTransaction, type Pool } from '@learner/common/db';
import { ConflictError, NotFoundError, UnsupportedMediaTypeError, ValidationError } from '@learner/common/errors';
import { createEvent, enqueueEvent, TOPICS } from '@learner/common/events';
import type { Logger } from '@learner/common/logger';
import type { ObjectStorage, SignedUrl } from '@learner/common/storage';
import { stripControl } from '../text/plain-text.js';
import { detectFileType } from './detect-file-type.js';
import { createStudyPackRepository } from '../study-packs/study-pack-repository.js';
import { createDocumentRepository, type DocumentRecord, type PageText, type StoredPassage } from './document-repository.js';

export const SERVICE = 'document';

export interface UploadInput {
  userId: string;
  bytes: Buffer;
  filename: string;
  title?: string | undefined;
  source?: string | undefined;
  /**
   * Make a study pack of the document (a quiz and, with `audio`, an audio summary of the notes once
   * processed). With `originKey`, an upload of the same origin answers the document made first.
   */
  studyPack?: { originKey?: string | undefined; audio: boolean } | undefined;
}

/** A storage key segment made only of characters that are safe in S3 keys, URLs and file names. */
function safeSegment(text: string, fallback: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-120);
  return cleaned || fallback;
}

export function storageKeyFor(userId: string, filename: string): string {
  return `users/${safeSegment(userId, 'user')}/documents/${randomUUID()}-${safeSegment(filename, 'file')}`;
}

function titleFrom(filename: string): string {
  const base = filename.replace(/\.[A-Za-z0-9]{1,8}$/, '').trim();
  return (base || filename || 'Untitled document').slice(0, 500);
}

export function createDocumentService(deps: {
  pool: Pool;
  storage: ObjectStorage;
  logger: Logger;
  /** Called after a document was queued, so the worker starts at once rather than at its next poll. */
  onQueued?: () => void;
}) {
  const repo = createDocumentRepository(deps.pool);
  const packs = createStudyPackRepository(deps.pool);

  /** The document a study pack of this origin was made with, when one was. */
  const madeFrom = async (userId: string, originKey: string | undefined): Promise<DocumentRecord | undefined> => {
    const id = originKey ? await packs.documentOfOrigin(userId, originKey) : undefined;
    return id === undefined ? undefined : repo.findForUser(userId, id);
  };

  const requireDocument = async (userId: string, id: number): Promise<DocumentRecord> => {
    const doc = await repo.findForUser(userId, id);
    if (!doc) throw new NotFoundError('Document not found');
    return doc;
  };

  const requireCompleted = async (userId: string, id: number): Promise<DocumentRecord> => {
    const doc = await requireDocument(userId, id);
    if (doc.status !== 'completed') {
      throw new ConflictError(`The document's text is not available while it is ${doc.status}`, { status: doc.status });
    }
    return doc;
  };

  return {
    /**
     * Stores the file, then records the document and its event in one transaction; if recording
     * fails, the stored file is removed again.
     */
    async upload(input: UploadInput): Promise<DocumentRecord> {
      if (input.bytes.length === 0) throw new ValidationError('The file is empty', { file: 'empty file' });
      const earlier = await madeFrom(input.userId, input.studyPack?.originKey);
      if (earlier) return earlier;
      const detected = await detectFileType(input.bytes, input.filename);
      if (!detected) {
        throw new UnsupportedMediaTypeError('Only PDF, UTF-8 text or markdown, PNG and JPEG files are accepted');
      }
      const filename = stripControl(input.filename).trim().slice(0, 500) || `document.${detected.fileType}`;
      const key = storageKeyFor(input.userId, filename);
      await deps.storage.put(key, input.bytes, { contentType: detected.contentType });
      try {
        const doc = await withTransaction(deps.pool, async (tx) => {
          // An erasure of the account that arrived while the file was stored: keep nothing.
          await assertUserNotErased(tx, input.userId);
          const created = await repo.insert(
            {
              userId: input.userId,
              title: input.title?.trim() || titleFrom(filename),
              filename,
              storageKey: key,
              fileType: detected.fileType,
              contentType: detected.contentType,
              fileSize: input.bytes.length,
              source: input.source ?? 'upload',
            },
            tx,
          );
          if (input.studyPack) {
            const pack = { documentId: created.id, userId: input.userId, originKey: input.studyPack.originKey ?? null, withAudio: input.studyPack.audio };
            await packs.insert(pack, tx);
          }
          await enqueueEvent(
            tx,
            TOPICS.documentUploaded,
            createEvent({
              type: TOPICS.documentUploaded,
              userId: input.userId,
              service: SERVICE,
              payload: {
                document_id: created.id,
                title: created.title,
                filename: created.filename,
                file_type: created.fileType,
                file_size: created.fileSize,
                source: created.source,
                study_pack: Boolean(input.studyPack),
                s3_url: deps.storage.uri(key),
              },
            }),
          );
          return created;
        });
        deps.onQueued?.();
        return doc;
      } catch (err) {
        await deps.storage.delete(key).catch((cleanupErr: unknown) => {
          deps.logger.warn({ err: cleanupErr, key }, 'could not remove the file of a failed upload');
        });
        // Two uploads of the same origin at once: the second finds the first's pack.
        const raced = (err as { code?: string }).code === '23505' ? await madeFrom(input.userId, input.studyPack?.originKey) : undefined;
        if (raced) return raced;
        throw err;
      }
    },

    /** The study packs of these documents, by document id (documents without one are absent). */
    studyPacks: (documentIds: number[]) => packs.forDocuments(documentIds),

    get: requireDocument,

    list: repo.list,

    async requeue(userId: string, id: number): Promise<DocumentRecord> {
      const doc = await repo.requeue(userId, id);
      if (!doc) throw new NotFoundError('Document not found');
      deps.onQueued?.();
      return doc;
    },

    /** Pages of a completed document; 409 while there is no text yet. */
    async text(userId: string, id: number, page?: number): Promise<{ doc: DocumentRecord; pages: PageText[] }> {
      const doc = await requireCompleted(userId, id);
      const pages = await repo.pages(id, page);
      if (page !== undefined && pages.length === 0) {
        throw new NotFoundError(`The document has no page ${page}`, { pages: doc.pages });
      }
      return { doc, pages };
    },

    /** The passages processing cut a completed document into, in reading order; 409 while there are none yet. */
    async passages(userId: string, id: number): Promise<{ doc: DocumentRecord; passages: StoredPassage[] }> {
      const doc = await requireCompleted(userId, id);
      return { doc, passages: await repo.passages(id) };
    },

    async downloadUrl(userId: string, id: number): Promise<SignedUrl> {
      const doc = await requireDocument(userId, id);
      return deps.storage.signedUrl(doc.storageKey, { downloadName: doc.filename });
    },

    /**
     * Removes the row (pages, passages and notes go with it) and records document.deleted in the
     * same transaction, so the services holding what was made from it hear of it; then the stored file.
     */
    async remove(userId: string, id: number): Promise<DocumentRecord> {
      const doc = await withTransaction(deps.pool, async (tx) => {
        const removed = await repo.deleteForUser(userId, id, tx);
        if (!removed) throw new NotFoundError('Document not found');
        await enqueueEvent(
          tx,
          TOPICS.documentDeleted,
          createEvent({
            type: TOPICS.documentDeleted,
            userId,
            service: SERVICE,
            payload: { document_id: removed.id, title: removed.title, filename: removed.filename } satisfies DocumentDeletedPayload,
          }),
        );
        return removed;
      });
      await deps.storage.delete(doc.storageKey).catch((err: unknown) => {
        deps.logger.warn({ err, key: doc.storageKey }, 'could not remove the file of a deleted document');
      });
      return doc;
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
