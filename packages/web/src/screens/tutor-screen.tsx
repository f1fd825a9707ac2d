import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import type { ChatMessage, ChatSession, DocumentRecord } from '../api/types.js';
import { useAction, useApi, useLoad } from '../app-context.js';
import { ErrorMessage, Loading } from '../components/error-message.js';

/** Conversations, and a new one over chosen documents (`preselect`: one already ticked). */
export function TutorScreen({ preselect }: { preselect?: number }) {
  const api = useApi();
  const [, navigate] = useLocation();
  const sessions = useLoad((signal) => api.list<ChatSession>('/api/v1/chat/sessions', { query: { limit: 100 }, signal }), [api]);
  const documents = useLoad((signal) => api.list<DocumentRecord>('/api/v1/documents', { query: { status: 'completed', limit: 100 }, signal }), [api]);
  const [chosen, setChosen] = useState<number[]>(preselect ? [preselect] : []);
  const [title, setTitle] = useState('');
  const create = useAction(async () => {
    const s = await api.post<ChatSession>('/api/v1/chat/sessions', { json: { title: title.trim() || undefined, document_ids: chosen } });
    navigate(`/tutor/${s.id}`);
  });
  const toggle = (id: number) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };

  return (
    <>
      <h1>Tutor</h1>
      <form onSubmit={onSubmit} className="card" aria-labelledby="new-chat">
        <h2 id="new-chat">New conversation</h2>
        <fieldset>
          <legend>Documents the tutor answers from</legend>
          <ErrorMessage error={documents.error} />
          {documents.data?.data.length === 0 && <p className="muted">No processed documents yet: upload one in the Library.</p>}
          {documents.data?.data.map((d) => (
            <label key={d.id} className="check">
              <input type="checkbox" checked={chosen.includes(d.id)} onChange={() => toggle(d.id)} /> {d.title}
            </label>
          ))}
          <p className="muted small">None ticked: the tutor answers from all your documents.</p>
        </fieldset>
        <label>
          Title (optional)
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
        </label>
        <ErrorMessage error={create.error} />
        <button type="submit" disabled={create.busy}>
          Start the conversation
        </button>
      </form>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Past conversations</h2>
        <ErrorMessage error={sessions.error} />
        {!sessions.data && !sessions.error && <Loading what="conversations" />}
        {sessions.data?.data.length === 0 && <p className="muted">No conversations yet.</p>}
        <ul className="plain-list">
          {sessions.data?.data.map((s) => (
            <li key={s.id}>
              <Link href={`/tutor/${s.id}`}>{s.title}</Link>{' '}
              <span className="muted small">
                {s.message_count} message{s.message_count === 1 ? '' : 's'} · {new Date(s.updated_at).toLocaleString()}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function ConversationScreen({ id }: { id: number }) {
  const api = useApi();
  const [, navigate] = useLocation();
  const session = useLoad((signal) => api.get<ChatSession>(`/api/v1/chat/sessions/${id}`, { signal }), [api, id]);
  const history = useLoad((signal) => api.list<ChatMessage>(`/api/v1/chat/sessions/${id}/messages`, { query: { limit: 100 }, signal }), [api, id]);
  const [sent, setSent] = useState<ChatMessage[]>([]);
  const [draft, setDraft] = useState('');
  const end = useRef<HTMLDivElement>(null);
  const ask = useAction(async (message: string) => {
    const answer = await api.post<{ user_message: ChatMessage; ai_response: ChatMessage }>(`/api/v1/chat/sessions/${id}/messages`, { json: { message } });
    setSent((s) => [...s, answer.user_message, answer.ai_response]);
    setDraft('');
  });
  const remove = useAction(async () => {
    if (!window.confirm('Delete this conversation?')) return;
    await api.delete(`/api/v1/chat/sessions/${id}`);
    navigate('/tutor');
  });
  useEffect(() => {
    setSent([]);
  }, [id]);
  useEffect(() => {
    // Braces: newer browsers return a promise from scrollIntoView, which React would take for a cleanup.
    void end.current?.scrollIntoView?.({ block: 'end' });
  }, [sent.length]);

  const messages = [...(history.data?.data ?? []), ...sent.filter((m) => !history.data?.data.some((h) => h.id === m.id))];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) void ask.run(draft.trim());
  };

  if (session.error) return <ErrorMessage error={session.error} />;
  return (
    <>
      <p>
        <Link href="/tutor">← All conversations</Link>
      </p>
      <h1>{session.data?.title ?? 'Conversation'}</h1>
      <ErrorMessage error={history.error} />
      {!history.data && !history.error && <Loading what="the conversation" />}
      <ol className="messages" aria-label="Messages" aria-live="polite">
        {messages.map((m) => (
          <li key={m.id} className={`message ${m.role}`}>
            <span className="visually-hidden">{m.role === 'user' ? 'You:' : 'Tutor:'}</span>
            {m.role === 'assistant' && m.answer_source === 'not_found' && <p className="notice">Not in your documents</p>}
            <p className="message-text">{m.content}</p>
            {m.citations.length > 0 && (
              <div className="citations">
                <h3 className="small">Sources</h3>
                <ul>
                  {m.citations.map((c, i) => (
                    <li key={i}>
                      <Link href={c.page ? `/documents/${c.document_id}/pages/${c.page}` : `/documents/${c.document_id}`}>
                        {c.title}
                        {c.page ? `, page ${c.page}` : ''}
                      </Link>
                      <q className="small">{c.snippet}</q>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </li>
        ))}
      </ol>
      <div ref={end} />
      <form onSubmit={onSubmit} className="ask">
        <label htmlFor="ask-text">Your question</label>
        <textarea
          id="ask-text"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          maxLength={4000}
          rows={3}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              if (draft.trim() && !ask.busy) void ask.run(draft.trim());
            }
          }}
        />
        <ErrorMessage error={ask.error} />
        <div className="actions">
          <button type="submit" disabled={ask.busy || !draft.trim()}>
            {ask.busy ? 'The tutor is answering…' : 'Ask'}
          </button>
          <button type="button" className="danger" onClick={() => void remove.run()}>
            Delete conversation
          </button>
        </div>
        <ErrorMessage error={remove.error} />
      </form>
    </>
  );
}
