// Learning benchmark (issue 11): the tutor, the quizzes and the notes measured on the dev set of
// keyed textbook questions, each figure beside the issue's goal. Prints figures; asserts nothing.
//
// Run: `pnpm --filter @learner/bench... build` (it runs the services' built code), the local
// servers up (`scripts/infra/up.sh`: PostgreSQL), then `node bench/learning/run.mjs`.
// The dev set is read from ../shared/datasets/openstax-sociology beside the repository
// (LEARNING_DATASET=<dir> to point elsewhere); LEARNING_LIMIT=<n> uses only its first n sections.
// With EMBEDDINGS_BASE_URL set (in the environment or .infra/env, as the tests read it) the document
// service embeds passages and ranks by hybrid retrieval; with EMBEDDINGS_MODEL / EMBEDDINGS_API_KEY /
// EMBEDDINGS_INPUT_TYPE too, it gets an adapter for that endpoint. The run says which retrieval it used;
// `EMBEDDINGS_BASE_URL= node bench/learning/run.mjs` measures full-text retrieval alone.
// Figures also go to bench/results/learning-<timestamp>.json (git-ignored) for comparing runs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { closeServer, listen } from '@learner/common/http';
import { createTestDatabase, infraEnv } from '@learner/common/testing';
import { createChatDependencies } from '@learner/chat/dist/dependencies.js';
import { createExtractiveNotes } from '@learner/document/dist/notes/extractive-notes.js';
import { assembleDocumentService } from '@learner/document/testing';
import { createQuizDependencies } from '@learner/quiz/dist/dependencies.js';
import { createQuizService } from '@learner/quiz/dist/quizzes/quiz-service.js';
import { contentWords, glossaryMatch, junkReason, namesTerm, supportsKey, testsTerm } from './measures.mjs';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const datasetDir = resolve(process.env.LEARNING_DATASET ?? join(repoRoot, '..', 'shared', 'datasets', 'openstax-sociology'));
const LIMIT = process.env.LEARNING_LIMIT ? Number(process.env.LEARNING_LIMIT) : Infinity;
const BOOK_PAGES = 100;
const PAGE_CHARS = 2700;
const LATENCY_QUESTIONS = 50;
const QUIZ = { numQuestions: 10, difficulty: 'medium', questionTypes: ['multiple_choice', 'true_false', 'short_answer'], seed: 11 };
const EXAMPLE_SEED = 2024;
const CONCURRENCY = 4;

