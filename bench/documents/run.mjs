// Document service benchmark: text extraction pages/s on a generated 100-page PDF, upload-to-notes
// seconds for it, OCR seconds per scanned page, and search latency over 1,000 documents.
// Prints figures; asserts nothing. Needs `pnpm build` first and the local servers
// (scripts/infra/up.sh) for PostgreSQL.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { listen, closeServer } from '@learner/common/http';
import { createExtractiveNotes } from '@learner/document/dist/notes/extractive-notes.js';
import { createTesseractOcr } from '@learner/document/dist/ocr/tesseract-ocr.js';
import { extractPdfText } from '@learner/document/dist/processing/pdf-text.js';
import { assembleDocumentService } from '@learner/document/testing';
import { documentPassages } from '@learner/document/dist/search/passages.js';
import { createSearchRepository } from '@learner/document/dist/search/search-repository.js';

const execFileAsync = promisify(execFile);
const PAGES = Number(process.env.BENCH_PAGES ?? 100);
const OCR_PAGES = Number(process.env.BENCH_OCR_PAGES ?? 3);
const SEARCH_DOCUMENTS = Number(process.env.BENCH_SEARCH_DOCUMENTS ?? 1000);
const SEARCH_QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 300);

// A small deterministic text generator: study-like sentences over a few subjects.
let seed = 12345;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const pick = (list) => list[rand(list.length)];
const SUBJECTS = ['photosynthesis', 'the mitochondria', 'plate tectonics', 'the French Revolution', 'supply and demand', 'the water cycle', 'natural selection', 'electric current', 'the Roman Empire', 'chemical bonding', 'the immune system', 'climate change'];
const VERBS = ['explains', 'shapes', 'depends on', 'changes', 'controls', 'describes', 'limits', 'drives', 'affects', 'connects'];
const OBJECTS = ['energy flow in ecosystems', 'the growth of cities', 'the movement of continents', 'prices in a market', 'the spread of ideas', 'the rate of reactions', 'the survival of species', 'the balance of power', 'the temperature of oceans', 'the defence against disease', 'the structure of molecules', 'rainfall over mountains'];
const PLACES = ['in northern Europe', 'along the coast', 'in early laboratories', 'during the industrial age', 'in tropical forests', 'across the Pacific', 'in modern schools', 'under high pressure', 'in the desert', 'near volcanic islands', 'in ancient Greece', 'inside living cells'];
const REASONS = ['because of rising demand', 'as experiments later showed', 'according to recent surveys', 'despite strong resistance', 'when conditions were stable', 'through gradual adaptation', 'after careful measurement', 'over many generations'];
const sentence = () => {
  const s = pick(SUBJECTS);
  return `${s[0].toUpperCase()}${s.slice(1)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(PLACES)}, ${pick(REASONS)}.`;
};
const paragraph = (n) => Array.from({ length: n }, sentence).join(' ');

async function textPdf(pageCount) {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pageCount; p++) {
    const page = pdf.addPage([612, 792]);
    let y = 740;
    for (let k = 0; k < 4; k++) {
      const words = paragraph(4).split(' ');
      let line = '';
      for (const word of words) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, 10) > 500) {
          page.drawText(line, { x: 56, y, size: 10, font });
          y -= 14;
          line = word;
        } else line = candidate;
      }
      if (line) page.drawText(line, { x: 56, y, size: 10, font });
      y -= 26;
    }
  }
  return Buffer.from(await pdf.save());
}

