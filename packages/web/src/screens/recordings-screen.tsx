import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { Transcription } from '../api/types.js';
import { useAction, useApi, useLoad, usePolling } from '../app-context.js';
import { ErrorMessage, Loading } from '../components/error-message.js';
import { StatusBadge } from '../components/status-badge.js';
import { Uploader } from '../components/uploader.js';
import { uploadFile } from '../components/uploads.js';

const RUNNING = new Set(['queued', 'in_progress']);

export function RecordingsScreen() {
  const api = useApi();
  const list = useLoad((signal) => api.list<Transcription>('/api/v1/stt/transcriptions', { query: { limit: 100 }, signal }), [api]);
  usePolling(list.data?.data.some((t) => RUNNING.has(t.status)) ?? false, list.reload);
  return (
    <>
      <h1>Recordings</h1>
      <Recorder onUploaded={list.reload} />
      <Uploader accept="audio/*,.wav,.mp3,.flac,.ogg,.m4a,.webm" label="Choose audio files" onUploaded={() => list.reload()} />
      <section aria-labelledby="rec-heading">
        <h2 id="rec-heading">Transcriptions</h2>
        <ErrorMessage error={list.error} />
        {!list.data && !list.error && <Loading what="transcriptions" />}
        {list.data?.data.length === 0 && <p className="muted">No recordings yet.</p>}
        <ul className="doc-list">
          {list.data?.data.map((t) => (
            <li key={t.id} className="card doc-row">
              <Link href={`/recordings/${t.id}`} className="doc-title">
                {t.filename}
              </Link>
              <span className="muted small">{new Date(t.created_at).toLocaleString()}</span>
              <StatusBadge status={t.status} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** Records from the microphone with MediaRecorder and uploads the clip for transcription. */
function Recorder({ onUploaded }: { onUploaded: () => void }) {
  const api = useApi();
  const [recording, setRecording] = useState(false);
  const [seconds, setSeconds] = useState(0);
  const recorder = useRef<MediaRecorder | null>(null);
  const supported = typeof window !== 'undefined' && 'MediaRecorder' in window && !!navigator.mediaDevices?.getUserMedia;
  const upload = useAction(async (blob: Blob) => {
    const ext = blob.type.includes('ogg') ? 'ogg' : blob.type.includes('mp4') ? 'm4a' : 'webm';
    const file = new File([blob], `recording-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${ext}`, { type: blob.type });
    await uploadFile(api, file, () => undefined);
    onUploaded();
  });
  const start = useAction(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const chunks: Blob[] = [];
    const r = new MediaRecorder(stream);
    r.addEventListener('dataavailable', (e) => chunks.push(e.data));
    r.addEventListener('stop', () => {
      stream.getTracks().forEach((t) => t.stop());
      setRecording(false);
      void upload.run(new Blob(chunks, { type: r.mimeType || 'audio/webm' }));
    });
    r.start();
    recorder.current = r;
    setSeconds(0);
    setRecording(true);
  });
  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [recording]);
  useEffect(() => () => recorder.current?.stream.getTracks().forEach((t) => t.stop()), []);

  if (!supported) return <p className="muted">This browser cannot record audio; upload a recording instead.</p>;
  return (
    <section aria-labelledby="record-heading" className="card">
      <h2 id="record-heading">Record</h2>
      {recording ? (
        <button type="button" className="danger" onClick={() => recorder.current?.stop()}>
          Stop recording ({seconds} s)
        </button>
      ) : (
        <button type="button" onClick={() => void start.run()} disabled={upload.busy}>
          {upload.busy ? 'Uploading the recording…' : 'Start recording'}
        </button>
      )}
      {start.error !== null && (
        <p role="alert" className="error">
          {start.error instanceof DOMException && start.error.name === 'NotAllowedError'
            ? 'The browser was not allowed to use the microphone. Allow it in the site settings, or upload a recording.'
            : 'No microphone could be opened. Upload a recording instead.'}
        </p>
      )}
      <ErrorMessage error={upload.error} />
    </section>
  );
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function RecordingScreen({ id }: { id: string }) {
  const api = useApi();
  const t = useLoad((signal) => api.get<Transcription>(`/api/v1/stt/transcriptions/${encodeURIComponent(id)}`, { signal }), [api, id]);
  usePolling(!!t.data && RUNNING.has(t.data.status), t.reload);
  const [title, setTitle] = useState('');
  const [savedId, setSavedId] = useState<number | null>(null);
  const save = useAction(async () => {
    const doc = await api.post<{ id: number }>(`/api/v1/stt/transcriptions/${encodeURIComponent(id)}/document`, { json: title.trim() ? { title: title.trim() } : {} });
    setSavedId(doc.id);
  });
  if (t.error) return <ErrorMessage error={t.error} />;
  if (!t.data) return <Loading what="the recording" />;
  const r = t.data;
  const documentId = savedId ?? r.document_id;
  return (
    <>
      <p>
        <Link href="/recordings">← All recordings</Link>
      </p>
      <h1>{r.filename}</h1>
      <p>
        <StatusBadge status={r.status} />
        {r.duration_seconds !== null && <span className="muted small"> {clock(r.duration_seconds)} long</span>}
      </p>
      {RUNNING.has(r.status) && <p role="status">Transcribing; this page updates by itself.</p>}
      {r.status === 'failed' && <p className="error">The transcription failed: {r.error ?? 'no reason given'}</p>}
      {r.status === 'completed' && (
        <>
          <section aria-labelledby="transcript-heading">
            <h2 id="transcript-heading">Transcript</h2>
            {r.segments.length > 0 ? (
              <ol className="segments">
                {r.segments.map((s, i) => (
                  <li key={i}>
                    <span className="time">
                      {clock(s.start)}–{clock(s.end)}
                    </span>{' '}
                    {s.speaker && <strong>{s.speaker}: </strong>}
                    {s.text}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-body">{r.transcript || <span className="muted">No speech was recognised.</span>}</p>
            )}
          </section>
          {documentId !== null ? (
            <p>
              Saved as a document: <Link href={`/documents/${documentId}`}>open it</Link>
            </p>
          ) : (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void save.run();
              }}
            >
              <label htmlFor="doc-title">Title of the document</label>
              <input id="doc-title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder={r.filename} maxLength={200} />
              <button type="submit" disabled={save.busy || !r.transcript}>
                Save as a document
              </button>
            </form>
          )}
          <ErrorMessage error={save.error} />
        </>
      )}
    </>
  );
}