const log = (message) => process.stderr.write(`[learning] ${message}\n`);
const share = (n, d) => (d ? n / d : null);
const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readJsonl(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

/** Runs `fn` over `items`, `limit` at a time, keeping the order of the results. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// ---------------------------------------------------------------------------------------------
// The dev set.

const sectionsFile = join(datasetDir, 'sections.jsonl');
const itemsFile = join(datasetDir, 'items.jsonl');
if (!existsSync(sectionsFile) || !existsSync(itemsFile)) {
  console.log(`learning benchmark: no dev set at ${datasetDir} (looked for sections.jsonl and items.jsonl).`);
  console.log('Put the data set there or set LEARNING_DATASET=<dir>; nothing measured.');
  process.exit(0);
}

const sectionNumber = (s) => String(s.section).split('.').map(Number);
const bySection = (a, b) => {
  const [x, y] = [sectionNumber(a), sectionNumber(b)];
  return x[0] - y[0] || (x[1] ?? 0) - (y[1] ?? 0);
};
// One entry a section: the glossary's sections, plus those only the questions come from.
const glossaries = new Map(readJsonl(sectionsFile).map((s) => [s.module_id, s]));
const allItems = readJsonl(itemsFile);
const sectionsById = new Map();
for (const s of glossaries.values()) sectionsById.set(s.module_id, { ...s, items: [] });
for (const item of allItems) {
  if (!sectionsById.has(item.module_id)) {
    sectionsById.set(item.module_id, { module_id: item.module_id, chapter: item.chapter, section: item.section, title: item.title, text: item.text, items: [] });
  }
  sectionsById.get(item.module_id).items.push(item);
}
const sections = [...sectionsById.values()].sort(bySection).slice(0, LIMIT);
const items = sections.flatMap((s) => s.items);
const glossarySections = sections.filter((s) => glossaries.has(s.module_id));
log(`dev set ${datasetDir}: ${sections.length} sections, ${items.length} questions, ${glossarySections.length} sections with glossary terms`);

// ---------------------------------------------------------------------------------------------
// The document service in this process, wired as main.ts wires it without an LLM.

const env = infraEnv();
const embeddings = env.EMBEDDINGS_BASE_URL ? { baseUrl: env.EMBEDDINGS_BASE_URL, model: env.EMBEDDINGS_MODEL, apiKey: env.EMBEDDINGS_API_KEY } : undefined;

/**
 * The document service's embeddings option: the base URL alone means its local (bge) adapter;
 * a model, key or input-type setting means its OpenAI-compatible adapter built with them. Loaded
 * lazily: a document service without embeddings still runs the rest of the benchmark.
 */
async function embeddingsOption() {
  if (!embeddings) return {};
  if (!env.EMBEDDINGS_MODEL && !env.EMBEDDINGS_API_KEY && !env.EMBEDDINGS_INPUT_TYPE) return { embeddings: embeddings.baseUrl };
  const { createOpenAiEmbedder } = await import('@learner/document/dist/embeddings/openai-embedder.js');
  return {
    embeddings: createOpenAiEmbedder({
      baseUrl: embeddings.baseUrl,
      model: env.EMBEDDINGS_MODEL ?? 'bge-small-en-v1.5-q',
      apiKey: env.EMBEDDINGS_API_KEY,
      inputType: env.EMBEDDINGS_INPUT_TYPE === 'true',
      queryPrefix: env.EMBEDDINGS_QUERY_PREFIX ?? '',
      passagePrefix: env.EMBEDDINGS_PASSAGE_PREFIX ?? '',
      batchSize: Number(env.EMBEDDINGS_BATCH_SIZE ?? 32),
      timeoutMs: 60_000,
      queryTimeoutMs: Number(env.EMBEDDINGS_QUERY_TIMEOUT_MS ?? 1500),
    }),
  };
}

let service;
try {
  service = await assembleDocumentService({
    poolSize: 12,
    notes: createExtractiveNotes(),
    maxFileSize: 50 * 1024 * 1024,
    processing: { concurrency: 3, pollMs: 50 },
    ...(await embeddingsOption()),
  });
} catch (err) {
  console.log(`learning benchmark: the document service could not start (${err.message}).`);
  console.log('Start the local servers first: scripts/infra/up.sh (PostgreSQL is needed).');
  process.exit(1);
}
const server = await listen(service.app, 0, '127.0.0.1');
const base = `http://127.0.0.1:${server.address().port}`;
const userOf = (name) => ({ id: `learning-${name}`, email: `${name}@learning.bench` });
const headersOf = (user) => service.tokens.headersFor(user);

// The chat and quiz services as main.ts builds them, over this document service; no LLM endpoint:
// the figures are the extractive tutor's and question generator's.
const clientConfig = { DOCUMENT_SERVICE_URL: base, DOCUMENT_TIMEOUT_MS: 30_000, READY_TIMEOUT_MS: 2_000 };
const { tutor } = createChatDependencies({ config: clientConfig, internalTokens: service.tokens });

let quizDb;
let quizDependencies;
const figures = {};
const table = [];
const row = (measure, value, goal, detail = '') => table.push({ measure, value, goal, detail });

async function api(method, path, user, body) {
  let res;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetch(`${base}${path}`, { method, headers: headersOf(user), ...(body ? { body } : {}) });
      break;
    } catch (err) {
      // A reading may meet a connection the server dropped (e.g. while processing held its event
      // loop); reading again is safe, an upload is not retried.
      if (method !== 'GET' || attempt === 5) throw err;
      log(`  ${method} ${path}: ${err.cause?.code ?? err.message}; reading again`);
      await sleep(500 * attempt);
    }
  }
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json.data;
}

