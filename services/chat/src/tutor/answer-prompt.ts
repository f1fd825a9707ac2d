import type { Passage } from './compose-answer.js';
import type { PriorQuestion } from './search-plan.js';

const INSTRUCTIONS = [
  "You are a tutor answering a learner's question about their own study material.",
  'Use only the numbered passages given; do not add facts that are not in them.',
  "If the passages do not answer the question, say that you couldn't find it in their documents.",
  'Answer in at most four sentences, and mark each claim with the passage it comes from, like [1].',
].join(' ');

/** The instructions and the message an LLM writer sends: numbered passages, earlier questions, the question. */
export function answerPrompt(input: { question: string; history: PriorQuestion[]; passages: Passage[] }): {
  system: string;
  user: string;
} {
  const sources = input.passages
    .map((p, i) => `[${i + 1}] ${p.title}${p.page === null ? '' : `, page ${p.page}`}:\n${p.text}`)
    .join('\n\n');
  const earlier = input.history.length
    ? `Earlier questions in this conversation, latest first:\n${input.history.map((h) => `- ${h.question}`).join('\n')}\n\n`
    : '';
  return { system: INSTRUCTIONS, user: `Passages:\n${sources}\n\n${earlier}Question: ${input.question}` };
}
