// Quiz generation benchmark: seconds to generate 20 questions from a 50-page document, and the
// share of generated items passing the item check, over several documents and difficulties.
// Prints figures; asserts nothing. Needs `pnpm build` first (it runs the built quiz service code).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { generateQuestions } from '@learner/quiz/dist/generation/question-generator.js';
import { checkQuiz } from '@learner/quiz/dist/generation/item-check.js';
import { studyDocument, subjectNames } from './study-documents.mjs';

const PAGES = Number(process.env.BENCH_PAGES ?? 50);
const QUESTIONS = 20;
const difficulties = ['easy', 'medium', 'hard'];
const types = ['multiple_choice', 'true_false', 'short_answer'];

// Warm-up: the first call pays for loading the tagger's lexicon and for JIT compilation.
generateQuestions(studyDocument(subjectNames[0], 2, 1), { numQuestions: 3, difficulty: 'easy', questionTypes: types, seed: 1 });

const rows = [];
let totalItems = 0;
let passingItems = 0;
for (const [i, subject] of subjectNames.entries()) {
  const pages = studyDocument(subject, PAGES, 1000 + i);
  const characters = pages.reduce((n, p) => n + p.text.length, 0);
  for (const difficulty of difficulties) {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = generateQuestions(pages, { numQuestions: QUESTIONS, difficulty, questionTypes: types, seed: 7 + i });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const check = checkQuiz(result.questions, pages);
    totalItems += check.total;
    passingItems += check.passed;
    rows.push({
      document: `${subject} (${PAGES} pages, ${Math.round(characters / 1000)} kB)`,
      difficulty,
      seconds: Number(seconds.toFixed(2)),
      'cpu seconds': Number(cpuSeconds.toFixed(2)),
      generated: `${result.generated}/${QUESTIONS}`,
      passing: check.total ? `${((check.passed / check.total) * 100).toFixed(1)}%` : 'n/a',
    });
  }
}

console.table(rows);
console.log(`load average while running: ${loadavg().map((n) => n.toFixed(1)).join(' ')} on this machine's cores`);
const times = rows.map((r) => r.seconds).sort((a, b) => a - b);
console.log(
  `quiz generation, ${QUESTIONS} questions from ${PAGES}-page documents: median ${times[Math.floor(times.length / 2)]} s, ` +
    `max ${times[times.length - 1]} s; items passing the item check: ${passingItems}/${totalItems} ` +
    `(${totalItems ? ((passingItems / totalItems) * 100).toFixed(1) : 'n/a'}%)`,
);