async function upload(user, filename, type, bytes, title) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  form.append('title', title);
  return (await api('POST', '/api/v1/documents/upload', user, form)).id;
}

/** Waits until every document is completed (or failed); returns the seconds each took from `since`. */
async function waitProcessed(docs, since, timeoutMs) {
  const pending = new Set(docs);
  const seconds = new Map();
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  while (pending.size) {
    for (const doc of [...pending]) {
      const view = await api('GET', `/api/v1/documents/${doc.id}`, doc.user);
      if (view.status === 'completed' || view.status === 'failed') {
        pending.delete(doc);
        doc.status = view.status;
        seconds.set(doc, (performance.now() - since) / 1000);
      }
    }
    if (!pending.size) break;
    if (Date.now() > deadline) throw new Error(`${pending.size} document(s) still processing after ${timeoutMs / 1000} s`);
    if (Date.now() - lastReport > 15_000) {
      log(`  processing: ${docs.length - pending.size}/${docs.length} done`);
      lastReport = Date.now();
    }
    await sleep(100);
  }
  return seconds;
}

/** Passages of the documents, and how many have a vector; undefined when the service stores none. */
async function vectorCounts(ids) {
  try {
    const { rows } = await service.db.pool.query(
      `SELECT count(*)::int AS passages, count(e.passage_id)::int AS embedded
         FROM passages p LEFT JOIN passage_embeddings e ON e.passage_id = p.id WHERE p.document_id = ANY($1)`,
      [ids],
    );
    return rows[0];
  } catch {
    return undefined;
  }
}

/** With embeddings configured, waits until every passage of the documents has its vector (processing may leave some to the backfill). */
async function waitEmbedded(ids, timeoutMs) {
  if (!embeddings) return vectorCounts(ids);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await vectorCounts(ids);
    if (!counts || counts.embedded >= counts.passages || Date.now() > deadline) return counts;
    await sleep(200);
  }
}

/**
 * What the running service says about its retrieval: /ready's facts, how its search route says it
 * ranked a sample of the questions (`meta`), and the retrieval facts in the tutor's answer metadata.
 */
async function retrievalFacts(samples, answers) {
  const facts = {};
  const ready = await fetch(`${base}/ready`)
    .then((r) => r.json())
    .catch(() => ({}));
  const body = ready.details ?? ready;
  for (const [key, value] of Object.entries(body ?? {})) {
    if (['status', 'service', 'timestamp', 'checks', 'down'].includes(key)) continue;
    facts[`ready.${key}`] = value;
  }
  if (body?.status) facts['ready.status'] = body.status;
  for (const [name, check] of Object.entries(body?.checks ?? {})) {
    if (/embed|vector/i.test(name)) facts[`ready.checks.${name}`] = check.status;
  }
  const tally = (into, key, value) => {
    const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
    into[key] ??= {};
    into[key][shown] = (into[key][shown] ?? 0) + 1;
  };
  for (const { user, question } of samples) {
    const params = new URLSearchParams({ q: question.slice(0, 500), limit: '8' });
    const answer = await fetch(`${base}/internal/v1/search?${params}`, { headers: headersOf(user) })
      .then((r) => r.json())
      .catch(() => undefined);
    for (const [key, value] of Object.entries(answer?.meta ?? {})) tally(facts, `search.meta.${key}`, value);
  }
  for (const answer of answers) {
    for (const [key, value] of Object.entries(answer.metadata ?? {})) {
      if (/retriev|embed|vector|hybrid|fallback|search_mode|ranking/i.test(key)) tally(facts, `answer.${key}`, value);
    }
  }
  return facts;
}

