import type { DocumentView } from '@learner/common/contracts';
import type { StudyPackRecord } from '../study-packs/study-pack-repository.js';
import { studyPackView } from '../study-packs/study-pack-view.js';
import type { DocumentRecord } from './document-repository.js';

/** A document as the API answers it; with its study pack when the packs of the user's documents are given. */
export function documentView(doc: DocumentRecord, packs?: Map<number, StudyPackRecord>): DocumentView {
  const pack = packs?.get(doc.id);
  return {
    id: doc.id,
    title: doc.title,
    filename: doc.filename,
    file_type: doc.fileType,
    content_type: doc.contentType,
    file_size: doc.fileSize,
    source: doc.source,
    status: doc.status,
    error: doc.error,
    pages: doc.pages,
    text_length: doc.textLength,
    created_at: doc.createdAt.toISOString(),
    updated_at: doc.updatedAt.toISOString(),
    processed_at: doc.processedAt?.toISOString() ?? null,
    ...(packs ? { study_pack: pack ? studyPackView(doc, pack) : null } : {}),
  };
}
