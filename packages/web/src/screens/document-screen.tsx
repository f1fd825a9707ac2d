import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError } from '../api/errors.js';
import type { DocumentRecord, DocumentText, Note, Speech } from '../api/types.js';
import { useAction, useApi, useLoad, usePolling } from '../app-context.js';
import { ErrorMessage, Loading } from '../components/error-message.js';
import { StatusBadge } from '../components/status-badge.js';

/** The speech service reads at most this many characters at once. */
const SPEECH_LIMIT = 3000;

export function DocumentScreen({ id, page }: { id: number; page: number }) {
  const api = useApi();
  const doc = useLoad((signal) => api.get<DocumentRecord>(`/api/v1/documents/${id}`, { signal }), [api, id]);
  const status = doc.data?.status;
  const ready = status === 'completed';
  usePolling(status === 'uploaded' || status === 'processing', doc.reload);

  if (doc.error) return <ErrorMessage error={doc.error} />;
  if (!doc.data) return <Loading what="the document" />;
  const d = doc.data;
  return (
    <>
      <p>
        <Link href="/">← Library</Link>
      </p>
      <h1>{d.title}</h1>
      <p>
        <StatusBadge status={d.status} /> <span className="muted small">{d.filename}</span>
      </p>
      {d.status === 'failed' && <p className="error">Processing failed: {d.error ?? 'no reason given'}</p>}
      <DocumentActions doc={d} />
      {ready && (
        <div className="doc-layout">
          <PageText id={id} page={page} pages={d.pages ?? 1} />
          <Notes id={id} />
        </div>
      )}
    </>
  );
}

function DocumentActions({ doc }: { doc: DocumentRecord }) {
  const api = useApi();
  const [, navigate] = useLocation();
  const download = useAction(async () => {
    const { url } = await api.get<{ url: string }>(`/api/v1/documents/${doc.id}/download`);
    const a = document.createElement('a');
    a.href = url;
    a.download = doc.filename;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
  });
  const remove = useAction(async () => {
    if (!window.confirm(`Delete “${doc.title}”? Its file, text and notes are removed for good.`)) return;
    await api.delete(`/api/v1/documents/${doc.id}`);
    navigate('/');
  });
  return (
    <div className="actions">
      {doc.status === 'completed' && (
        <>
          <Link className="button secondary" href={`/quizzes/new/${doc.id}`}>
            Make a quiz
          </Link>
          <Link className="button secondary" href={`/tutor/new/${doc.id}`}>
            Ask the tutor
          </Link>
        </>
      )}
      <button type="button" className="secondary" onClick={() => void download.run()} disabled={download.busy}>
        Download
      </button>
      <button type="button" className="danger" onClick={() => void remove.run()} disabled={remove.busy}>
        Delete
      </button>
      <ErrorMessage error={download.error ?? remove.error} />
    </div>
  );
}

function PageText({ id, page, pages }: { id: number; page: number; pages: number }) {
  const api = useApi();
  const text = useLoad((signal) => api.get<DocumentText>(`/api/v1/documents/${id}/text`, { query: { page }, signal }), [api, id, page]);
  const [speech, setSpeech] = useState<Speech | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setSpeech(null);
  }, [id, page]);
  useEffect(() => {
    // A citation or search hit opens a page: take focus there so reading starts at it.
    if (location.hash.includes('/pages/')) heading.current?.focus();
  }, [id, page]);
  const body = text.data?.pages.find((p) => p.page === page)?.text ?? text.data?.pages[0]?.text ?? '';
  const readAloud = useAction(async () => {
    const slice = body.slice(0, SPEECH_LIMIT);
    setSpeech(await api.post<Speech>('/api/v1/tts/synthesize', { json: { text: slice, format: 'mp3' } }));
  });
  return (
    <section aria-labelledby="page-heading" className="page-text">
      <h2 id="page-heading" ref={heading} tabIndex={-1}>
        Page {page} of {pages}
      </h2>
      {pages > 1 && (
        <nav aria-label="Pages" className="pager">
          {page > 1 && <Link href={`/documents/${id}/pages/${page - 1}`}>← Previous page</Link>}
          {page < pages && <Link href={`/documents/${id}/pages/${page + 1}`}>Next page →</Link>}
        </nav>
      )}
      <ErrorMessage error={text.error} />
      {!text.data && !text.error && <Loading what="the text" />}
      {text.data && (
        <>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void readAloud.run()} disabled={readAloud.busy || !body.trim()}>
              {readAloud.busy ? 'Preparing audio…' : 'Read this page aloud'}
            </button>
            {body.length > SPEECH_LIMIT && <span className="muted small">Reads the first {SPEECH_LIMIT} characters.</span>}
          </div>
          <ErrorMessage error={readAloud.error} />
          {speech && (
            <audio controls autoPlay src={speech.audio_url} aria-label={`Page ${page} read aloud`}>
              Your browser cannot play this audio.
            </audio>
          )}
          <div className="text-body">{body.trim() ? body : <span className="muted">This page has no text.</span>}</div>
        </>
      )}
    </section>
  );
}