function describeRetrieval(facts) {
  const said = Object.entries(facts).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`);
  const configured = embeddings ? `embeddings configured (${embeddings.baseUrl})` : 'no embeddings configured (EMBEDDINGS_BASE_URL unset)';
  return said.length ? `${configured}; the service says ${said.join(', ')}` : `${configured}; the service says nothing about its retrieval (full text)`;
}

// ---------------------------------------------------------------------------------------------
// 1. A 100-page PDF from the sections' text: processing time, then tutor answer latency over it.

/** The standard PDF fonts encode WinAnsi only; typographic characters become their ASCII look-alikes. */
function pdfSafe(text) {
  return text
    .replace(/[‘’‚′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/…/g, '...')
    .normalize('NFKD')
    .replace(/[^\x20-\x7E\n]/g, '');
}

/** Pages of about PAGE_CHARS characters each, cut at paragraph or word ends, from the sections in turn. */
function bookPages() {
  const paragraphs = [];
  const used = [];
  for (let i = 0; paragraphs.reduce((n, p) => n + p.length + 2, 0) < BOOK_PAGES * PAGE_CHARS * 1.05; i++) {
    const section = sections[i % sections.length];
    if (i < sections.length) used.push(section);
    paragraphs.push(`${section.section} ${section.title}`);
    for (const p of pdfSafe(section.text).split(/\n\s*\n/)) if (p.trim()) paragraphs.push(p.replace(/\s+/g, ' ').trim());
  }
  const pages = [];
  let current = [];
  let size = 0;
  for (let paragraph of paragraphs) {
    while (paragraph) {
      const room = PAGE_CHARS - size;
      if (paragraph.length <= room) {
        current.push(paragraph);
        size += paragraph.length + 2;
        paragraph = '';
      } else {
        const cut = paragraph.lastIndexOf(' ', room);
        if (cut > 200) {
          current.push(paragraph.slice(0, cut));
          paragraph = paragraph.slice(cut + 1);
        }
        pages.push(current);
        current = [];
        size = 0;
      }
      if (pages.length === BOOK_PAGES) return { pages, used };
    }
  }
  if (current.length) pages.push(current);
  return { pages: pages.slice(0, BOOK_PAGES), used };
}

async function bookPdf(pages) {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.TimesRoman);
  const size = 9.5;
  const width = 500;
  for (const paragraphs of pages) {
    const page = pdf.addPage([612, 792]);
    let y = 750;
    for (const paragraph of paragraphs) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line ? `${line} ${word}` : word;
        if (line && font.widthOfTextAtSize(candidate, size) > width) {
          page.drawText(line, { x: 56, y, size, font });
          y -= size * 1.3;
          line = word;
        } else line = candidate;
      }
      if (line) page.drawText(line, { x: 56, y, size, font });
      y -= size * 2;
    }
  }
  return Buffer.from(await pdf.save());
}

async function measureBook() {
  const { pages, used } = bookPages();
  const pdf = await bookPdf(pages);
  const chars = pages.flat().reduce((n, p) => n + p.length, 0);
  log(`100-page document: ${pages.length} pages, ${Math.round(chars / 1000)}k characters from ${used.length} sections, PDF ${(pdf.length / 1e6).toFixed(1)} MB`);
  const user = userOf('book');
  const started = performance.now();
  const id = await upload(user, 'sociology-book.pdf', 'application/pdf', pdf, 'Introduction to Sociology (100 pages)');
  const doc = { id, user };
  const completedSeconds = (await waitProcessed([doc], started, 15 * 60_000)).get(doc);
  const vectors = await waitEmbedded([id], 10 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  log(`100-page document ${doc.status} in ${completedSeconds.toFixed(1)} s${vectors ? `, ${vectors.embedded}/${vectors.passages} passages embedded after ${seconds.toFixed(1)} s` : ''}`);

  const random = seededRandom(EXAMPLE_SEED);
  const pool = used.flatMap((s) => s.items);
  const asked = [];
  while (asked.length < Math.min(LATENCY_QUESTIONS, pool.length)) {
    const item = pool[Math.floor(random() * pool.length)];
    if (!asked.includes(item)) asked.push(item);
  }
  // One question to warm the path (first query plans, first connections), not counted.
  await tutor.answer({ user, question: 'What is sociology?', history: [], documentIds: [] });
  const times = [];
  let declined = 0;
  let supported = 0;
  for (const item of asked) {
    const t = performance.now();
    const answer = await tutor.answer({ user, question: item.question, history: [], documentIds: [] });
    times.push(performance.now() - t);
    if (answer.source !== 'documents') declined++;
    else if (supportsKey(answer.content, item.options, item.answer_index)) supported++;
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 0.5);
  const p95 = percentile(times, 0.95);
  figures.book = {
    pages: pages.length,
    characters: chars,
    status: doc.status,
    processing_seconds: seconds,
    completed_seconds: completedSeconds,
    passages: vectors?.passages ?? null,
    passages_embedded: vectors?.embedded ?? null,
    questions: asked.length,
    answer_ms_p50: p50,
    answer_ms_p95: p95,
    declined: share(declined, asked.length),
    supports_key: share(supported, asked.length),
  };
  log(`tutor over the 100-page document: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${asked.length} questions`);
}

// ---------------------------------------------------------------------------------------------
// 2. Each section uploaded by its own user: tutor, off-topic, notes and quizzes over them.

async function uploadSections() {
  const started = performance.now();
  const docs = await mapLimit(sections, CONCURRENCY, async (section) => {
    const user = userOf(section.module_id);
    const id = await upload(user, `${section.module_id}.txt`, 'text/plain', Buffer.from(section.text, 'utf8'), `${section.section} ${section.title}`);
    return { id, user, section };
  });
  const seconds = await waitProcessed(docs, started, 30 * 60_000);
  const vectors = await waitEmbedded(docs.map((d) => d.id), 20 * 60_000);
  const total = (performance.now() - started) / 1000;
  const failed = docs.filter((d) => d.status !== 'completed');
  log(`${docs.length} sections processed in ${total.toFixed(1)} s${failed.length ? ` (${failed.length} failed: ${failed.map((d) => d.section.section).join(', ')})` : ''}`);
  figures.sections_processing = {
    documents: docs.length,
    seconds: total,
    failed: failed.length,
    slowest_seconds: Math.max(...seconds.values()),
    passages: vectors?.passages ?? null,
    passages_embedded: vectors?.embedded ?? null,
  };
  return docs;
}

async function measureTutor(docs) {
  const docOf = new Map(docs.map((d) => [d.section.module_id, d]));
  const half = Math.floor(sections.length / 2);
  let done = 0;
  const results = await mapLimit(items, CONCURRENCY, async (item) => {
    const i = sections.findIndex((s) => s.module_id === item.module_id);
    const own = docOf.get(item.module_id);
    const other = docOf.get(sections[(i + half) % sections.length].module_id);
    const answer = await tutor.answer({ user: own.user, question: item.question, history: [], documentIds: [] });
    const offTopic = sections.length > 1 ? await tutor.answer({ user: other.user, question: item.question, history: [], documentIds: [] }) : undefined;
    if (++done % 50 === 0) log(`  tutor: ${done}/${items.length} questions`);
    const cited = answer.citations.map((c) => c.snippet).join('\n');
    return {
      item,
      answer,
      declined: answer.source !== 'documents',
      supports: answer.source === 'documents' && supportsKey(answer.content, item.options, item.answer_index),
      citedSupports: cited.length > 0 && supportsKey(cited, item.options, item.answer_index),
      sectionSupports: supportsKey(item.text, item.options, item.answer_index),
      offTopicDeclined: offTopic ? offTopic.source !== 'documents' : undefined,
      offTopicAnswer: offTopic,
    };
  });
  const n = results.length;
  const count = (f) => results.filter(f).length;
  const sources = {};
  for (const r of results) sources[r.answer.source] = (sources[r.answer.source] ?? 0) + 1;
  const offTopic = results.filter((r) => r.offTopicDeclined !== undefined);
  figures.tutor = {
    questions: n,
    supports_key: share(count((r) => r.supports), n),
    declines_when_answer_there: share(count((r) => r.declined), n),
    cited_snippets_support_key: share(count((r) => r.citedSupports), n),
    section_text_supports_key: share(count((r) => r.sectionSupports), n),
    declines_off_topic: share(count((r) => r.offTopicDeclined), offTopic.length),
    answer_sources: sources,
    mean_answer_content_words: n ? results.reduce((s, r) => s + (r.declined ? 0 : contentWords(r.answer.content).length), 0) / Math.max(1, count((r) => !r.declined)) : null,
  };
  // The off-topic questions the tutor did answer, to judge by eye.
  figures.tutor.off_topic_answered = offTopic
    .filter((r) => !r.offTopicDeclined)
    .slice(0, 10)
    .map((r) => ({ section: r.item.section, question: r.item.question, answer: r.offTopicAnswer.content.slice(0, 300) }));
  return { results };
}

async function measureNotes(docs) {
  let listed = 0;
  let listedMatching = 0;
  let glossaryTotal = 0;
  let glossaryFound = 0;
  let withoutNote = 0;
  let summarySentences = 0;
  let summaryNaming = 0;
  let summaryQuestions = 0;
  const examples = [];
  for (const doc of docs) {
    const glossary = glossaries.get(doc.section.module_id)?.key_terms.map((k) => k.term);
    if (!glossary || doc.status !== 'completed') continue;
    const notes = await api('GET', `/api/v1/documents/${doc.id}/notes`, doc.user);
    const note = notes.find((n) => n.kind === 'key_terms');
    if (!note) withoutNote++;
    const terms = note ? note.items.map((it) => it.term ?? /^\s*\*\*(.+?)\*\*/.exec(it.text)?.[1]).filter(Boolean) : [];
    listed += terms.length;
    listedMatching += terms.filter((t) => glossaryMatch(t, glossary)).length;
    glossaryTotal += glossary.length;
    glossaryFound += glossary.filter((g) => terms.some((t) => glossaryMatch(t, [g]))).length;
    if (examples.length < 3) examples.push({ section: doc.section.section, listed: terms, glossary });
    // What the summary states: the glossary's concepts, or questions and sentences that need the one before.
    for (const item of notes.find((n) => n.kind === 'summary')?.items ?? []) {
      summarySentences++;
      if (glossary.some((g) => namesTerm(item.text, g))) summaryNaming++;
      if (/\?["”’)]?$/.test(item.text)) summaryQuestions++;
    }
  }
  const sectionsMeasured = glossarySections.length;
  figures.notes = {
    sections: sectionsMeasured,
    terms_listed: listed,
    precision: share(listedMatching, listed),
    recall: share(glossaryFound, glossaryTotal),
    mean_terms_listed: share(listed, sectionsMeasured),
    sections_without_key_terms_note: withoutNote,
    summary_sentences: summarySentences,
    summary_naming_key_term: share(summaryNaming, summarySentences),
    summary_questions: summaryQuestions,
    examples,
  };
}

async function measureQuizzes(docs) {
  quizDb = await createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname });
  quizDependencies = createQuizDependencies({ config: clientConfig, internalTokens: service.tokens });
  const quizzes = createQuizService({ pool: quizDb.pool, documents: quizDependencies.documents, writer: quizDependencies.writer });
  const all = [];
  const failures = [];
  const started = performance.now();
  const measured = docs.filter((d) => glossaries.has(d.section.module_id) && d.status === 'completed');
  await mapLimit(measured, 2, async (doc) => {
    const glossary = glossaries.get(doc.section.module_id).key_terms.map((k) => k.term);
    try {
      const quiz = await quizzes.generate(doc.user, { documentId: doc.id, ...QUIZ });
      for (const q of quiz.questions) {
        all.push({ section: doc.section.section, question: q, term: testsTerm(q, glossary), junk: junkReason(q), glossary });
      }
    } catch (err) {
      failures.push(`${doc.section.section}: ${err.message}`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  all.sort((a, b) => bySection({ section: a.section }, { section: b.section }) || a.question.position - b.question.position);
  const byType = {};
  for (const q of all) {
    const t = (byType[q.question.type] ??= { questions: 0, on_term: 0, junk: 0 });
    t.questions++;
    if (q.term) t.on_term++;
    if (q.junk) t.junk++;
  }
  const junkReasons = {};
  for (const q of all) if (q.junk) junkReasons[q.junk] = (junkReasons[q.junk] ?? 0) + 1;
  // What stands beside a multiple-choice key that is a term (not a definition): the other options,
  // and how many of them are the book's key terms too (options of the key's kind).
  const termOptions = all
    .filter((q) => q.question.type === 'multiple_choice' && glossaryMatch(q.question.correctAnswer, q.glossary))
    .flatMap((q) => q.question.options.map((o) => o.text).filter((t) => t !== q.question.correctAnswer).map((t) => glossaryMatch(t, q.glossary)));
  figures.quiz = {
    sections: measured.length,
    other_options_key_terms: share(termOptions.filter(Boolean).length, termOptions.length),
    questions: all.length,
    requested: measured.length * QUIZ.numQuestions,
    on_key_term: share(all.filter((q) => q.term).length, all.length),
    junk: share(all.filter((q) => q.junk).length, all.length),
    by_type: byType,
    junk_reasons: junkReasons,
    failures,
    seconds,
  };
  const random = seededRandom(EXAMPLE_SEED);
  const pool = [...all];
  const examples = [];
  while (examples.length < 10 && pool.length) examples.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  figures.quiz.examples = examples.map(({ section, question, term, junk }) => ({
    section,
    type: question.type,
    text: question.text,
    options: question.options?.map((o) => o.text) ?? null,
    key: question.correctAnswer,
    on_key_term: term,
    junk: junk ?? null,
  }));
}

// ---------------------------------------------------------------------------------------------

const runStarted = performance.now();
let tutorRun;
let facts;
try {
  log(`document service at ${base}; ${embeddings ? `embeddings: ${embeddings.baseUrl}` : 'no EMBEDDINGS_BASE_URL set'}`);
  await measureBook();
  const docs = await uploadSections();
  log('tutor: each question over its own section, and over a section half the book away');
  tutorRun = await measureTutor(docs);
  facts = await retrievalFacts(
    tutorRun.results.slice(0, 30).map((r) => ({ user: userOf(r.item.module_id), question: r.item.question })),
    tutorRun.results.map((r) => r.answer),
  );
  log('notes: key terms of each section');
  await measureNotes(docs);
  log('quizzes: one a section');
  await measureQuizzes(docs);
} finally {
  if (server.listening) await closeServer(server);
  await quizDependencies?.close();
  await quizDb?.drop();
  await service.close();
}
const retrieval = describeRetrieval(facts);
figures.retrieval = { embeddings_configured: embeddings?.baseUrl ?? null, facts };

// ---------------------------------------------------------------------------------------------
// Report.

const t = figures.tutor;
const q = figures.quiz;
const nt = figures.notes;
const sp = figures.sections_processing;
const f = (x) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`);
row('tutor supports the key', f(t.supports_key), '≥ 50%', `cited snippets ${f(t.cited_snippets_support_key)}; whole section text ${f(t.section_text_supports_key)}; ${t.questions} questions`);
row('tutor declines when the answer is there', f(t.declines_when_answer_there), '≤ 15%', `answer sources ${JSON.stringify(t.answer_sources)}`);
row('tutor declines off-topic questions', f(t.declines_off_topic), '≥ 95%', `same questions, a user whose only document is a section half the book away`);
row(
  'quiz questions on a key term',
  f(q.on_key_term),
  '≥ 60%',
  `${q.questions}/${q.requested} questions from ${q.sections} sections; a key term's other options key terms too: ${f(q.other_options_key_terms)}`,
);
row('quiz junk questions', f(q.junk), '≤ 2%', Object.entries(q.junk_reasons).map(([k, v]) => `${k}: ${v}`).join('; ') || 'none');
row('notes key terms precision', f(nt.precision), '≥ 60%', `${nt.terms_listed} terms listed over ${nt.sections} sections`);
row('notes key terms recall', f(nt.recall), '≥ 60%', `mean ${nt.mean_terms_listed?.toFixed(1)} terms listed a section`);
row('notes summary sentences naming a key term', f(nt.summary_naming_key_term), '(no goal)', `${nt.summary_sentences} sentences; ${nt.summary_questions} of them questions`);
row(
  `tutor answer p95, ${figures.book.pages}-page document`,
  `${figures.book.answer_ms_p95.toFixed(0)} ms`,
  '≤ 500 ms',
  `p50 ${figures.book.answer_ms_p50.toFixed(0)} ms over ${figures.book.questions} questions; declined ${f(figures.book.declined)}, supports the key ${f(figures.book.supports_key)}`,
);
row(
  `${figures.book.pages}-page PDF processed`,
  `${figures.book.processing_seconds.toFixed(1)} s`,
  '≤ 60 s',
  `${figures.book.status} after ${figures.book.completed_seconds.toFixed(1)} s, ${Math.round(figures.book.characters / 1000)}k characters; ` +
    (!embeddings
      ? 'no embeddings configured'
      : figures.book.passages === null
        ? 'the service stores no vectors'
        : `${figures.book.passages_embedded}/${figures.book.passages} passages embedded`),
);