async function scannedPdf(pageCount) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-scan-'));
  try {
    const out = await PDFDocument.create();
    for (let p = 0; p < pageCount; p++) {
      await writeFile(join(dir, 'page.pdf'), await textPdf(1));
      await execFileAsync('pdftoppm', ['-r', '300', '-gray', '-png', '-singlefile', join(dir, 'page.pdf'), join(dir, 'page')]);
      const image = await out.embedPng(await readFile(join(dir, 'page.png')));
      out.addPage([612, 792]).drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
    }
    return Buffer.from(await out.save());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const results = [];

// 1. Text extraction.
const pdf = await textPdf(PAGES);
{
  await extractPdfText(pdf); // warm-up: pdf.js loads lazily
  const started = performance.now();
  const pages = await extractPdfText(pdf);
  const seconds = (performance.now() - started) / 1000;
  results.push({ measure: `text extraction, ${PAGES}-page PDF (pdf-parse)`, value: `${(pages.length / seconds).toFixed(0)} pages/s` });
  const dir = await mkdtemp(join(tmpdir(), 'bench-pdftotext-'));
  await writeFile(join(dir, 'in.pdf'), pdf);
  const ref = performance.now();
  await execFileAsync('pdftotext', ['-layout', join(dir, 'in.pdf'), join(dir, 'out.txt')]);
  results.push({ measure: `text extraction, ${PAGES}-page PDF (pdftotext, reference)`, value: `${(PAGES / ((performance.now() - ref) / 1000)).toFixed(0)} pages/s` });
  await rm(dir, { recursive: true, force: true });
}

// 2. Upload to notes, through the HTTP API with the background worker.
const service = await assembleDocumentService({
  poolSize: 8,
  ocr: createTesseractOcr({ timeoutMs: 120_000 }),
  notes: createExtractiveNotes(),
  maxFileSize: 50 * 1024 * 1024,
});
const { app, db, tokens, worker } = service;
try {
  const server = await listen(app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${server.address().port}`;
  const headers = tokens.headersFor({ id: 'bench-user', email: 'bench@example.test' });

  const form = new FormData();
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'bench.pdf');
  const started = performance.now();
  const created = await (await fetch(`${base}/api/v1/documents/upload`, { method: 'POST', body: form, headers })).json();
  const id = created.data.id;
  let doc;
  do {
    await new Promise((r) => setTimeout(r, 50));
    doc = (await (await fetch(`${base}/api/v1/documents/${id}`, { headers })).json()).data;
  } while (doc.status === 'uploaded' || doc.status === 'processing');
  const notes = (await (await fetch(`${base}/api/v1/documents/${id}/notes`, { headers })).json()).data;
  const seconds = (performance.now() - started) / 1000;
  results.push({
    measure: `upload to notes, ${PAGES}-page PDF`,
    value: `${seconds.toFixed(2)} s (${doc.status}, ${doc.text_length} chars, ${notes?.length ?? 0} notes)`,
  });
  await closeServer(server);
  await worker.stop();

  // 3. OCR seconds per scanned page (tesseract, one thread).
  const scan = await scannedPdf(OCR_PAGES);
  const ocr = createTesseractOcr({ timeoutMs: 300_000 });
  const ocrStarted = performance.now();
  const texts = await ocr.pdfPages({ bytes: scan, storageKey: 'bench', pageCount: OCR_PAGES }, Array.from({ length: OCR_PAGES }, (_, i) => i + 1));
  const perPage = (performance.now() - ocrStarted) / 1000 / OCR_PAGES;
  const chars = [...texts.values()].reduce((n, t) => n + t.length, 0);
  results.push({ measure: `OCR, scanned 300 dpi page (tesseract)`, value: `${perPage.toFixed(2)} s/page (${OCR_PAGES} pages, ${chars} chars read)` });

  // 4. Search over many documents of one user (rows written directly: extraction is measured above).
  const user = 'bench-search-user';
  const loadStarted = performance.now();
  for (let d = 0; d < SEARCH_DOCUMENTS; d++) {
    const { rows } = await db.pool.query(
      `INSERT INTO documents (user_id, title, filename, s3_key, file_type, content_type, file_size, status, pages, text_length)
       VALUES ($1, $2, $3, $4, 'txt', 'text/plain', 1, 'completed', 3, 1) RETURNING id`,
      [d % 10 === 0 ? `${user}-other` : user, `Document ${d}`, `d${d}.txt`, `bench/${d}`],
    );
    const pages = Array.from({ length: 3 }, (_, p) => ({ page: p + 1, text: `${paragraph(5)}\n\n${paragraph(5)}` }));
    const passages = documentPassages(pages);
    await db.pool.query(
      `INSERT INTO passages (document_id, user_id, page, position, text) SELECT $1, $2, * FROM unnest($3::int[], $4::int[], $5::text[])`,
      [rows[0].id, d % 10 === 0 ? `${user}-other` : user, passages.map((p) => p.page), passages.map((p) => p.position), passages.map((p) => p.text)],
    );
  }
  await db.pool.query('ANALYZE passages');
  const passageCount = (await db.pool.query('SELECT count(*)::int AS n FROM passages')).rows[0].n;
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const search = createSearchRepository(db.pool);
  const questions = [
    'How does photosynthesis affect energy flow in ecosystems?',
    'what controls prices in a market',
    'plate tectonics movement of continents',
    'Why did the Roman Empire change the balance of power?',
    'immune system defence against disease',
    'quantum chromodynamics of gluons',
  ];
  for (const q of questions) await search.search(user, q, { limit: 10 });
  const latencies = [];
  for (let i = 0; i < SEARCH_QUERIES; i++) {
    const q = questions[i % questions.length];
    const t = performance.now();
    await search.search(user, q, { limit: 10 });
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  results.push({
    measure: `search, ${SEARCH_DOCUMENTS} documents (${passageCount} passages), ${SEARCH_QUERIES} queries`,
    value: `p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms (loaded in ${loadSeconds.toFixed(1)} s)`,
  });
} finally {
  await service.close();
}

console.table(results);
