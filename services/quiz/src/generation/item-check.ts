import type { GeneratedQuestion } from './question.js';
import { containsTerm, normalizeSpace, type DocumentPage } from './text-analysis.js';

export interface QuizCheck {
  total: number;
  passed: number;
  /** Problems per item index; items without problems are absent. */
  problems: Record<number, string[]>;
}

function normalizeOption(text: string): string {
  return normalizeSpace(text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' '));
}

/**
 * The quality bar every generated item has to clear: a findable key, distinct options, a stem that
 * does not give the answer away, and a source sentence that really is in the document.
 */
export function createItemChecker(pages: readonly DocumentPage[]) {
  const pageText = new Map(pages.map((p) => [p.page, normalizeSpace(p.text)]));
  const documentText = [...pageText.values()].join(' ').toLowerCase();

  const checkItem = (item: GeneratedQuestion): string[] => {
    const problems: string[] = [];
    if (!item.text.trim()) problems.push('the stem is empty');
    if (!item.correctAnswer.trim()) problems.push('there is no answer key');

    if (item.type === 'multiple_choice') {
      const options = item.options ?? [];
      if (options.length !== 4) problems.push(`it has ${options.length} options instead of 4`);
      const texts = new Set(options.map((o) => normalizeOption(o.text)));
      if (texts.size !== options.length) problems.push('two options are the same');
      if (new Set(options.map((o) => o.id)).size !== options.length) problems.push('two options share an id');
      if (!options.some((o) => o.text === item.correctAnswer)) problems.push('the key is not among the options');
    } else if (item.type === 'true_false') {
      if (item.correctAnswer !== 'true' && item.correctAnswer !== 'false') problems.push('the key is not true or false');
      const statement = normalizeSpace(item.text.replace(/^true or false:\s*/i, '')).toLowerCase();
      if (item.correctAnswer === 'false' && statement && documentText.includes(statement)) {
        problems.push('its "false" statement is one the document makes');
      }
    } else if (item.options !== null && item.options.length > 0) {
      problems.push('a short-answer item has options');
    }

    if (item.type !== 'true_false' && item.correctAnswer.trim() && containsTerm(item.text, item.correctAnswer)) {
      problems.push('the stem contains its answer');
    }

    const sentence = normalizeSpace(item.source.sentence);
    const page = pageText.get(item.source.page);
    if (!sentence) problems.push('it cites no source sentence');
    else if (page === undefined) problems.push(`it cites page ${item.source.page}, which the document does not have`);
    else if (!page.includes(sentence)) problems.push('its source sentence is not on the cited page');
    if (sentence && !normalizeSpace(item.explanation).includes(sentence)) problems.push('the explanation does not quote its source');
    return problems;
  };

  return {
    checkItem,
    checkQuiz(items: readonly GeneratedQuestion[]): QuizCheck {
      const problems: Record<number, string[]> = {};
      const stems = new Map<string, number>();
      items.forEach((item, index) => {
        const found = checkItem(item);
        const stem = normalizeSpace(item.text).toLowerCase();
        const earlier = stems.get(stem);
        if (earlier !== undefined) found.push(`the same stem as item ${earlier}`);
        else stems.set(stem, index);
        if (found.length) problems[index] = found;
      });
      return { total: items.length, passed: items.length - Object.keys(problems).length, problems };
    },
  };
}

export function checkItem(item: GeneratedQuestion, pages: readonly DocumentPage[]): string[] {
  return createItemChecker(pages).checkItem(item);
}

export function checkQuiz(items: readonly GeneratedQuestion[], pages: readonly DocumentPage[]): QuizCheck {
  return createItemChecker(pages).checkQuiz(items);
}
