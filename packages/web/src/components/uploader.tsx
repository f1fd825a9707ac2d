import { useId, useRef, useState, type DragEvent } from 'react';
import type { UploadProgress } from '../api/client.js';
import { useApi } from '../app-context.js';
import { ErrorMessage } from './error-message.js';
import { acceptedTypes, formatBytes, percentSent, uploadFile, uploadKind, type UploadKind, type UploadResult } from './uploads.js';

interface UploadItem {
  key: number;
  name: string;
  size: number;
  kind: UploadKind;
  progress: UploadProgress | null;
  state: 'uploading' | 'done' | 'failed';
  error: unknown;
  result?: UploadResult;
}

let nextKey = 1;

/**
 * Pick or drop files (documents or audio); each gets a progress bar while its bytes are sent,
 * then a line saying where it went. `onUploaded` runs once per file the server accepted.
 */
export function Uploader({ onUploaded, accept, label = 'Choose files' }: { onUploaded: (r: UploadResult) => void; accept?: string; label?: string }) {
  const api = useApi();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);

  const update = (key: number, patch: Partial<UploadItem>) => setItems((all) => all.map((it) => (it.key === key ? { ...it, ...patch } : it)));

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = nextKey++;
      setItems((all) => [{ key, name: file.name, size: file.size, kind: uploadKind(file), progress: null, state: 'uploading', error: null }, ...all]);
      uploadFile(api, file, (progress) => update(key, { progress })).then(
        (result) => {
          update(key, { state: 'done', result, progress: { loaded: file.size, total: file.size } });
          onUploaded(result);
        },
        (error: unknown) => update(key, { state: 'failed', error }),
      );
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) start(e.dataTransfer.files);
  };

  return (
    <section aria-label="Upload" className="uploader">
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop files here, or</p>
        <label htmlFor={inputId} className="button">
          {label}
        </label>
        <input
          id={inputId}
          ref={input}
          className="visually-hidden-input"
          type="file"
          multiple
          accept={accept}
          onChange={(e) => {
            if (e.target.files?.length) start(e.target.files);
            e.target.value = '';
          }}
        />
        <p className="muted small">PDF, text, PNG or JPEG images become documents; audio (WAV, MP3, OGG, WebM…) is transcribed.</p>
      </div>
      {items.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {items.map((it) => (
            <li key={it.key}>
              <span className="upload-name">
                {it.name} <span className="muted">({formatBytes(it.size)})</span>
              </span>
              {it.state === 'uploading' && (
                <progress max={100} value={percentSent(it.progress)} aria-label={`Uploading ${it.name}`}>
                  {percentSent(it.progress)}%
                </progress>
              )}
              {it.state === 'uploading' && <span className="muted"> {percentSent(it.progress)}%</span>}
              {it.state === 'done' && (
                <span role="status" className="ok">
                  {it.result?.kind === 'recording' ? ' Uploaded: transcription started (see Recordings).' : ' Uploaded: processing started.'}
                </span>
              )}
              {it.state === 'failed' && <ErrorMessage error={it.error} accepted={acceptedTypes(it.kind)} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