const NOTE_TITLES: Record<Note['kind'], string> = { summary: 'Summary', key_points: 'Key points', key_terms: 'Key terms' };
const NOTE_ORDER: Note['kind'][] = ['summary', 'key_points', 'key_terms'];

function Notes({ id }: { id: number }) {
  const api = useApi();
  const notes = useLoad((signal) => api.get<Note[]>(`/api/v1/documents/${id}/notes`, { signal }), [api, id]);
  // 409: the notes are still being written.
  const pending = notes.error instanceof ApiError && notes.error.status === 409;
  usePolling(pending, notes.reload, 3000);
  const sorted = [...(notes.data ?? [])].sort((a, b) => NOTE_ORDER.indexOf(a.kind) - NOTE_ORDER.indexOf(b.kind));
  return (
    <section aria-labelledby="notes-heading" className="notes">
      <h2 id="notes-heading">Notes</h2>
      {pending ? <p role="status">The notes are still being written…</p> : <ErrorMessage error={notes.error} />}
      {!notes.data && !notes.error && <Loading what="the notes" />}
      {notes.data?.length === 0 && <p className="muted">No notes for this document.</p>}
      {sorted.map((n) => (
        <NoteCard key={n.id} note={n} docId={id} onSaved={(saved) => notes.setData((notes.data ?? []).map((x) => (x.id === saved.id ? saved : x)))} />
      ))}
    </section>
  );
}

function NoteCard({ note, docId, onSaved }: { note: Note; docId: number; onSaved: (n: Note) => void }) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note.content);
  const title = NOTE_TITLES[note.kind];
  const save = useAction(async () => {
    const saved = await api.put<Note>(`/api/v1/documents/${docId}/notes/${note.id}`, { json: { content: draft } });
    onSaved(saved);
    setEditing(false);
  });
  const showItems = !note.edited && note.items.length > 0;
  return (
    <article className="card note" aria-labelledby={`note-${note.id}`}>
      <h3 id={`note-${note.id}`}>
        {title} {note.edited && <span className="muted small">(edited)</span>}
      </h3>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save.run();
          }}
        >
          <label htmlFor={`note-text-${note.id}`} className="visually-hidden">
            {title}
          </label>
          <textarea id={`note-text-${note.id}`} value={draft} onChange={(e) => setDraft(e.target.value)} rows={8} />
          <ErrorMessage error={save.error} />
          <div className="actions">
            <button type="submit" disabled={save.busy}>
              Save
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {showItems && note.kind === 'key_terms' ? (
            <dl className="terms">
              {note.items.map((item, i) => (
                <div key={i}>
                  <dt>{item.term ?? item.text}</dt>
                  <dd>
                    {item.text}{' '}
                    <Link href={`/documents/${docId}/pages/${item.page}`} className="small">
                      p. {item.page}
                    </Link>
                  </dd>
                </div>
              ))}
            </dl>
          ) : showItems && note.kind === 'key_points' ? (
            <ul>
              {note.items.map((item, i) => (
                <li key={i}>
                  {item.text}{' '}
                  <Link href={`/documents/${docId}/pages/${item.page}`} className="small">
                    p. {item.page}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="note-text">{note.content}</p>
          )}
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              setDraft(note.content);
              setEditing(true);
            }}
          >
            Edit {title.toLowerCase()}
          </button>
        </>
      )}
    </article>
  );
}