const ranked = facts['search.meta.retrieval'];
const reasons = facts['search.meta.reason'];
row(
  'retrieval the searches used',
  ranked ? Object.entries(ranked).map(([mode, n]) => `${mode} ${n}`).join(', ') : 'not said',
  embeddings ? 'hybrid' : 'full text (no embeddings)',
  `${Object.values(ranked ?? {}).reduce((a, b) => a + b, 0)} of the questions searched again after the tutor run` +
    (reasons ? `; ${Object.keys(reasons).join('; ')}` : ''),
);

console.log('\nTen quiz questions picked at random (seeded), with their keys:');
for (const [i, ex] of q.examples.entries()) {
  const marks = [ex.on_key_term ? 'key term' : 'no key term', ex.junk ? `JUNK: ${ex.junk}` : ''].filter(Boolean).join(', ');
  console.log(`${String(i + 1).padStart(2)}. [${ex.section} ${ex.type}] ${ex.text}`);
  if (ex.options && ex.type !== 'true_false') console.log(`    options: ${ex.options.join(' | ')}`);
  console.log(`    key: ${ex.key}   (${marks})`);
}
if (q.failures.length) console.log(`\nQuiz generation failed for ${q.failures.length} section(s): ${q.failures.slice(0, 5).join('; ')}`);
console.log('\nNotes key terms, first sections (listed → glossary):');
for (const ex of nt.examples) console.log(`  ${ex.section}: ${ex.listed.join(', ') || '(none)'}\n     glossary: ${ex.glossary.join(', ')}`);

console.log(`\nRetrieval: ${retrieval}`);
console.log(
  `Tutor writer: extractive (no LLM). Sections processed: ${sp.documents} in ${sp.seconds.toFixed(1)} s` +
    `${sp.failed ? `, ${sp.failed} failed` : ''}${embeddings && sp.passages !== null ? `, ${sp.passages_embedded}/${sp.passages} passages embedded` : ''}; ` +
    `quizzes generated in ${q.seconds.toFixed(1)} s.`,
);
const totalSeconds = (performance.now() - runStarted) / 1000;
console.log(`Whole run ${totalSeconds.toFixed(0)} s; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${cpus().length} cores.`);
console.log(`\nLearning benchmark on ${sections.length} sections, ${items.length} questions (${datasetDir}):`);
console.table(table);

const outDir = join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outFile = join(outDir, `learning-${stamp}.json`);
writeFileSync(
  outFile,
  `${JSON.stringify({ at: new Date().toISOString(), dataset: datasetDir, limit: Number.isFinite(LIMIT) ? LIMIT : null, seconds: totalSeconds, retrieval, table, figures }, null, 2)}\n`,
);
console.log(`figures written to ${outFile}`);
process.exit(0);
