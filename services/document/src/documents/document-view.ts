import type { DocumentView } from '@learner/common/contracts';
import type { DocumentRecord } from './document-repository.js';

/** A document as the API answers it. */
export function documentView(doc: DocumentRecord): DocumentView {
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
  };
}
