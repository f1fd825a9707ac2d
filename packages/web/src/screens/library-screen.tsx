import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import type { DocumentRecord, SearchHit } from '../api/types.js';
import { useAction, useApi, useLoad, usePolling } from '../app-context.js';
import { ErrorMessage, Loading } from '../components/error-message.js';
import { Highlighted } from '../components/highlighted.js';
import { StatusBadge } from '../components/status-badge.js';
import { Uploader } from '../components/uploader.js';
import { formatBytes } from '../components/uploads.js';

const BUSY = new Set(['uploaded', 'processing']);

export function LibraryScreen() {
  const api = useApi();
  const documents = useLoad((signal) => api.list<DocumentRecord>('/api/v1/documents', { query: { limit: 100 }, signal }), [api]);
  const busy = documents.data?.data.some((d) => BUSY.has(d.status)) ?? false;
  usePolling(busy, documents.reload);

  return (
    <>
      <h1>Library</h1>
      <Uploader onUploaded={() => documents.reload()} />
      <Search />
      <section aria-labelledby="docs-heading">
        <h2 id="docs-heading">Your documents</h2>
        <ErrorMessage error={documents.error} />
        {!documents.data && !documents.error && <Loading what="your documents" />}
        {documents.data?.data.length === 0 && <p className="muted">No documents yet: upload a PDF, a text file or a picture of a page.</p>}
        <ul className="doc-list">
          {documents.data?.data.map((d) => (
            <li key={d.id} className="card doc-row">
              <Link href={`/documents/${d.id}`} className="doc-title">
                {d.title}
              </Link>
              <span className="muted small">
                {d.file_type.toUpperCase()} · {formatBytes(d.file_size)}
                {d.pages ? ` · ${d.pages} page${d.pages === 1 ? '' : 's'}` : ''}
              </span>
              <StatusBadge status={d.status} />
              {d.status === 'failed' && d.error && <span className="error small">{d.error}</span>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Search() {
  const api = useApi();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const search = useAction(async (query: string) => {
    setHits(await api.get<SearchHit[]>('/api/v1/documents/search', { query: { q: query } }));
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim()) void search.run(q.trim());
  };
  return (
    <section aria-labelledby="search-heading">
      <h2 id="search-heading">Search your documents</h2>
      <form role="search" onSubmit={onSubmit} className="inline-form">
        <label htmlFor="search-q" className="visually-hidden">
          Search text
        </label>
        <input id="search-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. photosynthesis" />
        <button type="submit" disabled={search.busy}>
          Search
        </button>
      </form>
      <ErrorMessage error={search.error} />
      {hits && hits.length === 0 && <p role="status">Nothing found for that in your documents.</p>}
      {hits && hits.length > 0 && (
        <ol className="hits" aria-label="Search results">
          {hits.map((h) => (
            <li key={h.passage_id}>
              <Link href={`/documents/${h.document_id}/pages/${h.page}`}>
                {h.title}, page {h.page}
              </Link>
              <p className="snippet">
                <Highlighted snippet={h.snippet} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
