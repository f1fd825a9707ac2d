import type { ApiClient, UploadProgress } from '../api/client.js';
import { AUDIO_TYPES, DOCUMENT_TYPES } from '../api/errors.js';
import type { DocumentRecord, Transcription } from '../api/types.js';

export type UploadKind = 'document' | 'recording';

const AUDIO_EXTENSIONS = ['wav', 'mp3', 'flac', 'ogg', 'oga', 'm4a', 'webm', 'weba'];

/** Audio goes to speech to text, everything else to the documents (which judge the type themselves). */
export function uploadKind(file: { name: string; type: string }): UploadKind {
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  return file.type.startsWith('audio/') || AUDIO_EXTENSIONS.includes(ext) ? 'recording' : 'document';
}

export function acceptedTypes(kind: UploadKind): string {
  return kind === 'recording' ? AUDIO_TYPES : DOCUMENT_TYPES;
}

/** Whole percent sent, 0 before the first byte; never 100 until every byte has left. */
export function percentSent(progress: UploadProgress | null): number {
  if (!progress || progress.total <= 0) return 0;
  const pct = Math.floor((progress.loaded / progress.total) * 100);
  return Math.min(100, Math.max(0, pct));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export type UploadResult = { kind: 'document'; document: DocumentRecord } | { kind: 'recording'; transcription: Transcription };

/** Sends one file where it belongs, reporting progress. */
export async function uploadFile(api: ApiClient, file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<UploadResult> {
  const form = new FormData();
  if (uploadKind(file) === 'recording') {
    form.append('audio', file, file.name);
    const transcription = await api.upload<Transcription>('/api/v1/stt/transcribe', form, onProgress, signal);
    return { kind: 'recording', transcription };
  }
  form.append('file', file, file.name);
  const document = await api.upload<DocumentRecord>('/api/v1/documents/upload', form, onProgress, signal);
  return { kind: 'document', document };
}
